// The figure around a chart: its caption, its figures as a table and a CSV download.
import type { ReactNode } from 'react'
import type { ChartName } from '~/models/analytics-options'
import type { ChartTable } from '~/utils/chart-data'
import { cellText, NO_DATA } from './format'

/** A chart with its caption, its figures as a table (folded away) and a CSV download. */
export function ChartFigure({
  name,
  title,
  csvHref,
  table,
  children,
}: {
  name: ChartName
  title: string
  csvHref: string
  table: ChartTable
  children: ReactNode
}) {
  return (
    <figure className="chart" data-chart={name}>
      <figcaption>{title}</figcaption>
      {children}
      <details className="chart-table">
        <summary>Table of the figures</summary>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined}>
                    {c.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.length === 0 ? (
                <tr>
                  <td colSpan={table.columns.length}>{NO_DATA}.</td>
                </tr>
              ) : (
                table.rows.map((row, i) => (
                  <tr key={i}>
                    {table.columns.map((c) => (
                      <td key={c.key} className={c.numeric ? 'num' : undefined}>
                        {cellText(row[c.key], c.kind)}
                      </td>
                    ))}
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </details>
      <p className="chart-download">
        <a href={csvHref} download>
          Download CSV<span className="visually-hidden"> of {title}</span>
        </a>
      </p>
    </figure>
  )
}

import type { ReactNode } from 'react'

export interface Column<Row> {
  header: string
  /** Right-aligned, tabular figures. */
  numeric?: boolean
  cell: (row: Row) => ReactNode
}

/** A plain, scrollable table of rows, or a one-line empty state. */
export function DataTable<Row extends { id: string }>({
  rows,
  columns,
  empty,
}: {
  rows: Row[]
  columns: Column<Row>[]
  empty: string
}) {
  if (rows.length === 0) return <p className="empty">{empty}</p>
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" className={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              {columns.map((c) => (
                <td key={c.header} className={c.numeric ? 'num' : undefined}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

// The fabrics that sold most.
import { scaleBand } from 'd3-scale'
import type { FabricRevenue } from '~/models/analytics-options'
import { CHART_TITLES, topFabrics } from '~/utils/chart-data'
import { moneySum, moneyText, moneyTick, NO_DATA, plural } from './format'
import { finite, frame, indices, px, valueScale } from './geometry'
import { ACCENT, ChartSvg, NoData, ValueAxis } from './parts'

/** "A very long fabric name" → "A very long fab…". */
function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1).trimEnd()}…`
}

/** The fabrics that earned most, as horizontal bars with the revenue at the end of each. */
export function TopFabricsChart({ data, currency }: { data: FabricRevenue[]; currency: string }) {
  const f = frame(640, 300, { top: 8, right: 84, bottom: 42, left: 172 })
  const fabrics = topFabrics(data).map((d) => ({ ...d, revenue: finite(d.revenue), units: finite(d.units) }))
  const empty = fabrics.every((d) => d.revenue === 0)
  // Room for five bars at least, so that one or two fabrics do not make fat bars.
  const y = scaleBand<number>()
    .domain(indices(Math.max(fabrics.length, 5)))
    .range([f.top, f.bottom])
    .padding(0.25)
  const x = valueScale(
    fabrics.map((d) => d.revenue),
    [f.left, f.right],
  )
  const height = px(y.bandwidth())
  const zero = px(x(0))
  const best = fabrics[0]
  const desc =
    empty || !best
      ? `${CHART_TITLES['top-fabrics']}. ${NO_DATA}.`
      : `${CHART_TITLES['top-fabrics']}: ${plural(fabrics.length, 'fabric')}, ` +
        `${moneyText(moneySum(fabrics.map((d) => d.revenue)), currency)} together; first ${best.name}, ` +
        `${moneyText(best.revenue, currency)} from ${plural(best.units, 'unit')}.`

  return (
    <ChartSvg name="top-fabrics" frame={f} desc={desc}>
      <ValueAxis frame={f} scale={x} side="bottom" format={moneyTick(currency)} label={`Revenue (${currency})`} />
      {empty ? (
        <NoData frame={f} />
      ) : (
        <g className="chart-bars">
          {fabrics.map((d, i) => {
            const top = px(y(i) ?? 0)
            const end = px(x(d.revenue))
            const money = moneyText(d.revenue, currency)
            return (
              <g key={i}>
                <text x={f.left - 6} y={top + px(height / 2) + 4} textAnchor="end">
                  {truncate(d.name, 24)}
                </text>
                {d.revenue > 0 ? (
                  <rect x={zero} y={top} width={Math.max(1, end - zero)} height={height} fill={ACCENT}>
                    <title>{`${d.name}: ${money}, ${plural(d.units, 'unit')}`}</title>
                  </rect>
                ) : null}
                <text x={Math.max(end, zero) + 4} y={top + px(height / 2) + 4}>
                  {money}
                </text>
              </g>
            )
          })}
        </g>
      )}
    </ChartSvg>
  )
}

// Orders by status.
import { scaleBand } from 'd3-scale'
import type { StatusCount } from '~/models/analytics-options'
import { ORDER_STATUS_LABELS } from '~/models/order-options'
import { CHART_TITLES, statusCounts } from '~/utils/chart-data'
import { countText, NO_DATA, plural, total } from './format'
import { finite, frame, px, valueScale } from './geometry'
import { ACCENT, CategoryAxis, ChartSvg, NoData, ValueAxis } from './parts'

/** Orders per status, every status in workflow order, the count over each bar. */
export function OrdersByStatusChart({ data }: { data: StatusCount[] }) {
  const f = frame(640, 260, { top: 20, right: 16, bottom: 42, left: 76 })
  const counts = statusCounts(data).map((d) => ({ status: d.status, count: finite(d.count) }))
  const all = total(counts.map((d) => d.count))
  const empty = counts.every((d) => d.count === 0)
  const x = scaleBand<string>()
    .domain(counts.map((d) => d.status))
    .range([f.left, f.right])
    .padding(0.3)
  const y = valueScale(
    counts.map((d) => d.count),
    [f.bottom, f.top],
  )
  const width = px(x.bandwidth())
  const base = px(y(0))
  const bars = counts.map((d) => ({ ...d, left: px(x(d.status) ?? 0), top: px(y(d.count)) }))
  const desc = empty
    ? `${CHART_TITLES['orders-by-status']}. ${NO_DATA}.`
    : `${CHART_TITLES['orders-by-status']}: ${plural(all, 'order')} in all; ` +
      `${counts.map((d) => `${ORDER_STATUS_LABELS[d.status]} ${countText(d.count)}`).join(', ')}.`

  return (
    <ChartSvg name="orders-by-status" frame={f} desc={desc}>
      <ValueAxis frame={f} scale={y} side="left" format={countText} label="Orders" />
      <CategoryAxis
        frame={f}
        ticks={bars.map((b) => ({ at: b.left + width / 2, text: ORDER_STATUS_LABELS[b.status] }))}
        label="Status"
      />
      {empty ? (
        <NoData frame={f} />
      ) : (
        <>
          <g className="chart-bars" fill={ACCENT}>
            {bars
              .filter((b) => b.count > 0)
              .map((b) => (
                <rect
                  key={b.status}
                  x={b.left}
                  y={Math.min(b.top, base - 1)}
                  width={width}
                  height={Math.max(1, base - b.top)}
                />
              ))}
          </g>
          <g textAnchor="middle">
            {bars.map((b) => (
              <text key={b.status} x={b.left + px(width / 2)} y={Math.min(b.top, base) - 5}>
                {countText(b.count)}
              </text>
            ))}
          </g>
        </>
      )}
    </ChartSvg>
  )
}

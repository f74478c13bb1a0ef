// Revenue per day against the period before.
import type { SVGProps } from 'react'
import { scaleLinear } from 'd3-scale'
import type { DailyPoint, RevenueSeries } from '~/models/analytics-options'
import { CHART_TITLES } from '~/utils/chart-data'
import { shortDay } from '~/utils/dates'
import { daysText, moneySum, moneyText, moneyTick, NO_DATA, spansYears } from './format'
import { finite, frame, px, spacedIndices, valueScale } from './geometry'
import { ACCENT, CategoryAxis, ChartSvg, DASH, Legend, LineSeries, MID, NoData, ValueAxis } from './parts'

const CURRENT_LINE: SVGProps<SVGPathElement> = { stroke: ACCENT, strokeWidth: 2 }
const PREVIOUS_LINE: SVGProps<SVGPathElement> = { stroke: MID, strokeWidth: 2, strokeDasharray: DASH }

/** Revenue per day, and the period just before as a dashed line on the same days (day i of each). */
export function RevenueChart({ data, currency }: { data: RevenueSeries; currency: string }) {
  const f = frame(640, 260, { top: 30, right: 40, bottom: 42, left: 76 })
  const current = data.current.map((p): DailyPoint => ({ date: p.date, value: finite(p.value) }))
  const previous = data.previous.slice(0, current.length).map((p) => finite(p.value))
  const values = current.map((p) => p.value)
  const n = current.length
  const empty = [...values, ...previous].every((v) => v === 0)
  const x = scaleLinear()
    .domain(n > 1 ? [0, n - 1] : [-1, 1])
    .range([f.left, f.right])
  const y = valueScale([...values, ...previous], [f.bottom, f.top])
  const first = current[0]?.date ?? ''
  const last = current[n - 1]?.date ?? ''
  const withYear = spansYears(first, last)
  const ticks = spacedIndices(n).map((i) => ({ at: px(x(i)), text: shortDay(current[i]!.date, withYear) }))

  const range = daysText(first, last)
  let desc = `${CHART_TITLES.revenue}${range}. ${NO_DATA}.`
  if (!empty) {
    const best = current.reduce((a, b) => (b.value > a.value ? b : a))
    desc =
      `${CHART_TITLES.revenue}${range}: ${moneyText(moneySum(values), currency)} in all, ` +
      `highest ${moneyText(best.value, currency)} on ${shortDay(best.date, withYear)}; ` +
      `previous period ${moneyText(moneySum(previous), currency)}.`
  }

  return (
    <ChartSvg name="revenue" frame={f} desc={desc}>
      <ValueAxis frame={f} scale={y} side="left" format={moneyTick(currency)} label={`Revenue (${currency})`} />
      <CategoryAxis frame={f} ticks={ticks} label="Day" />
      <Legend
        x={f.left}
        y={12}
        items={[
          { label: 'This period', swatch: <path d="M0 0h16" {...CURRENT_LINE} /> },
          { label: 'Previous period', swatch: <path d="M0 0h16" {...PREVIOUS_LINE} /> },
        ]}
      />
      {empty ? (
        <NoData frame={f} />
      ) : (
        <>
          <LineSeries className="chart-previous" values={previous} x={x} y={y} style={PREVIOUS_LINE} />
          <LineSeries className="chart-current" values={values} x={x} y={y} style={CURRENT_LINE} dots />
        </>
      )}
    </ChartSvg>
  )
}

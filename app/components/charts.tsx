// The analytics dashboard's charts: inline SVG drawn on the server (the page ships no scripts);
// d3-scale and d3-shape compute the geometry, the markup is JSX. Every chart has a <title> and a
// <desc> in words, axes with nice ticks, an empty state, and series told apart by lightness AND a
// second cue (dashes, hatching, an outline), so that they survive grey-scale printing. Coordinates
// are rounded and a series is one <path>, so the longest ranges stay under 12 KB of markup.
import type { ReactNode, SVGProps } from 'react'
import { scaleBand, scaleLinear, type ScaleLinear } from 'd3-scale'
import { line } from 'd3-shape'
import {
  PLATFORM_LABELS,
  SOCIAL_PLATFORMS,
  type ChartName,
  type DailyPoint,
  type FabricRevenue,
  type PostsVsEngagement,
  type RevenueSeries,
  type SocialPlatformName,
  type StatusCount,
  type WeeklyEngagement,
} from '~/models/analytics-options'
import { ORDER_STATUS_LABELS } from '~/models/order-options'
import { CHART_TITLES, statusCounts, topFabrics, type ChartTable, type ColumnKind } from '~/utils/chart-data'
import { shortDay } from '~/utils/dates'
import { currencySymbol, formatMoney, fromCents } from '~/utils/money'

const NO_DATA = 'No data for this range'

// Colours, dark to light (grey-scale: ink ≈ 18%, accent ≈ 30%, hatch ≈ 50%, mid ≈ 57%, light ≈ 90%).
const INK = '#3b2a20'
const ACCENT = '#7a3e2b'
const MID = '#8c959f'
const HATCH_FILL = '#b8a18e'
const LIGHT = '#efe6dc'
const GRID = '#d0d7de'
const MUTED = '#59636e'
const DASH = '6 4'

// ---- Formatting -------------------------------------------------------------------------------

/** "1234567.50" → "1,234,567.50". */
const thousands = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')

/** 1234 → "1,234". */
const countText = (n: number) => thousands(String(Math.round(n)))

const plural = (n: number, word: string) => `${countText(n)} ${word}${n === 1 ? '' : 's'}`

const spansYears = (from = '', to = '') => from.slice(0, 4) !== to.slice(0, 4)

/** " from 1 Nov to 30 Nov 2026", " from 30 Dec 2025 to 5 Jan 2026", " on 3 Nov 2026" (one day), or "". */
function daysText(from = '', to = ''): string {
  if (!from || !to) return ''
  if (from === to) return ` on ${shortDay(from, true)}`
  return ` from ${shortDay(from, spansYears(from, to))} to ${shortDay(to, true)}`
}

/** ", 12 weeks from 3 Nov 2025 to 19 Jan 2026", ", the week of 3 Nov 2026", or "" (`weeks` are Mondays). */
function weeksText(weeks: string[]): string {
  const first = weeks[0]
  const last = weeks[weeks.length - 1]
  if (!first || !last) return ''
  if (weeks.length === 1) return `, the week of ${shortDay(first, true)}`
  return `, ${plural(weeks.length, 'week')}${daysText(first, last)}`
}

/** Exact to the cent: 1234.5 → "£1,234.50". */
function moneyText(amount: number, currency: string): string {
  return formatMoney(fromCents(Math.round(amount * 100)), currency)
}

/** Whole amounts for an axis: 12000 → "£12,000". */
function moneyTick(currency: string) {
  const symbol = currencySymbol(currency)
  return (n: number) => `${n < 0 ? '-' : ''}${symbol}${countText(Math.abs(n))}`
}

/** The sum of amounts, added up in cents. */
const moneySum = (amounts: number[]) => amounts.reduce((sum, a) => sum + Math.round(a * 100), 0) / 100

const total = (values: number[]) => values.reduce((sum, v) => sum + v, 0)

/** A table cell as text: "3 Nov 2026", "1,234", "1,234.50" (the header names the currency). */
function cellText(value: string | number | undefined, kind: ColumnKind = 'text'): string {
  if (value === undefined || value === '') return ''
  if (typeof value === 'string') return kind === 'date' ? shortDay(value, true) : value
  if (kind === 'money') return thousands(fromCents(Math.round(value * 100)))
  return kind === 'count' ? countText(value) : String(value)
}

// ---- Geometry ----------------------------------------------------------------------------------

/** Whole units; never NaN. */
const px = (n: number) => (Number.isFinite(n) ? Math.round(n) : 0)
/** Tenths, for thin bars. */
const tenths = (n: number) => (Number.isFinite(n) ? Math.round(n * 10) / 10 : 0)
/** Data as drawn: a missing or broken number counts as 0. */
const finite = (n: number) => (Number.isFinite(n) ? n : 0)

/** The SVG's size and the plot area's edges, in viewBox units. */
interface Frame {
  width: number
  height: number
  left: number
  top: number
  right: number
  bottom: number
}

function frame(width: number, height: number, m: { top: number; right: number; bottom: number; left: number }): Frame {
  return { width, height, left: m.left, top: m.top, right: width - m.right, bottom: height - m.bottom }
}

/** From 0 (or the lowest value, if negative) to the highest, rounded out; at least 0–4 so ticks are whole. */
function valueScale(values: number[], range: [number, number]): ScaleLinear<number, number> {
  const min = values.reduce((a, b) => Math.min(a, b), 0)
  const max = values.reduce((a, b) => Math.max(a, b), 4)
  return scaleLinear().domain([min, max]).nice(5).range(range)
}

/** About `count` indices spread evenly from the first to the last (all of them when there are few). */
function spacedIndices(length: number, count = 6): number[] {
  if (length <= count) return Array.from({ length }, (_, i) => i)
  return [...new Set(Array.from({ length: count }, (_, i) => Math.round((i * (length - 1)) / (count - 1))))]
}

const indices = (length: number) => Array.from({ length }, (_, i) => i)

/**
 * A d3-shape drawing context that writes whole units and relative steps ("M64 120l1-3 1 4"): about
 * half the size of d3's own "M64,120L65,117", which keeps two lines of 731 days under budget.
 */
class CompactPath {
  private d = ''
  private x = 0
  private y = 0
  private drawing = false

  moveTo(x: number, y: number) {
    this.x = px(x)
    this.y = px(y)
    this.d += `M${this.x} ${this.y}`
    this.drawing = false
  }

  lineTo(x: number, y: number) {
    const dx = px(x) - this.x
    const dy = px(y) - this.y
    if (dx === 0 && dy === 0) return
    const number = (n: number) => (n < 0 ? String(n) : ` ${n}`)
    this.d += this.drawing ? `${number(dx)}${number(dy)}` : `l${dx}${number(dy)}`
    this.drawing = true
    this.x += dx
    this.y += dy
  }

  closePath() {
    this.d += 'z'
    this.drawing = false
  }

  toString() {
    return this.d
  }
}

function linePath(values: number[], x: (i: number) => number, y: (v: number) => number): string {
  const path = new CompactPath()
  line<number>()
    .x((_, i) => x(i))
    .y((v) => y(v))
    .context(path as unknown as CanvasRenderingContext2D)(values)
  return path.toString()
}

// ---- Shared pieces -----------------------------------------------------------------------------

function ChartSvg({
  name,
  frame: f,
  desc,
  defs,
  children,
}: {
  name: ChartName
  frame: Frame
  desc: string
  defs?: ReactNode
  children: ReactNode
}) {
  const id = `chart-${name}`
  return (
    <svg
      className="chart-svg"
      viewBox={`0 0 ${f.width} ${f.height}`}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      fontSize={11}
    >
      <title id={`${id}-title`}>{CHART_TITLES[name]}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      {defs ? <defs>{defs}</defs> : null}
      {children}
    </svg>
  )
}

function BottomLabel({ frame: f, label }: { frame: Frame; label: string }) {
  return (
    <text className="chart-axis-label" x={px((f.left + f.right) / 2)} y={f.height - 6} textAnchor="middle">
      {label}
    </text>
  )
}

/** A value axis: grid lines, a darker line at zero, tick labels and the axis' name. */
function ValueAxis({
  frame: f,
  scale,
  side,
  format,
  label,
}: {
  frame: Frame
  scale: ScaleLinear<number, number>
  side: 'left' | 'bottom'
  format: (n: number) => string
  label: string
}) {
  const ticks = scale
    .ticks(5)
    .filter(Number.isInteger)
    .map((t) => ({ at: px(scale(t)), text: format(t) }))
  const zero = px(scale(0))
  if (side === 'left') {
    return (
      <g className="chart-axis">
        <path d={ticks.map((t) => `M${f.left} ${t.at}H${f.right}`).join('')} stroke={GRID} />
        <path d={`M${f.left} ${zero}H${f.right}`} stroke={MUTED} />
        <g textAnchor="end" fill={MUTED}>
          {ticks.map((t) => (
            <text key={t.text} x={f.left - 6} y={t.at + 4}>
              {t.text}
            </text>
          ))}
        </g>
        <text
          className="chart-axis-label"
          transform="rotate(-90)"
          x={-px((f.top + f.bottom) / 2)}
          y={14}
          textAnchor="middle"
        >
          {label}
        </text>
      </g>
    )
  }
  return (
    <g className="chart-axis">
      <path d={ticks.map((t) => `M${t.at} ${f.top}V${f.bottom}`).join('')} stroke={GRID} />
      <path d={`M${zero} ${f.top}V${f.bottom}`} stroke={MUTED} />
      <g textAnchor="middle" fill={MUTED}>
        {ticks.map((t) => (
          <text key={t.text} x={t.at} y={f.bottom + 16}>
            {t.text}
          </text>
        ))}
      </g>
      <BottomLabel frame={f} label={label} />
    </g>
  )
}

/** Category (or day) labels under the plot, with small tick marks. */
function CategoryAxis({
  frame: f,
  ticks,
  label,
}: {
  frame: Frame
  ticks: { at: number; text: string }[]
  label: string
}) {
  return (
    <g className="chart-axis">
      {ticks.length ? <path d={ticks.map((t) => `M${t.at} ${f.bottom}v4`).join('')} stroke={MUTED} /> : null}
      <g textAnchor="middle" fill={MUTED}>
        {ticks.map((t, i) => (
          <text key={i} x={t.at} y={f.bottom + 16}>
            {t.text}
          </text>
        ))}
      </g>
      <BottomLabel frame={f} label={label} />
    </g>
  )
}

/** Swatches with their names in a row, from (x, y); a swatch is drawn about (0, 0), 16 wide. */
function Legend({ x, y, items }: { x: number; y: number; items: { label: string; swatch: ReactNode }[] }) {
  const offsets = items.map((_, i) => items.slice(0, i).reduce((at, item) => at + 40 + item.label.length * 6, 0))
  return (
    <g className="chart-legend">
      {items.map((item, i) => (
        <g key={item.label} transform={`translate(${x + offsets[i]!} ${y})`}>
          {item.swatch}
          <text x={22} y={4}>
            {item.label}
          </text>
        </g>
      ))}
    </g>
  )
}

function NoData({ frame: f }: { frame: Frame }) {
  return (
    <text
      className="chart-empty"
      x={px((f.left + f.right) / 2)}
      y={px((f.top + f.bottom) / 2)}
      textAnchor="middle"
      fill={MUTED}
    >
      {NO_DATA}
    </text>
  )
}

/** A lone point of a dashed line is a hollow dot, of a solid line a filled one. */
const dotStyle = (style: SVGProps<SVGPathElement>) =>
  style.strokeDasharray ? { fill: '#fff', stroke: style.stroke, strokeWidth: 2 } : { fill: style.stroke }

/** One line; a single value is a dot, and up to 60 values get a dot each. */
function LineSeries({
  className,
  values,
  x,
  y,
  style,
  dots,
}: {
  className: string
  values: number[]
  x: (i: number) => number
  y: (v: number) => number
  style: SVGProps<SVGPathElement>
  dots?: boolean
}) {
  if (values.length === 1) {
    return <circle className={className} cx={px(x(0))} cy={px(y(values[0]!))} r={4} {...dotStyle(style)} />
  }
  return (
    <>
      <path className={className} d={linePath(values, x, y)} fill="none" strokeLinejoin="round" {...style} />
      {dots && values.length <= 60 ? (
        <g fill={style.stroke}>
          {values.map((v, i) => (
            <circle key={i} cx={px(x(i))} cy={px(y(v))} r={2.5} />
          ))}
        </g>
      ) : null}
    </>
  )
}

// ---- The charts --------------------------------------------------------------------------------

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

const HATCH = 'chart-engagement-hatch'

/** Per platform: dark solid, mid-tone with a dark diagonal hatch, light with a dark outline. */
const PLATFORM_STYLES: Record<SocialPlatformName, { fill: string; stroke?: string }> = {
  instagram: { fill: INK },
  facebook: { fill: `url(#${HATCH})` },
  pinterest: { fill: LIGHT, stroke: INK },
}

/** Interactions per week, a group of bars per week, one per social platform. */
export function EngagementChart({ data }: { data: WeeklyEngagement[] }) {
  const f = frame(640, 260, { top: 30, right: 40, bottom: 42, left: 76 })
  const weeks = data.map((w) => ({
    week: w.week,
    instagram: finite(w.instagram),
    facebook: finite(w.facebook),
    pinterest: finite(w.pinterest),
  }))
  const n = weeks.length
  const values = weeks.flatMap((w) => SOCIAL_PLATFORMS.map((p) => w[p]))
  const empty = values.every((v) => v === 0)
  const x = scaleBand<number>().domain(indices(n)).range([f.left, f.right]).paddingInner(0.2).paddingOuter(0.1)
  const inner = scaleBand<SocialPlatformName>().domain(SOCIAL_PLATFORMS).range([0, x.bandwidth()])
  const y = valueScale(values, [f.bottom, f.top])
  const base = px(y(0))
  const barWidth = tenths(inner.bandwidth())
  // All of a platform's bars as one path: "M x base v -h h w v h z" per week.
  const bars = (platform: SocialPlatformName) =>
    weeks
      .map((w, i) => {
        if (w[platform] <= 0) return ''
        const h = Math.max(1, base - px(y(w[platform])))
        return `M${tenths((x(i) ?? 0) + (inner(platform) ?? 0))} ${base}v-${h}h${barWidth}v${h}z`
      })
      .join('')
  const first = weeks[0]?.week ?? ''
  const last = weeks[n - 1]?.week ?? ''
  const withYear = spansYears(first, last)
  const ticks = spacedIndices(n).map((i) => ({
    at: px((x(i) ?? 0) + x.bandwidth() / 2),
    text: shortDay(weeks[i]!.week, withYear),
  }))

  const range = weeksText(weeks.map((w) => w.week))
  let desc = `${CHART_TITLES.engagement}${range}. ${NO_DATA}.`
  if (!empty) {
    const sums = SOCIAL_PLATFORMS.map((p) => `${PLATFORM_LABELS[p]} ${countText(total(weeks.map((w) => w[p])))}`)
    const weekTotals = weeks.map((w) => total(SOCIAL_PLATFORMS.map((p) => w[p])))
    const busiest = weekTotals.indexOf(Math.max(...weekTotals))
    desc =
      `${CHART_TITLES.engagement}${range}: ${sums.join(', ')} interactions in all; ` +
      `the busiest week began ${shortDay(weeks[busiest]!.week, withYear)}, with ${countText(weekTotals[busiest]!)}.`
  }
  const hatch = (
    <pattern id={HATCH} width={4} height={4} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
      <rect width={4} height={4} fill={HATCH_FILL} />
      <path d="M0 0v4" stroke={INK} strokeWidth={1.5} />
    </pattern>
  )
  // An outline as thick as a bar hides its fill: thinner when the bars are thin.
  const outline = barWidth < 4 ? 0.5 : 1

  return (
    <ChartSvg name="engagement" frame={f} desc={desc} defs={hatch}>
      <ValueAxis frame={f} scale={y} side="left" format={countText} label="Interactions" />
      <CategoryAxis frame={f} ticks={ticks} label="Week starting" />
      <Legend
        x={f.left}
        y={12}
        items={SOCIAL_PLATFORMS.map((p) => ({
          label: PLATFORM_LABELS[p],
          swatch: <rect y={-6} width={16} height={12} {...PLATFORM_STYLES[p]} />,
        }))}
      />
      {empty ? (
        <NoData frame={f} />
      ) : (
        SOCIAL_PLATFORMS.map((p) => (
          <path key={p} className={`chart-${p}`} d={bars(p)} {...PLATFORM_STYLES[p]} strokeWidth={outline} />
        ))
      )}
    </ChartSvg>
  )
}

const dotTitle = (w: PostsVsEngagement) =>
  `${shortDay(w.week, true)}: ${plural(w.posts, 'post')}, ${plural(w.engagement, 'interaction')}`

/** A dot per week: posts published across, the interactions they had up. */
export function PostsVsEngagementChart({ data }: { data: PostsVsEngagement[] }) {
  const f = frame(640, 260, { top: 12, right: 24, bottom: 42, left: 76 })
  const weeks = data.map((w) => ({ week: w.week, posts: finite(w.posts), engagement: finite(w.engagement) }))
  const n = weeks.length
  const empty = weeks.every((w) => w.posts === 0 && w.engagement === 0)
  const x = valueScale(
    weeks.map((w) => w.posts),
    [f.left, f.right],
  )
  const y = valueScale(
    weeks.map((w) => w.engagement),
    [f.bottom, f.top],
  )
  const range = weeksText(weeks.map((w) => w.week))
  let desc = `${CHART_TITLES['posts-vs-engagement']}${range}. ${NO_DATA}.`
  if (!empty) {
    const best = weeks.reduce((a, b) => (b.engagement > a.engagement ? b : a))
    desc =
      `${CHART_TITLES['posts-vs-engagement']}${range}: ${plural(total(weeks.map((w) => w.posts)), 'post')} and ` +
      `${plural(total(weeks.map((w) => w.engagement)), 'interaction')} in all; the most, ` +
      `${countText(best.engagement)}, in the week of ${shortDay(best.week, true)} (${plural(best.posts, 'post')}).`
  }

  return (
    <ChartSvg name="posts-vs-engagement" frame={f} desc={desc}>
      <ValueAxis frame={f} scale={y} side="left" format={countText} label="Interactions" />
      <ValueAxis frame={f} scale={x} side="bottom" format={countText} label="Posts published" />
      {empty ? (
        <NoData frame={f} />
      ) : (
        <g className="chart-dots" fill={ACCENT} fillOpacity={0.75} stroke="#fff">
          {weeks.map((w, i) => (
            <circle key={i} cx={px(x(w.posts))} cy={px(y(w.engagement))} r={4}>
              {n <= 120 ? <title>{dotTitle(w)}</title> : null}
            </circle>
          ))}
        </g>
      )}
    </ChartSvg>
  )
}

// ---- The figure around a chart -----------------------------------------------------------------

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

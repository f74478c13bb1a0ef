// The analytics dashboard's charts (this folder, a file per chart) are inline SVG drawn on the
// server (the page ships no scripts); d3-scale and d3-shape compute the geometry, the markup is
// JSX. Every chart has a <title> and a <desc> in words, axes with nice ticks, an empty state, and
// series told apart by lightness AND a second cue (dashes, hatching, an outline), so that they
// survive grey-scale printing. Coordinates are rounded and a series is one <path>, so the longest
// ranges stay under 12 KB of markup.
//
// This file holds what every chart is drawn with: the colours, the <svg>, the axes, the legend,
// the empty state and a line series.
import type { ReactNode, SVGProps } from 'react'
import type { ScaleLinear } from 'd3-scale'
import type { ChartName } from '~/models/analytics-options'
import { CHART_TITLES } from '~/utils/chart-data'
import { NO_DATA } from './format'
import { type Frame, linePath, px } from './geometry'

// Colours, dark to light (grey-scale: ink ≈ 18%, accent ≈ 30%, hatch ≈ 50%, mid ≈ 57%, light ≈ 90%).
export const INK = '#3b2a20'
export const ACCENT = '#7a3e2b'
export const MID = '#8c959f'
export const HATCH_FILL = '#b8a18e'
export const LIGHT = '#efe6dc'
const GRID = '#d0d7de'
const MUTED = '#59636e'
export const DASH = '6 4'

export function ChartSvg({
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
export function ValueAxis({
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
export function CategoryAxis({
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
export function Legend({ x, y, items }: { x: number; y: number; items: { label: string; swatch: ReactNode }[] }) {
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

export function NoData({ frame: f }: { frame: Frame }) {
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
export function LineSeries({
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

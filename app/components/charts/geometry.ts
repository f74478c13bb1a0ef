// The charts' geometry: a plot's frame, scales with nice ticks, and compact SVG paths (whole units,
// relative steps), so that the longest ranges stay under 12 KB of markup.
import { type ScaleLinear, scaleLinear } from 'd3-scale'
import { line } from 'd3-shape'

/** Whole units; never NaN. */
export const px = (n: number) => (Number.isFinite(n) ? Math.round(n) : 0)
/** Tenths, for thin bars. */
export const tenths = (n: number) => (Number.isFinite(n) ? Math.round(n * 10) / 10 : 0)
/** Data as drawn: a missing or broken number counts as 0. */
export const finite = (n: number) => (Number.isFinite(n) ? n : 0)

/** The SVG's size and the plot area's edges, in viewBox units. */
export interface Frame {
  width: number
  height: number
  left: number
  top: number
  right: number
  bottom: number
}

export function frame(width: number, height: number, m: { top: number; right: number; bottom: number; left: number }): Frame {
  return { width, height, left: m.left, top: m.top, right: width - m.right, bottom: height - m.bottom }
}

/** From 0 (or the lowest value, if negative) to the highest, rounded out; at least 0–4 so ticks are whole. */
export function valueScale(values: number[], range: [number, number]): ScaleLinear<number, number> {
  const min = values.reduce((a, b) => Math.min(a, b), 0)
  const max = values.reduce((a, b) => Math.max(a, b), 4)
  return scaleLinear().domain([min, max]).nice(5).range(range)
}

/** About `count` indices spread evenly from the first to the last (all of them when there are few). */
export function spacedIndices(length: number, count = 6): number[] {
  if (length <= count) return Array.from({ length }, (_, i) => i)
  return [...new Set(Array.from({ length: count }, (_, i) => Math.round((i * (length - 1)) / (count - 1))))]
}

export const indices = (length: number) => Array.from({ length }, (_, i) => i)

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

export function linePath(values: number[], x: (i: number) => number, y: (v: number) => number): string {
  const path = new CompactPath()
  line<number>()
    .x((_, i) => x(i))
    .y((v) => y(v))
    .context(path as unknown as CanvasRenderingContext2D)(values)
  return path.toString()
}

// The live counts' wording, rendered by the server at load; app/enhance/enhance.js writes the same
// words as the user types (keep the two in step: tests/e2e/enhance.js.spec.ts compares them).

/** Characters as the server checks them: code points, a line break as the browser sends it (CR LF), trimmed. */
export function countCharacters(text: string): number {
  return [...text.replace(/\r?\n/g, '\r\n').trim()].length
}

/** "120 of 2,200 characters for Instagram", "620 of 500 characters for Pinterest: 120 too many". */
export function countText({ count, max, unit, label }: { count: number; max: number; unit: string; label?: string }): string {
  const n = (v: number) => v.toLocaleString('en-GB')
  return `${n(count)} of ${n(max)} ${unit}${label ? ` for ${label}` : ''}${count > max ? `: ${n(count - max)} too many` : ''}`
}

/** The limits of an output's `data-count-limits` attribute: "instagram=2200 pinterest=500". */
export function countLimits(limits: Record<string, number>): string {
  return Object.entries(limits)
    .map(([key, max]) => `${key}=${max}`)
    .join(' ')
}

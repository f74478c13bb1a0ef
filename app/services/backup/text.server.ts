// How the scripts and the admin page put backups into words, and the durations they read.
import path from 'node:path'
import { sum } from './manifest.server'

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/** "30m", "24h", "7d" (also "45s", "2w") in milliseconds; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,6})([smhdw])$/.exec(text.trim())
  if (!match) return undefined
  return Number(match[1]) * UNITS[match[2]!]!
}

/** 1536 → "1.5 KB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** "14 tables, 3230 rows (analytics 2120, orders 60, users 6, …)": for one-line reports. */
export function tableSummary(tables: Record<string, number>): string {
  const entries = Object.entries(tables)
  const largest = entries
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name, n]) => `${name} ${n}`)
  const more = entries.length > largest.length && largest.length > 0 ? ', …' : ''
  return `${entries.length} tables, ${sum(tables)} rows${largest.length ? ` (${largest.join(', ')}${more})` : ''}`
}

/** A path as printed: relative to the working directory when it is below it. */
export function shortPath(file: string): string {
  const relative = path.relative(process.cwd(), file)
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative
}

export function formatAge(ms: number): string {
  if (ms < 120_000) return `${Math.max(0, Math.round(ms / 1000))} s`
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`
  if (ms < 172_800_000) return `${Math.round(ms / 3_600_000)} h`
  return `${Math.round(ms / 86_400_000)} days`
}

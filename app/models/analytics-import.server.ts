// Figures only the platforms know (followers, profile visits, …), entered one at a time on the
// metrics page or uploaded as CSV (`date,metric_type,platform,value`). One schema checks both;
// a CSV is saved all or nothing, and every problem names its row (the header is row 1, as in
// a spreadsheet) and column.
import { CsvError } from 'csv-parse'
import { z } from 'zod'
import { isDay } from '~/utils/dates'
import {
  FIGURES_CSV_COLUMNS as CSV_COLUMNS,
  METRIC_NAME_PATTERN,
  METRIC_PLATFORMS,
  PLATFORM_LABELS,
  type MetricPlatform,
} from './analytics-options'
import { readCsv } from './etsy/csv-stager.server'
import { manualMetricProblem, saveManualFigures, type ManualFigureInput, type SaveFiguresResult } from './analytics.server'
import { formatNumber } from '~/utils/format'
import { text } from '~/utils/validation'

export const MAX_FIGURE_ROWS = 20_000
/** Problems listed after an upload; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 50
/** Figures are counts or amounts: anything larger is a typing mistake. */
const MAX_VALUE = 1e12

const METRIC_NAME_MAX = 40

/**
 * A metric's name as typed, in words or as stored: "Link clicks", "link-clicks" and "link_clicks"
 * are all the metric `link_clicks` (what is stored and unique per day and platform; pages show
 * it as "link clicks"). Trimmed, case and accents dropped, spaces, hyphens and underscores
 * become one underscore.
 */
export function readMetricName(typed: string): { ok: true; name: string } | { ok: false; message: string } {
  const name = typed
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s_-]+/g, '_')
    .replace(/^_+|_+$/g, '')
  if (!name) return { ok: false, message: 'Enter the metric' }
  if (/[^a-z0-9_]/.test(name)) return { ok: false, message: 'Use letters, digits and spaces only (e.g. Link clicks)' }
  if (!/^[a-z]/.test(name)) return { ok: false, message: 'Start the metric with a letter (e.g. Link clicks)' }
  if (name.length < 2) return { ok: false, message: 'Use at least 2 letters for the metric' }
  if (name.length > METRIC_NAME_MAX) return { ok: false, message: `Keep the metric under ${METRIC_NAME_MAX} characters` }
  // The database holds names to the same pattern (analytics_metric_type_name).
  return METRIC_NAME_PATTERN.test(name) ? { ok: true, name } : { ok: false, message: 'Use letters, digits and spaces only (e.g. Link clicks)' }
}

/** A stored metric as pages write it: "link_clicks" → "link clicks". */
export const metricWords = (name: string) => name.replaceAll('_', ' ')

/** One figure as typed (form fields or CSV cells), checked and normalised. */
export const ManualFigureFields = z.object({
  date: text('Enter the day').trim().refine(isDay, 'Enter a day as YYYY-MM-DD'),
  metricType: text('Enter the metric')
    .transform((typed, ctx) => {
      const key = readMetricName(typed)
      if (!key.ok) {
        ctx.addIssue({ code: 'custom', message: key.message })
        return z.NEVER
      }
      return key.name
    })
    .superRefine((name, ctx) => {
      const problem = manualMetricProblem(name)
      if (problem) ctx.addIssue({ code: 'custom', message: problem })
    }),
  platform: text()
    .trim()
    .toLowerCase()
    .optional()
    .transform((p) => (p === undefined || p === 'all' ? '' : p))
    .refine((p): p is MetricPlatform | '' => p === '' || (METRIC_PLATFORMS as readonly string[]).includes(p), {
      message: `Use one of ${METRIC_PLATFORMS.join(', ')}, or leave it empty for all`,
    }),
  value: text('Enter the figure')
    .trim()
    // "1,272" and "1 272" are 1272, as a figure copied from a platform's page is written.
    .transform((v) => (/^-?\d{1,3}(?:[, \u00a0\u202f\u2009]\d{3})+(?:\.\d+)?$/.test(v) ? v.replace(/[, \u00a0\u202f\u2009]/g, '') : v))
    .refine((v) => /^-?\d+(\.\d+)?$/.test(v), 'Enter a number such as 2640 or 12.5')
    .transform(Number)
    .refine((n) => Math.abs(n) < MAX_VALUE, 'That number is too large'),
})
export type ManualFigureFields = z.output<typeof ManualFigureFields>

export interface RowProblem {
  row: number
  column: string | null
  message: string
}

export type FiguresImportResult =
  | { ok: true; added: number; replaced: number; unchanged: number }
  | { ok: false; problems: RowProblem[]; total: number }

const describe = (f: ManualFigureInput) => `${PLATFORM_LABELS[f.platform]} ${metricWords(f.metricType)} on ${f.date}`

const columnOf: Record<string, string> = { metricType: 'metric_type' }

/**
 * Reads a figures CSV: the figures, or every problem with its row. The text goes through the
 * imports' CSV reader (etsy/csv-stager.server.ts), a batch of rows at a time; a file is all or
 * nothing, so the figures are kept until the end.
 */
export async function readFiguresCsv(
  text: string,
): Promise<{ ok: true; figures: ManualFigureInput[]; rows: number[] } | { ok: false; problems: RowProblem[] }> {
  let names: string[] = []
  let headerProblem: RowProblem | null = null
  let filled = 0
  const problems: RowProblem[] = []
  const figures: ManualFigureInput[] = []
  const rows: number[] = []
  const seen = new Map<string, number>()
  const at = (cells: string[], column: string) => cells[names.indexOf(column)]
  const readRow = (cells: string[], row: number) => {
    const parsed = ManualFigureFields.safeParse({
      date: at(cells, 'date') ?? '',
      metricType: at(cells, 'metric_type') ?? '',
      platform: at(cells, 'platform') ?? '',
      value: at(cells, 'value') ?? '',
    })
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0])
        problems.push({ row, column: columnOf[field] ?? field, message: issue.message })
      }
      return
    }
    const figure = parsed.data
    const key = `${figure.metricType}|${figure.date}|${figure.platform}`
    const first = seen.get(key)
    if (first) {
      problems.push({ row, column: null, message: `${describe(figure)} is already on row ${first}.` })
      return
    }
    seen.set(key, row)
    figures.push(figure)
    rows.push(row)
  }
  let read: { header: boolean }
  try {
    read = await readCsv({
      source: { text },
      options: { trim: true },
      header: (header) => {
        names = header.map((h) => h.trim().toLowerCase())
        headerProblem = figuresHeaderProblem(names)
        // Read on all the same: a file that is not CSV at all says so first.
        return true
      },
      batch: (records) => {
        for (const { values, row } of records) {
          // Past the limit the rows are only counted: the file is refused for its length alone.
          if (!headerProblem && ++filled <= MAX_FIGURE_ROWS) readRow(values, row)
        }
      },
    })
  } catch (error) {
    const row = error instanceof CsvError && typeof error.lines === 'number' ? error.lines : 1
    return { ok: false, problems: [{ row, column: null, message: 'This is not a readable CSV file (check its quotes).' }] }
  }
  if (!read.header) return { ok: false, problems: [{ row: 1, column: null, message: 'The file is empty.' }] }
  if (headerProblem) return { ok: false, problems: [headerProblem] }
  // Blank lines are skipped but still counted, so that row numbers match the spreadsheet's.
  if (filled === 0) return { ok: false, problems: [{ row: 2, column: null, message: 'The file has no figures under its header.' }] }
  if (filled > MAX_FIGURE_ROWS) {
    return { ok: false, problems: [{ row: MAX_FIGURE_ROWS + 2, column: null, message: `A file holds at most ${formatNumber(MAX_FIGURE_ROWS)} figures.` }] }
  }
  return problems.length ? { ok: false, problems } : { ok: true, figures, rows }
}

/** What is wrong with a header row (its names trimmed and in lower case), if anything. */
function figuresHeaderProblem(names: string[]): RowProblem | null {
  const missing = CSV_COLUMNS.filter((c) => c !== 'platform' && !names.includes(c))
  const unknown = names.filter((n) => !(CSV_COLUMNS as readonly string[]).includes(n))
  if (!missing.length && !unknown.length) return null
  const parts = [
    missing.length ? `it lacks ${missing.join(', ')}` : '',
    unknown.length ? `${unknown.map((u) => `"${u}"`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a column we know` : '',
  ].filter(Boolean)
  return { row: 1, column: null, message: `The first row must name the columns ${CSV_COLUMNS.join(',')}: ${parts.join('; ')}.` }
}

/**
 * Imports a figures CSV, all or nothing. Figures already stored with another value are replaced
 * only with `replace`; otherwise each is a problem on its row.
 */
export async function importFiguresCsv({
  text,
  userId,
  replace,
}: {
  text: string
  userId: string
  replace: boolean
}): Promise<FiguresImportResult> {
  const read = await readFiguresCsv(text)
  if (!read.ok) return { ok: false, problems: read.problems.slice(0, MAX_LISTED_PROBLEMS), total: read.problems.length }
  const saved = await saveManualFigures({ figures: read.figures, userId, replace })
  if (saved.ok) return saved
  const problems = existingProblems(saved, read.figures, read.rows)
  return { ok: false, problems: problems.slice(0, MAX_LISTED_PROBLEMS), total: problems.length }
}

function existingProblems(saved: Extract<SaveFiguresResult, { ok: false }>, figures: ManualFigureInput[], rows: number[]): RowProblem[] {
  return saved.existing.map(({ index, value }) => ({
    row: rows[index]!,
    column: 'value',
    message: `${describe(figures[index]!)} is already ${formatNumber(value)}; tick “Replace figures already entered” to overwrite it.`,
  }))
}

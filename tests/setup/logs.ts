// What the app's logger (app/services/logger.server.ts) writes, caught in a test: it writes one
// JSON line at a time to process.stdout, so the lines are caught there, and not printed.
import { vi } from 'vitest'

export interface LogLine {
  level: string
  msg: string
  [field: string]: unknown
}

/** JSON log lines in `text`; anything else (plain console output) left out. */
export function logLines(text: string): LogLine[] {
  return text.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return []
    try {
      const parsed = JSON.parse(line) as unknown
      return typeof parsed === 'object' && parsed !== null && 'level' in parsed && 'msg' in parsed ? [parsed as LogLine] : []
    } catch {
      return []
    }
  })
}

/** Catches what is written to stdout until restore(); `onLine` sees each log line as it comes. */
export function captureLogs(onLine?: (line: LogLine) => void) {
  let text = ''
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    const written = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()
    text += written
    if (onLine) for (const line of logLines(written)) onLine(line)
    return true
  })
  return {
    /** Everything written, as it was written. */
    text: () => text,
    lines: () => logLines(text),
    clear: () => void (text = ''),
    restore: () => spy.mockRestore(),
  }
}

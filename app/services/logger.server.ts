// The app's one logger (pino): JSON lines on stdout, one object per line, or readable lines from
// pino-pretty when NODE_ENV=development. LOG_LEVEL (env.server.ts) says how much is written.
//
// A line logged while a request is handled carries its `requestId` (server/app.ts opens the
// context), and one logged while a job runs carries `jobId` and `job` (the job runner wraps each
// job in withLogContext): the context lives in an AsyncLocalStorage and pino's `mixin` adds it.
//
// Never logged: bound SQL values, tokens, cookies, email addresses, form contents. Errors go
// through errorSummary/loggableError (the `err` serializer); headers that hold secrets are
// redacted by path; and, last, every line is scrubbed of anything shaped like an email address or
// a secret token before it is written.
import { AsyncLocalStorage } from 'node:async_hooks'
import { createRequire } from 'node:module'
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino'
import { env, type LogLevel } from './env.server'
import { errorSummary, loggableError, scrubSecrets } from './error-summary.server'

/** What a line may carry from its context: the request's id, or the job's id and kind. */
export interface LogContext {
  requestId?: string
  jobId?: string
  job?: string
}

const context = new AsyncLocalStorage<LogContext>()

/**
 * Runs `fn` with `fields` added to every line logged inside it, however deep and however
 * asynchronous (an outer context's fields are kept unless `fields` replaces them). Returns what
 * `fn` returns, a promise included: `await withLogContext({ jobId, job: 'mail' }, () => run(job))`.
 */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, fn)
}

/** The context's fields here (empty outside any). */
export function currentLogContext(): LogContext {
  return { ...context.getStore() }
}

/** Header and field names whose values are secrets: replaced by "[redacted]" wherever a line has them. */
export const REDACTED_PATHS = [
  'cookie',
  'authorization',
  'password',
  'token',
  'email',
  'headers.cookie',
  'headers.authorization',
  'headers["set-cookie"]',
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.cookie',
  '*.authorization',
  '*.password',
  '*.token',
  '*.email',
]

/** An error as a line may hold it: its summary and stack frames, never its values (db.server.ts). */
function serializeError(error: unknown) {
  if (typeof error !== 'object' || error === null) return errorSummary(error)
  const name = (error as { name?: unknown }).name
  return { type: typeof name === 'string' ? name : 'Error', message: errorSummary(error), stack: loggableError(error) }
}

/** pino-pretty's formatter, when it is installed (a dev dependency: absent from a production install). */
function prettyLines(): ((line: string) => string) | null {
  try {
    const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty')
    return prettyFactory({ translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: false })
  } catch {
    return null
  }
}

export interface LoggerSettings {
  level: LogLevel
  /** Readable lines (pino-pretty) instead of JSON. */
  pretty?: boolean
  /** Where lines go: stdout unless told (tests pass a stream of their own). */
  destination?: { write(line: string): unknown }
}

/**
 * A logger with the app's settings. The app uses the one logger() returns; this is for it and
 * for tests. Lines are written synchronously to stdout, so they keep their order with what the
 * app prints on purpose (the dev outbox, the demo's sign-in link) and none is lost at exit.
 */
export function createLogger({ level, pretty = false, destination = process.stdout }: LoggerSettings): Logger {
  const prettify = pretty ? prettyLines() : null
  const stream: DestinationStream = {
    write: (line: string) => {
      const safe = scrubSecrets(line)
      destination.write(prettify ? prettify(safe) : safe)
    },
  }
  const options: LoggerOptions = {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // "level":"warn" rather than "level":40: a person reads these.
    formatters: { level: (label) => ({ level: label }) },
    // A fresh object each time: pino merges the line's own fields into what mixin returns.
    mixin: () => ({ ...context.getStore() }),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError, error: serializeError },
    hooks: {
      // pino would take an error's own message (values and all) as the line's message: an error
      // logged alone, or an `err` without a message, gets its summary instead.
      logMethod(args, method) {
        const [first, ...rest] = args as unknown[]
        if (first instanceof Error) {
          return method.apply(this, [{ err: first }, ...(rest.length > 0 ? rest : [errorSummary(first)])] as Parameters<typeof method>)
        }
        const fields = first as { err?: unknown; error?: unknown } | null
        if (typeof fields === 'object' && fields !== null && (fields.err ?? fields.error) !== undefined && rest.length === 0) {
          return method.apply(this, [first, errorSummary(fields.err ?? fields.error)] as Parameters<typeof method>)
        }
        return method.apply(this, args)
      },
    },
  }
  return pino(options, stream)
}

let instance: Logger | undefined

/**
 * The app's logger, made on first use with LOG_LEVEL and NODE_ENV from env(). With an invalid
 * environment it still logs (at info), so that a log call never throws: env() refuses the start
 * itself, naming the variable.
 */
export function logger(): Logger {
  if (!instance) {
    let settings: LoggerSettings
    try {
      const e = env()
      settings = { level: e.LOG_LEVEL, pretty: e.NODE_ENV === 'development' }
    } catch {
      settings = { level: 'info' }
    }
    instance = createLogger(settings)
  }
  return instance
}

/**
 * A request's path as a line may hold it: never its query string (searched names, emails), at
 * most 200 characters. An escaped "@" is unescaped, so that the last guard sees an email address
 * in it (and a token, such as a calendar feed's, is scrubbed the same way).
 */
export function loggablePath(path: string): string {
  const bare = path.split('?')[0]!.replace(/%40/gi, '@')
  return bare.length > 200 ? `${bare.slice(0, 200)}…` : bare
}

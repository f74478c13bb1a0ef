// What may be logged of an error: never a query's bound values, a form's values, a token or an
// email. Drizzle's DrizzleQueryError puts the values in its message ("params: …"), PostgreSQL's
// `detail` names them ("Key (email)=(a@b.c) already exists"), and some messages quote the value
// that was refused ('invalid input syntax for type uuid: "…"'). Every log line about an error
// goes through errorSummary (one line) or loggableError (with its stack frames): the logger's `err`
// serializer (logger.server.ts) uses them, and db.server.ts re-exports them.
const EMAIL = /[^\s"'<>()=,;:]+@[^\s"'<>()=,;:]+\.[a-z]{2,}/gi
// The shape of the app's secret tokens (app/utils/crypto.server.ts: 256 random bits, base64url):
// sign-in links, session ids, calendar feed addresses. A UUID (36 characters) is not one.
const TOKEN = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g

/** Text with every email address and secret-token-shaped word replaced: the logger's last guard. */
export function scrubSecrets(text: string): string {
  return text.replace(EMAIL, '<email>').replace(TOKEN, '<token>')
}

function redact(message: string): string {
  return message
    .replace(/\nparams: [\s\S]*$/, '')
    .replace(/\(([^()]*)\)=\([^)]*\)/g, '($1)=(…)')
    .replace(/: "[^"]*"/g, ': "…"')
    .replace(EMAIL, '<email>')
    .replace(TOKEN, '<token>')
}

interface ErrorFields {
  name?: unknown
  message?: unknown
  code?: unknown
  query?: unknown
  params?: unknown
  cause?: unknown
}

/** One line: each error of the cause chain, its SQL (placeholders only) and SQLSTATE, never its values. */
export function errorSummary(error: unknown): string {
  const parts: string[] = []
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 6; depth++) {
    if (typeof e !== 'object') {
      parts.push(redact(String(e)))
      break
    }
    const { name, message, code, query, params, cause } = e as ErrorFields
    const text = typeof message === 'string' ? redact(message) : ''
    // Drizzle's error and PGlite's own both carry the query and its values: the SQL is said once,
    // and the database's own message (PGlite's) is kept beside it.
    const isQuery = typeof query === 'string' && Array.isArray(params)
    const sqlLine = isQuery ? `Failed query: ${query.replace(/\s+/g, ' ')}` : null
    if (sqlLine && !parts.includes(sqlLine)) parts.push(sqlLine)
    if (!sqlLine || !text.startsWith('Failed query')) {
      parts.push(`${typeof name === 'string' ? name : 'Error'}: ${typeof code === 'string' ? `${code} ` : ''}${text}`)
    }
    e = cause
  }
  return parts.join(' <- ')
}

/** An error as it may be logged: errorSummary, then the stack frames (never the stack's message line). */
export function loggableError(error: unknown): string {
  const stack = error instanceof Error ? (error.stack ?? '') : ''
  const frames = stack.split('\n').filter((line) => line.trimStart().startsWith('at '))
  return [errorSummary(error), ...frames].join('\n')
}

// A small iCalendar (RFC 5545) writer: just what a published calendar feed needs. Lines end
// with CRLF and are folded at 75 octets without splitting a UTF-8 character (§3.1); TEXT
// values are escaped (§3.3.11); times are written in UTC (§3.3.5, form #2).

const CRLF = '\r\n'
/** A content line may be at most 75 octets long, not counting the line break (§3.1). */
export const MAX_LINE_OCTETS = 75

const encoder = new TextEncoder()
const octets = (text: string) => encoder.encode(text).length

/**
 * A TEXT value as iCalendar writes it: backslash, semicolon and comma escaped, every line
 * break (CRLF, CR or LF) as `\n`. Other control characters are not allowed in TEXT: dropped.
 */
export function escapeText(value: string): string {
  return (
    value
      .replace(/\r\n|\r/g, '\n')
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '')
      .replace(/[\\;,\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`))
  )
}

/**
 * One content line, folded: the first line holds at most 75 octets, each continuation line a
 * space and at most 74 more. Folds fall between characters (code points), never inside one.
 */
export function foldLine(line: string): string {
  if (octets(line) <= MAX_LINE_OCTETS) return line
  const lines: string[] = []
  let current = ''
  let size = 0
  let limit = MAX_LINE_OCTETS
  for (const char of line) {
    const n = octets(char)
    if (size + n > limit) {
      lines.push(current)
      current = ' '
      size = 1
      limit = MAX_LINE_OCTETS
    }
    current += char
    size += n
  }
  lines.push(current)
  return lines.join(CRLF)
}

/** An instant in UTC, as a DATE-TIME: 20250314T093000Z (whole seconds). */
export function formatUtc(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '')
}

export type PropertyValue =
  | { text: string }
  | { texts: readonly string[] }
  | { utc: Date }
  | { raw: string }

/** `NAME:value`, with the value written according to its type. */
export function property(name: string, value: PropertyValue): string {
  if ('text' in value) return `${name}:${escapeText(value.text)}`
  if ('texts' in value) return `${name}:${value.texts.map(escapeText).join(',')}`
  if ('utc' in value) return `${name}:${formatUtc(value.utc)}`
  // URIs, integers and fixed words: must not hold a line break.
  if (/[\r\n]/.test(value.raw)) throw new Error(`${name}: a line break in a raw value`)
  return `${name}:${value.raw}`
}

export interface Component {
  name: string
  properties: string[]
  components?: Component[]
}

function lines(component: Component): string[] {
  return [
    `BEGIN:${component.name}`,
    ...component.properties,
    ...(component.components ?? []).flatMap(lines),
    `END:${component.name}`,
  ]
}

/** A whole iCalendar object: every line folded and ended with CRLF. */
export function serialize(component: Component): string {
  return lines(component).map((line) => foldLine(line) + CRLF).join('')
}

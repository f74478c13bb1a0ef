// A small reader of the app's server-rendered HTML for the fuzz test: its links and its forms
// with their fields and current values. React renders regular markup (quoted attributes, no
// nested forms), which is all this reads.

export interface FormField {
  tag: 'input' | 'select' | 'textarea' | 'button'
  /** The input's type, lower-cased ("text" when absent); "select", "textarea"; "submit" for a button. */
  type: string
  name: string
  value: string
  checked: boolean
}

export interface HtmlForm {
  method: 'GET' | 'POST'
  /** Absolute address the form submits to. */
  action: string
  multipart: boolean
  fields: FormField[]
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] === '#') {
      const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10)
      return Number.isFinite(n) ? String.fromCodePoint(n) : whole
    }
    return ENTITIES[code.toLowerCase()] ?? whole
  })
}

/** The attributes of a start tag's inside (`name="x" disabled`), names lower-cased, values decoded. */
export function attributes(source: string): Map<string, string> {
  const found = new Map<string, string>()
  for (const m of source.matchAll(/([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    found.set(m[1]!.toLowerCase(), decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''))
  }
  return found
}

/** Every link's address (`<a href>`), resolved against the page's. */
export function links(html: string, pageUrl: string): URL[] {
  const found: URL[] = []
  for (const m of html.matchAll(/<a\b([^>]*)>/gi)) {
    const href = attributes(m[1]!).get('href')
    if (href && URL.canParse(href, pageUrl)) found.push(new URL(href, pageUrl))
  }
  return found
}

interface Control {
  at: number
  formId: string | undefined
  field: FormField
}

function controls(html: string): Control[] {
  const found: Control[] = []
  // <input> is void; the others hold their options, text or label up to their end tag.
  const pattern = /<(input)\b([^>]*)>|<(select|textarea|button)\b([^>]*)>([\s\S]*?)<\/\3>/gi
  for (const match of html.matchAll(pattern)) {
    const m = [match[0], match[1] ?? match[3], match[2] ?? match[4], match[5]] as const
    const tag = m[1]!.toLowerCase() as FormField['tag']
    const attrs = attributes(m[2]!)
    const name = attrs.get('name')
    if (attrs.has('disabled')) continue
    const inner = m[3] ?? ''
    let field: FormField
    if (tag === 'input') {
      field = {
        tag,
        type: (attrs.get('type') ?? 'text').toLowerCase(),
        name: name ?? '',
        value: attrs.get('value') ?? (attrs.get('type') === 'checkbox' || attrs.get('type') === 'radio' ? 'on' : ''),
        checked: attrs.has('checked'),
      }
    } else if (tag === 'textarea') {
      field = { tag, type: 'textarea', name: name ?? '', value: decodeEntities(inner.replace(/^\n/, '')), checked: false }
    } else if (tag === 'select') {
      const options = [...inner.matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/gi)].map((o) => {
        const a = attributes(o[1]!)
        return { value: a.get('value') ?? decodeEntities(o[2]!.replace(/<[^>]*>/g, '')), selected: a.has('selected') }
      })
      const chosen = options.find((o) => o.selected) ?? options[0]
      field = { tag, type: 'select', name: name ?? '', value: chosen?.value ?? '', checked: false }
    } else {
      field = { tag, type: (attrs.get('type') ?? 'submit').toLowerCase(), name: name ?? '', value: attrs.get('value') ?? '', checked: false }
    }
    found.push({ at: match.index, formId: attrs.get('form'), field })
  }
  return found
}

/** Every form of a page, with the fields inside it and those outside that name it (`form="id"`). */
export function forms(html: string, pageUrl: string): HtmlForm[] {
  const all = controls(html)
  const found: HtmlForm[] = []
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attrs = attributes(m[1]!)
    const start = m.index
    const end = start + m[0].length
    const id = attrs.get('id')
    const fields = all
      .filter((c) => (c.formId ? c.formId === id : c.at > start && c.at < end))
      .map((c) => c.field)
    const action = attrs.get('action') || pageUrl
    found.push({
      method: (attrs.get('method') ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET',
      action: new URL(action, pageUrl).href,
      multipart: (attrs.get('enctype') ?? '').toLowerCase() === 'multipart/form-data',
      fields,
    })
  }
  return found
}

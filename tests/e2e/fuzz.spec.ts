// Every reachable form and query, fed junk, answers with a page (2xx, 3xx or 4xx with a message),
// never a 5xx, and never echoes markup unescaped. It crawls the fuzz app (its own demo database,
// see playwright.config.ts) as the admin, breadth-first from "/", reads every <form>, and submits
// each once per bad value with every text-like field set to it (hidden fields and selects kept).
// New pages and forms are covered without anyone listing them here.
import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test'
import { servers } from '../../playwright.config'
import { decodeEntities, forms, links, type FormField, type HtmlForm } from './html-forms'

const APP = servers.fuzz.url
const MAX_PAGES = 150
/** Pages with the same shape (`/fabrics/:id`, same query keys) visited at most this often. */
const PER_PATTERN = 2

const XSS = '"><img src=x onerror=alert(1)><script>alert(1)</script>'
const BAD_VALUES: Record<string, string> = {
  empty: '',
  huge: 'x'.repeat(100_000),
  nul: 'a\u0000b',
  controls: 'a\u0001\u0008\u001b\u007fb',
  emoji: '🧵✂️👩🏽‍🦰🪡',
  rtl: 'مرحبا \u202Eevil\u202C שלום',
  'big number': '100000000000000',
  'negative number': '-99999999999999999999',
  'number-ish': '1e309',
  'not a number': 'NaN',
  xss: XSS,
}
/** Also sent in one field at a time, the others keeping their values, so that they pass the other checks. */
const ONE_FIELD_VALUES = ['nul', 'big number', 'xss']
/** What must never come back as is: the markup of the XSS value. */
const UNESCAPED = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>']

const TEXT_LIKE = new Set([
  'text', 'search', 'email', 'number', 'textarea', 'url', 'date', 'datetime-local', 'time', 'month',
  'week', 'tel', 'password', 'color', 'range',
])

/** Pages not to fetch: sign-out, downloads (CSV, backups, the calendar feed) and uploaded files. */
function skipPage(url: URL): boolean {
  return (
    url.origin !== APP ||
    /^\/(logout|uploads\/)/.test(url.pathname) ||
    /\.(csv|ics)$/.test(url.pathname) ||
    /^\/admin\/backups\/./.test(url.pathname) ||
    /^\/analytics\/charts\//.test(url.pathname)
  )
}

/**
 * Forms not submitted, each with its reason (keep this tiny):
 * - "Sign out" (POST /logout) ends the session, and with it the rest of the run.
 */
function skipForm(form: HtmlForm): boolean {
  return new URL(form.action).pathname === '/logout'
}

const ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+|[\w-]{20,})$/i
function pathPattern(url: URL): string {
  return url.pathname
    .split('/')
    .map((part) => (ID.test(part) ? ':id' : part))
    .join('/')
}
const pagePattern = (url: URL) => `${pathPattern(url)}?${[...new Set(url.searchParams.keys())].sort().join('&')}`

/** The words of a page's main part, for a finding's message. */
function summary(html: string) {
  const main = /<main\b[\s\S]*?<\/main>/i.exec(html)?.[0] ?? html
  return decodeEntities(main.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, '').replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 160)
}

interface Finding {
  what: string
  status: number
  problem: string
}

async function check(findings: Finding[], what: string, response: APIResponse) {
  const status = response.status()
  const body = await response.text()
  if (status >= 500) findings.push({ what, status, problem: summary(body) })
  for (const markup of UNESCAPED) {
    if (body.includes(markup)) findings.push({ what, status, problem: `echoes ${markup} unescaped` })
  }
  if (new URL(response.url()).pathname === '/login' && !what.includes('/login')) {
    findings.push({ what, status, problem: 'ended on the sign-in page: the session was lost' })
  }
  return body
}

/** Breadth-first from "/": the pages' HTML by address. */
async function crawl(request: APIRequestContext, findings: Finding[]) {
  const pages = new Map<string, string>()
  const queue = [new URL('/', APP)]
  const seen = new Set<string>([queue[0]!.href])
  const perPattern = new Map<string, number>()
  while (queue.length && pages.size < MAX_PAGES) {
    const url = queue.shift()!
    const response = await request.get(url.href)
    const body = await check(findings, `GET ${url.pathname}${url.search}`, response)
    if (!(response.headers()['content-type'] ?? '').includes('text/html')) continue
    pages.set(url.href, body)
    for (const link of links(body, response.url())) {
      link.hash = ''
      if (skipPage(link) || seen.has(link.href)) continue
      seen.add(link.href)
      const pattern = pagePattern(link)
      const count = perPattern.get(pattern) ?? 0
      if (count >= PER_PATTERN) continue
      perPattern.set(pattern, count + 1)
      queue.push(link)
    }
  }
  return pages
}

interface Submission {
  form: HtmlForm
  submitter: FormField | undefined
}

/**
 * Each form once per shape (method, action path pattern, field names) and per named submit button:
 * the query of a form's action is only the state of the page it was on.
 */
function submissions(pages: Map<string, string>): Submission[] {
  const found = new Map<string, Submission>()
  for (const [url, html] of pages) {
    for (const form of forms(html, url)) {
      if (skipForm(form)) continue
      const names = [...new Set(form.fields.filter((f) => f.tag !== 'button' && f.type !== 'submit').map((f) => f.name))].sort()
      const buttons = form.fields.filter((f) => f.type === 'submit')
      const submitters: (FormField | undefined)[] = buttons.some((b) => !b.name) || !buttons.length ? [undefined] : []
      submitters.push(...buttons.filter((b) => b.name))
      for (const submitter of submitters) {
        const by = submitter ? `${submitter.name}=${ID.test(submitter.value) ? ':id' : submitter.value}` : ''
        const key = `${form.method} ${pathPattern(new URL(form.action))} [${names.join(',')}] ${by}`
        if (!found.has(key)) found.set(key, { form, submitter })
      }
    }
  }
  return [...found.values()]
}

const isTextLike = (field: FormField) => TEXT_LIKE.has(field.type) && field.tag !== 'button'

/** The form's data as a browser sends it, with every text-like field (or only `only`) holding `value`. */
function formData({ form, submitter }: Submission, value: string, only?: string): [string, string | File][] {
  const entries: [string, string | File][] = []
  for (const field of form.fields) {
    if (!field.name) continue
    if (field.tag === 'button' || ['submit', 'image', 'reset', 'button'].includes(field.type)) {
      if (field === submitter) entries.push([field.name, field.value])
    } else if (field.type === 'checkbox' || field.type === 'radio') {
      if (field.checked) entries.push([field.name, field.value])
    } else if (field.type === 'file') {
      entries.push([field.name, new File([], 'empty.jpg', { type: 'image/jpeg' })])
    } else if (isTextLike(field)) {
      entries.push([field.name, only === undefined || only === field.name ? value : field.value])
    } else {
      entries.push([field.name, field.value])
    }
  }
  return entries
}

async function submit(request: APIRequestContext, submission: Submission, value: string, only?: string) {
  const { form } = submission
  const entries = formData(submission, value, only)
  if (form.method === 'GET') {
    const url = new URL(form.action)
    url.search = new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()
    return request.get(url.href)
  }
  const headers = { Origin: APP }
  if (form.multipart) {
    const multipart = new FormData()
    for (const [k, v] of entries) multipart.append(k, v)
    return request.post(form.action, { headers, multipart })
  }
  const body = new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()
  return request.post(form.action, {
    headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
    data: body,
  })
}

/** A page's query with one parameter at a time set to `value`. */
function queryVariants(pages: Map<string, string>) {
  const found = new Map<string, { url: URL; key: string }>()
  for (const href of pages.keys()) {
    const url = new URL(href)
    for (const key of new Set(url.searchParams.keys())) {
      const id = `${pathPattern(url)}?${key}`
      if (!found.has(id)) found.set(id, { url, key })
    }
  }
  return [...found.values()]
}

test('every form and query, fed junk, answers without a server error and escapes what it echoes', async ({ request }) => {
  test.setTimeout(180_000)
  const findings: Finding[] = []
  const started = Date.now()
  const pages = await crawl(request, findings)
  test.info().annotations.push({ type: 'crawl', description: `${pages.size} pages in ${Date.now() - started} ms` })
  expect(pages.size, 'the crawl reached the app’s pages').toBeGreaterThan(20)

  const toSubmit = submissions(pages)
  // The app's main forms are among them (a sanity check that the reader finds forms at all).
  const actions = new Set(toSubmit.map((s) => pathPattern(new URL(s.form.action))))
  for (const path of ['/fabrics', '/fabrics/new', '/fabrics/:id', '/orders/new', '/calendar/entries/new', '/users']) {
    expect([...actions], `a form posting to ${path}`).toContain(path)
  }

  const describe = ({ form, submitter }: Submission) =>
    `${form.method} ${new URL(form.action).pathname}${new URL(form.action).search}${submitter ? ` (${submitter.name}=${submitter.value.slice(0, 40)})` : ''}`
  // Forms with nothing to type into (archive, publish, delete, start a backup) are the same
  // whatever the value: each is sent once, after the others, so that archiving a fabric does not
  // hide the order form's checks of that fabric's line.
  const typed = toSubmit.filter((s) => s.form.fields.some(isTextLike))
  const buttons = toSubmit.filter((s) => !typed.includes(s))
  for (const [label, value] of Object.entries(BAD_VALUES)) {
    for (const submission of typed) {
      const { form } = submission
      const what = describe(submission)
      await check(findings, `${what} with ${label} in every field`, await submit(request, submission, value))
      if (!ONE_FIELD_VALUES.includes(label)) continue
      for (const name of new Set(form.fields.filter(isTextLike).map((f) => f.name))) {
        if (name) await check(findings, `${what} with ${label} in ${name}`, await submit(request, submission, value, name))
      }
    }
    for (const { url, key } of queryVariants(pages)) {
      const bad = new URL(url)
      bad.searchParams.set(key, value)
      await check(findings, `GET ${url.pathname}?${key}=<${label}>`, await request.get(bad.href))
    }
  }
  for (const submission of buttons) await check(findings, describe(submission), await submit(request, submission, ''))

  test.info().annotations.push({ type: 'fuzz', description: `${toSubmit.length} forms, ${Date.now() - started} ms in all` })
  // Still signed in: no submission ended the session (which would make the rest prove nothing).
  const home = await request.get('/users')
  expect(home.status()).toBe(200)
  expect(await home.text()).toContain('Sign out')
  expect(findings).toEqual([])
})

test('a NUL or an out-of-range number gets its message next to the field, and the form keeps what was typed', async ({ request }) => {
  const list = await request.get('/fabrics?tag=%00')
  expect(list.status()).toBe(200)
  const fabricId = /href="\/fabrics\/([0-9a-f-]{36})"/.exec(await list.text())?.[1]
  expect(fabricId, 'the list shows fabrics, the NUL tag ignored').toBeTruthy()

  const typed = {
    fabricQuery: '',
    addQuantity: '1',
    customerName: 'Ana\u0000Lopez',
    'lines[0].fabricId': fabricId!,
    'lines[0].quantity': '100000000000000',
  }
  for (const intent of ['place', 'find']) {
    const response = await request.post('/orders/new', { headers: { Origin: APP }, form: { ...typed, intent } })
    expect(response.status(), `"${intent}"`).toBeLessThan(500)
    const html = await response.text()
    // What was typed is in the form again.
    expect(html).toMatch(/<input[^>]*name="lines\[0\]\.quantity"[^>]*value="100000000000000"/)
    if (intent === 'place') {
      expect(response.status()).toBe(400)
      expect(html).toMatch(/<input[^>]*aria-invalid="true"[^>]*name="lines\[0\]\.quantity"|<input[^>]*name="lines\[0\]\.quantity"[^>]*aria-invalid="true"/)
      expect(html).toContain('Enter at most 10,000.')
      expect(html).toContain('Remove the invisible control character (such as a NUL byte) from this text: it cannot be saved.')
    }
  }
})

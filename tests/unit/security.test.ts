// The pure parts of sign-in security: redirect targets, the Origin check, the sign-in mail,
// and the rule that every page's loader and action checks the user first.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { isCrossSiteRequest } from '~/services/csrf.server'
import { signInMail } from '~/services/email.server'
import { safeRedirect } from '~/utils/redirect'

describe('redirectTo after sign-in', () => {
  it('keeps a local path with its query and hash', () => {
    expect(safeRedirect('/orders?status=pending#top')).toBe('/orders?status=pending#top')
    expect(safeRedirect('/fabrics/../users')).toBe('/users')
  })

  it.each([
    'https://evil.example/',
    '//evil.example/path',
    '/\\evil.example',
    'javascript:alert(1)',
    'orders',
    '/\t/evil.example',
    '/x\r\nSet-Cookie: a=b',
    '',
    null,
    undefined,
    42,
  ])('refuses %j and falls back to /', (to) => {
    expect(safeRedirect(to)).toBe('/')
  })
})

describe('the Origin check (CSRF)', () => {
  const app = 'https://hub.example.com'
  it('lets reads through from anywhere', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) expect(isCrossSiteRequest(method, 'https://evil.example', app)).toBe(false)
  })
  it("refuses a change whose Origin is not APP_URL's, or that has none", () => {
    expect(isCrossSiteRequest('POST', 'https://hub.example.com', app)).toBe(false)
    expect(isCrossSiteRequest('post', 'https://evil.example', app)).toBe(true)
    expect(isCrossSiteRequest('POST', 'http://hub.example.com', app)).toBe(true)
    expect(isCrossSiteRequest('DELETE', undefined, app)).toBe(true)
    expect(isCrossSiteRequest('PUT', 'null', app)).toBe(true)
  })
})

describe('the sign-in mail', () => {
  const mail = signInMail({
    to: 'ana@example.com',
    link: 'https://hub.example.com/login/link?token=abc&x=<y>',
    expiresInMinutes: 15,
    shopName: 'Tara & Co',
  })
  it('has the link, when it stops working, and what to do if it was not asked for, as text and HTML', () => {
    for (const body of [mail.text, mail.html]) {
      expect(body).toContain('15 minutes')
      expect(body).toContain('If you did not ask for this, ignore this email')
    }
    expect(mail.text).toContain('https://hub.example.com/login/link?token=abc&x=<y>')
    expect(mail.html).toContain('href="https://hub.example.com/login/link?token=abc&amp;x=&lt;y&gt;"')
    expect(mail.html).toContain('Tara &amp; Co')
    expect(mail.subject).toBe('Sign in to Tara & Co')
  })
  it('names who invited a new staff member', () => {
    const invite = signInMail({ to: 'a@b.c', link: 'https://x/', expiresInMinutes: 15, shopName: 'Shop', invitedBy: 'Ana' })
    expect(invite.subject).toBe('You are invited to Shop')
    expect(invite.text).toContain('Ana has invited you')
  })
})

describe('every loader and action checks who is asking, first', () => {
  // The public pages: sign-in, the link landing page, the health check, and the calendar feed
  // (phone calendars send no cookies: the secret token in its address is the key), and the page
  // of a body the server refused (server/body-limits.ts: it answers only requests the server turned into it).
  const PUBLIC = new Set(['login._index.tsx', 'login.link.tsx', 'healthz.ts', 'calendar.$feed.tsx', 'request-refused.tsx'])
  const dir = path.resolve('app/routes')
  // Flat files, and folder routes (orders.new/route.tsx beside the modules only it uses).
  const routes = readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? readdirSync(path.join(dir, entry.name))
          .filter((f) => /^route\.tsx?$/.test(f))
          .map((f) => `${entry.name}/${f}`)
      : /\.tsx?$/.test(entry.name)
        ? [entry.name]
        : [],
  )

  it('finds the routes', () => {
    expect(routes).toEqual(expect.arrayContaining(['users._index.tsx', 'fabrics._index.tsx', ...PUBLIC]))
  })

  it('the calendar feed answers nothing before it has found the token’s user', () => {
    const source = readFileSync(path.join(dir, 'calendar.$feed.tsx'), 'utf8')
    expect(source).toMatch(
      /export async function loader\([^)]*\) \{\n\s+const token = tokenFromFeedPath\(params\.feed\)\n\s+if \(!token\) return notFound\(\)\n\s+const owner = await findFeedUser\(token\)\n\s+if \(!owner\) return notFound\(\)/,
    )
  })

  it.each(routes.filter((f) => !PUBLIC.has(f)))('%s', (file) => {
    const source = readFileSync(path.join(dir, file), 'utf8')
    const functions = [...source.matchAll(/export (?:async )?function (loader|action)\([^)]*\)[^{]*\{\n([^\n]*)/g)]
    expect(functions.length, 'a route module with a loader or an action').toBeGreaterThan(0)
    for (const [, name, firstLine] of functions) {
      // Resource routes may turn a database outage into their 503 (app/services/outage.server.ts).
      expect(firstLine, `${name} of ${file}`).toMatch(
        /^\s+(const \w+ = )?await require(User|Admin)\(request\)(\.catch\(databaseUnavailable\))?$/,
      )
    }
  })
})

// The accessibility and layout scan (tests/e2e/a11y.spec.ts) visits every page: each route file in
// app/routes is in its list of pages (tests/e2e/a11y-pages.ts) or named there as not a page, with
// its reason. A new page cannot escape the scan.
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { NOT_PAGES, PAGES } from '../e2e/a11y-pages'

/** Route ids as flatRoutes names them: "fabrics.$id._index", a folder route as "orders.new/route". */
function routeFiles(dir = 'app/routes'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) {
      const inside = readdirSync(path.join(dir, entry.name)).filter((f) => /^route\.tsx?$/.test(f))
      return inside.map((f) => `${entry.name}/${f.replace(/\.tsx?$/, '')}`)
    }
    return /\.tsx?$/.test(entry.name) ? [entry.name.replace(/\.tsx?$/, '')] : []
  })
}

describe('the accessibility scan', () => {
  const routes = routeFiles()

  it('finds the route files', () => {
    expect(routes).toContain('_index')
    expect(routes).toContain('orders.new/route')
  })

  it('visits every route file that has a page, and names the others with a reason', () => {
    const scanned = new Set(PAGES.map((p) => p.route))
    const missing = routes.filter((r) => !scanned.has(r) && !(r in NOT_PAGES))
    expect(missing, 'route files neither scanned nor named as not a page').toEqual([])
  })

  it('lists no route that does not exist, and no route twice over', () => {
    const known = new Set(routes)
    expect(PAGES.map((p) => p.route).filter((r) => !known.has(r))).toEqual([])
    expect(Object.keys(NOT_PAGES).filter((r) => !known.has(r))).toEqual([])
    expect(Object.keys(NOT_PAGES).filter((r) => PAGES.some((p) => p.route === r))).toEqual([])
    for (const reason of Object.values(NOT_PAGES)) expect(reason.length).toBeGreaterThan(5)
  })

  it('covers the states the issue names: errors, 403, 404, signed out, previews, confirmations', () => {
    const names = PAGES.map((p) => p.name).join('\n')
    for (const state of [/with errors/, /403/, /404/, /preview/, /confirmation/, /packing slips/]) expect(names).toMatch(state)
    expect(PAGES.some((p) => p.as === 'signedOut')).toBe(true)
    expect(PAGES.some((p) => p.as === 'staff')).toBe(true)
  })
})

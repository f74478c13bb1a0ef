// Every page of the app (tests/e2e/a11y-pages.ts) at the shop's two tablet widths, with JavaScript
// off: axe finds no WCAG 2.0/2.1/2.2 A or AA violation, and no page scrolls sideways.
import { randomBytes } from 'node:crypto'
import type { Browser, BrowserContext, Page } from '@playwright/test'
import { ADMIN_STATE, servers } from '../../playwright.config'
import { PAGES, type A11yPage, type Ids } from './a11y-pages'
import { expect, onDatabase, signedOut, signIn, test } from './fixtures'
import { axeOf, describeViolations, fabricWithImage, sidewaysScroll, twinPage, type Twin } from './tablet-helpers'

const app = servers.postgres.url
const WIDTHS = [
  { width: 820, height: 1180 },
  { width: 1024, height: 768 },
]

const one = async (text: string) => {
  const [row] = await onDatabase<{ id: string }>(text)
  if (!row) throw new Error(`no row for: ${text}`)
  return row.id
}

async function readIds(page: Page): Promise<Ids> {
  return {
    fabric: await one('select id from fabrics where archived_at is null order by name limit 1'),
    fabricWithImage: await fabricWithImage(page),
    order: await one("select id from orders where status = 'delivered' order by created_at limit 1"),
    openOrder: await one("select id from orders where status in ('pending', 'processing') order by created_at limit 1"),
    entry: await one('select id from content_calendar where not published order by scheduled_date desc nulls last limit 1'),
    publishedEntry: await one('select id from content_calendar where published order by scheduled_date desc limit 1'),
  }
}

/** A staff member who is not an admin, signed in, in a context of their own. */
async function staffContext(browser: Browser, options: object) {
  const context = await browser.newContext({ ...options, storageState: signedOut })
  const email = `a11y-staff-${randomBytes(4).toString('hex')}@example.com`
  await onDatabase("insert into users (email, name, role) values ($1, 'Counter helper', 'user')", [email])
  await signIn(await context.newPage(), app, email)
  return context
}

async function check(page: Page, twin: Twin, spec: A11yPage, ids: Ids): Promise<string[]> {
  await page.goto(`${app}${spec.path(ids)}`)
  if (spec.act) {
    await spec.act(page)
    // A form's answer is read once it has loaded, not while it is still arriving.
    await page.waitForLoadState('load')
    await expect(page.locator('main h1').first()).toBeVisible()
  }
  const problems: string[] = []
  const { scrollWidth, innerWidth } = await sidewaysScroll(page)
  if (scrollWidth > innerWidth) problems.push(`  scrolls sideways: ${scrollWidth} px wide in ${innerWidth} px`)
  problems.push(...describeViolations(await axeOf(page, twin)))
  return problems
}

for (const viewport of WIDTHS) {
  // One context per visitor at this width, made once; each page is a test of its own.
  test.describe(`at ${viewport.width} px`, () => {
    let contexts: BrowserContext[] = []
    let pages: Record<string, Page> = {}
    let twin: Twin
    let ids: Ids

    test.beforeAll(async ({ browser }) => {
      test.setTimeout(60_000)
      const options = { viewport, javaScriptEnabled: false }
      const made = {
        admin: await browser.newContext({ ...options, storageState: ADMIN_STATE }),
        signedOut: await browser.newContext({ ...options, storageState: signedOut }),
        staff: await staffContext(browser, options),
      }
      const twinContext = await browser.newContext({ viewport, javaScriptEnabled: true, storageState: signedOut })
      contexts = [...Object.values(made), twinContext]
      pages = Object.fromEntries(
        await Promise.all(Object.entries(made).map(async ([who, context]) => [who, await context.newPage()] as const)),
      )
      twin = await twinPage(twinContext)
      ids = await readIds(pages.admin!)
    })

    test.afterAll(async () => {
      await Promise.all(contexts.map((context) => context.close()))
    })

    for (const spec of PAGES) {
      test(`${spec.name}: no axe violation, no sideways scroll`, async () => {
        const problems = await check(pages[spec.as ?? 'admin']!, twin, spec, ids)
        expect(problems.join('\n'), `${spec.path(ids)} at ${viewport.width} px`).toBe('')
      })
    }
  })
}

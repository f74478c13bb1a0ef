// The one deferred script (app/enhance/enhance.js) with JavaScript on: links and forms without a
// full reload, the address, title, Back, focus and scroll; the pending state and double submits;
// what stays the browser's (downloads, failures); live counts; Print and Copy. The confirm dialogs
// are in confirm.js.spec.ts. `window.__marker` is set before each step: it survives only if the
// page was not reloaded.
import { randomBytes } from 'node:crypto'
import { servers } from '../../playwright.config'
import { expect, onDatabase, test } from './fixtures'
import type { Page } from '@playwright/test'

const app = servers.postgres.url

test.use({ expectedConsoleErrors: [/status of (400|409)|net::ERR_FAILED/] })

const mark = (page: Page) => page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 1))
const marked = (page: Page) => page.evaluate(() => (window as unknown as { __marker?: number }).__marker ?? null)

test('one small deferred script, cached for a year', async ({ page }) => {
  await page.goto(`${app}/login`)
  const script = page.locator('head script[data-enhance]')
  await expect(script).toHaveAttribute('defer', '')
  await expect(script).toHaveAttribute('src', /^\/assets\/enhance-[\w-]+\.js$/)
  const response = await page.request.get(`${app}${await script.getAttribute('src')}`, { headers: { 'Accept-Encoding': 'gzip' } })
  expect(response.headers()['cache-control']).toBe('public, max-age=31536000, immutable')
  expect(response.headers()['content-type']).toMatch(/javascript/)
})

test('links: the page changes without a reload; address, title, nav and focus follow; Back and Forward work', async ({ page }) => {
  await page.goto(`${app}/fabrics`)
  await mark(page)
  const nav = page.getByRole('navigation', { name: 'Main' })
  await nav.getByRole('link', { name: 'Orders' }).click()
  await expect(page).toHaveURL(`${app}/orders`)
  await expect(page).toHaveTitle('Orders · Tara Hub')
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused()
  await expect(nav.getByRole('link', { name: 'Orders' })).toHaveAttribute('aria-current', 'page')
  await expect(nav.getByRole('link', { name: 'Fabrics' })).not.toHaveAttribute('aria-current', 'page')
  expect(await marked(page)).toBe(1)

  await page.goBack()
  await expect(page).toHaveURL(`${app}/fabrics`)
  await expect(page.getByRole('heading', { level: 1, name: 'Fabrics' })).toBeVisible()
  await expect(page).toHaveTitle('Fabrics · Tara Hub')
  await page.goForward()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Orders/)
  expect(await marked(page)).toBe(1)
})

test('a navigation scrolls to the top; a form shown again keeps its place', async ({ page }) => {
  await page.setViewportSize({ width: 820, height: 600 })
  await page.goto(`${app}/fabrics`)
  await mark(page)
  const last = page.locator('table.fabric-list tbody tr').last().getByRole('link')
  await last.scrollIntoViewIfNeeded()
  expect(await page.evaluate(() => scrollY)).toBeGreaterThan(0)
  await last.click()
  await expect(page).toHaveURL(/\/fabrics\/[0-9a-f-]{36}$/)
  await expect.poll(() => page.evaluate(() => scrollY)).toBe(0)

  // "Find fabrics" posts the calendar form and comes back with matches (no error): same place.
  await page.goto(`${app}/calendar/entries/new`)
  await mark(page)
  await page.getByLabel('Find fabrics').fill('linen')
  const before = await page.evaluate(() => scrollY)
  expect(before).toBeGreaterThan(0)
  await page.getByRole('button', { name: 'Find fabrics' }).click()
  await expect(page.locator('.fabric-picker input[type=checkbox]').first()).toBeVisible()
  expect(await page.evaluate(() => scrollY)).toBeGreaterThan(0)
  await expect(page).toHaveURL(`${app}/calendar/entries/new`)
  expect(await marked(page)).toBe(1)
})

test('forms: GET and POST without a reload, errors (400) focus the first wrong field, success focuses the heading', async ({ page }) => {
  const word = `enh${randomBytes(3).toString('hex')}`
  const name = `Sage ${word} Linen`
  // A GET form: the address carries the query.
  await page.goto(`${app}/fabrics`)
  await mark(page)
  await page.getByLabel('Search').fill(word)
  await page.getByRole('button', { name: 'Show' }).click()
  await expect(page).toHaveURL(new RegExp(`/fabrics\\?q=${word}&category=&`))
  await expect(page.getByText('No fabrics match these filters.')).toBeVisible()

  // A POST with a mistake: the page comes back (400) with the error, what was typed, focus on the field.
  await page.goto(`${app}/fabrics/new`)
  await mark(page)
  await page.getByLabel('Name').fill(name)
  await page.getByLabel('Price ($)').fill('12,50')
  await page.getByRole('button', { name: 'Add fabric' }).click()
  await expect(page.getByText('Enter the price as an amount like 12.50.')).toBeVisible()
  await expect(page.getByLabel('Price ($)')).toBeFocused()
  await expect(page.getByLabel('Name')).toHaveValue(name)
  await expect(page).toHaveURL(`${app}/fabrics/new`)

  // Fixed: redirected to the new fabric, with the flash; the heading has the focus.
  await page.getByLabel('Price ($)').fill('12.50')
  await page.getByRole('button', { name: 'Add fabric' }).click()
  await expect(page.getByRole('heading', { level: 1, name })).toBeFocused()
  await expect(page.getByRole('status')).toHaveText(`Added ${name}.`)
  await expect(page).toHaveURL(/\/fabrics\/[0-9a-f-]{36}$/)
  await expect(page).toHaveTitle(`${name} · Tara Hub`)
  expect(await marked(page)).toBe(1)
  await page.goBack()
  await expect(page).toHaveURL(`${app}/fabrics/new`)
})

test('while a form is sent: main is busy, the button disabled, and a second press sends nothing', async ({ page }) => {
  const name = `Pending ${randomBytes(3).toString('hex')} Voile`
  let release = () => {}
  const held = new Promise<void>((resolve) => (release = resolve))
  await page.route(`${app}/fabrics/new`, async (route) => {
    if (route.request().method() === 'POST') await held
    await route.continue()
  })
  await page.goto(`${app}/fabrics/new`)
  await mark(page)
  await page.getByLabel('Name').fill(name)
  await page.getByLabel('Price ($)').fill('9.00')
  const add = page.getByRole('button', { name: 'Add fabric' })
  await add.click()
  await expect(page.locator('main')).toHaveAttribute('aria-busy', 'true')
  await expect(add).toBeDisabled()
  // A second press, and the form sent again by a script: both ignored.
  await add.dispatchEvent('click')
  await page.locator('form:has(button:text("Add fabric"))').evaluate((form: HTMLFormElement) => form.requestSubmit())
  release()
  await expect(page.getByRole('status')).toHaveText(`Added ${name}.`)
  await expect(page.locator('main')).not.toHaveAttribute('aria-busy')
  expect(await onDatabase('select id from fabrics where name = $1', [name])).toHaveLength(1)

  // Two quick taps on a button with nothing held: one record.
  const twice = `Twice ${randomBytes(3).toString('hex')} Voile`
  await page.unroute(`${app}/fabrics/new`)
  await page.goto(`${app}/fabrics/new`)
  await mark(page)
  await page.getByLabel('Name').fill(twice)
  await page.getByLabel('Price ($)').fill('9.00')
  await page.getByRole('button', { name: 'Add fabric' }).dblclick()
  await expect(page.getByRole('status')).toHaveText(`Added ${twice}.`)
  expect(await onDatabase('select id from fabrics where name = $1', [twice])).toHaveLength(1)
  expect(await marked(page)).toBe(1)
})

test('what stays the browser’s: a CSV download, a file behind a plain link, a network failure, data-enhance="off"', async ({ page }) => {
  await page.goto(`${app}/fabrics`)
  const csv = page.waitForEvent('download')
  await page.getByRole('link', { name: 'Export CSV' }).click()
  expect((await csv).suggestedFilename()).toMatch(/\.csv$/)

  // Without its download attribute, the script fetches it, sees a file, and lets the browser have it.
  await mark(page)
  const link = page.getByRole('link', { name: 'Export CSV' })
  await link.evaluate((a) => a.removeAttribute('download'))
  const again = page.waitForEvent('download')
  await link.click()
  expect((await again).suggestedFilename()).toMatch(/\.csv$/)
  expect(await marked(page)).toBe(1)

  // The network fails once: the browser navigates itself (a full load, so the marker is gone).
  let failed = false
  await page.route(`${app}/orders`, (route) => (failed ? route.continue() : ((failed = true), route.abort())))
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders' }).click()
  await expect(page.getByRole('heading', { level: 1, name: /Orders/ })).toBeVisible()
  expect(failed).toBe(true)
  expect(await marked(page)).toBeNull()

  // Opted out: a full load.
  await mark(page)
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Fabrics' }).evaluate((a) => a.setAttribute('data-enhance', 'off'))
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Fabrics' }).click()
  await expect(page).toHaveURL(`${app}/fabrics`)
  await expect(page.getByRole('heading', { level: 1, name: 'Fabrics' })).toBeVisible()
  expect(await marked(page)).toBeNull()
})

test('live counts on the calendar form: caption characters and hashtags against the chosen platform', async ({ page }) => {
  await page.goto(`${app}/calendar/entries/new`)
  const caption = page.locator('output[data-count-for]')
  const tags = page.locator('output[data-hashtag-count-for]')
  await expect(caption).toHaveText('0 of 2,200 characters for Instagram')
  await expect(tags).toHaveText('0 of 30 hashtags for Instagram')
  await expect(caption).toHaveAttribute('aria-live', 'polite')

  // A line break counts as the browser sends it, two characters, as the server checks it.
  await page.getByLabel('Description (caption)').fill('Sage linen,\nfresh off the bolt')
  await expect(caption).toHaveText('31 of 2,200 characters for Instagram')
  await page.getByLabel('Hashtags').fill('#linen #Sewing, linen #new-in')
  await expect(tags).toHaveText('2 of 30 hashtags for Instagram')
  await page.getByLabel('Platform').selectOption('pinterest')
  await expect(caption).toHaveText('31 of 500 characters for Pinterest')
  await expect(tags).toHaveText('2 of 100 hashtags for Pinterest')
  await page.getByLabel('Description (caption)').fill('x'.repeat(620))
  await expect(caption).toHaveText('620 of 500 characters for Pinterest: 120 too many')

  // The server counts the same way when it shows the form again (no title: an error).
  await page.getByLabel('Description (caption)').fill('Sage linen,\nfresh off the bolt')
  const typed = await caption.textContent()
  await page.getByRole('button', { name: 'Add to calendar' }).click()
  await expect(page.getByLabel('Title')).toBeFocused()
  await expect(page.locator('output[data-count-for]')).toHaveText(typed!)
  await expect(page.locator('output[data-hashtag-count-for]')).toHaveText('2 of 100 hashtags for Pinterest')
})

test('Print on packing slips calls the browser’s print', async ({ page }) => {
  const [order] = await onDatabase<{ id: string }>("select id from orders where status <> 'cancelled' order by created_at desc limit 1")
  await page.goto(`${app}/orders/packing-slips?id=${order!.id}`)
  await page.evaluate(() => {
    const w = window as unknown as { printed: number; print: () => void }
    w.printed = 0
    w.print = () => (w.printed += 1)
  })
  await page.getByRole('button', { name: 'Print' }).click()
  expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1)
})

test('Copy puts the feed address on the clipboard', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app })
  await page.goto(`${app}/calendar/feed`)
  await mark(page)
  await page.getByRole('button', { name: /Create subscribe link|Make a new link/ }).click()
  const url = await page.getByLabel('Subscribe URL').inputValue()
  expect(url).toMatch(/\/calendar\/[\w-]+\.ics$/)
  await page.getByRole('button', { name: 'Copy the link' }).click()
  await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url)
  expect(await marked(page)).toBe(1)
})

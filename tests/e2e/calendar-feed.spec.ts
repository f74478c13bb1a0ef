// The secret calendar feed with JavaScript off: the signed-in admin makes a subscribe link at
// /calendar/feed, a calendar app (no cookies) fetches it, a new link replaces it, and turning
// it off leaves 404s.
import { randomBytes } from 'node:crypto'
import type { APIRequestContext, Page } from '@playwright/test'
import { servers } from '../../playwright.config'
import { expect, onDatabase, signedOut, test } from './fixtures'

const app = servers.postgres.url

/** What the page shows once, after "Create subscribe link" or "Make a new link". */
async function shownUrl(page: Page): Promise<string> {
  const url = await page.getByLabel('Subscribe URL').inputValue()
  expect(url).toMatch(new RegExp(`^${app.replace(/\./g, '\\.')}/calendar/[A-Za-z0-9_-]{43}\\.ics$`))
  await expect(page.getByRole('link', { name: url })).toHaveAttribute('href', url)
  return url
}

test.describe('calendar feed', () => {
  let phone: APIRequestContext

  test.beforeEach(async ({ playwright }) => {
    // A calendar app: no cookies, no session.
    phone = await playwright.request.newContext({ storageState: signedOut })
  })
  test.afterEach(async () => {
    await phone.dispose()
  })

  test('subscribe URL serves the event; a new link replaces it; turning it off ends it', async ({ page }) => {
    const title = `Feed test ${randomBytes(3).toString('hex')}`
    const [entry] = await onDatabase<{ id: string }>(
      `insert into content_calendar (user_id, platform, content_type, title, description, hashtags, scheduled_date)
       select id, 'instagram', 'reel', $1, 'Linen, washed; soft', '["linen"]'::jsonb, now() + interval '2 days'
         from users where email = 'admin@tara-hub.local' returning id`,
      [title],
    )
    await onDatabase(
      `delete from calendar_feeds where user_id = (select id from users where email = 'admin@tara-hub.local')`,
    )

    await page.goto(`${app}/calendar/feed`)
    await expect(page.getByRole('heading', { level: 1, name: 'Subscribe on your phone' })).toBeVisible()
    await expect(page.locator('script:not([data-enhance])')).toHaveCount(0)
    await expect(page.getByText('You have no subscribe link.')).toBeVisible()
    await expect(page.getByRole('link', { name: 'Turn off the link…' })).toHaveCount(0)
    await page.getByRole('button', { name: 'Create subscribe link' }).click()
    const first = await shownUrl(page)
    await expect(page.getByText(/You have a subscribe link, made/)).toBeVisible()
    await expect(page.getByText('No calendar app has fetched it yet.')).toBeVisible()

    const feed = await phone.get(first)
    expect(feed.status()).toBe(200)
    expect(feed.headers()['content-type']).toBe('text/calendar; charset=utf-8')
    expect(feed.headers()['cache-control']).toBe('private, max-age=300')
    expect(feed.headers()['set-cookie']).toBeUndefined()
    const ics = await feed.text()
    // Long lines are folded (CRLF and a space): unfold them to read the properties.
    const unfolded = ics.replace(/\r\n[ \t]/g, '')
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true)
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true)
    expect(unfolded).toContain(`\r\nUID:${entry!.id}@127.0.0.1\r\n`)
    expect(unfolded).toContain(`\r\nSUMMARY:Instagram reel: ${title}\r\n`)
    expect(unfolded).toContain(`\r\nURL:${app}/calendar/entries/${entry!.id}\r\n`)
    expect(unfolded).toContain('Linen\\, washed\\; soft')

    // The address is shown once only; the page now says the link has been used.
    await page.goto(`${app}/calendar/feed`)
    await expect(page.getByLabel('Subscribe URL')).toHaveCount(0)
    await expect(page.getByText(/A calendar app last fetched it/)).toBeVisible()

    await page.getByRole('button', { name: 'Make a new link' }).click()
    const second = await shownUrl(page)
    expect(second).not.toBe(first)
    const old = await phone.get(first)
    expect(old.status()).toBe(404)
    expect(await old.text()).toBe('Not found')
    expect((await phone.get(second)).status()).toBe(200)

    await page.getByRole('link', { name: 'Turn off the link…' }).click()
    await expect(page.getByRole('heading', { name: 'Turn off your subscribe link?' })).toBeVisible()
    await page.getByRole('button', { name: 'Turn off the link' }).click()
    await expect(page.getByRole('status')).toHaveText(/The subscribe link is turned off/)
    await expect(page.getByText('You have no subscribe link.')).toBeVisible()
    expect((await phone.get(second)).status()).toBe(404)

    // Anything else of the same shape, or another shape, is the same plain 404.
    for (const path of [`/calendar/${'A'.repeat(43)}.ics`, '/calendar/nothing.ics', `/calendar/${'A'.repeat(43)}`]) {
      const response = await phone.get(`${app}${path}`)
      expect(response.status(), path).toBe(404)
      expect(await response.text()).toBe('Not found')
    }
  })

  test('the page needs a signed-in user', async ({ browser }) => {
    const context = await browser.newContext({ storageState: signedOut })
    const page = await context.newPage()
    await page.goto(`${app}/calendar/feed`)
    await expect(page).toHaveURL(/\/login/)
    await context.close()
  })
})

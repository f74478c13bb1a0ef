// The app shell, the dashboard's figures, the 404 and 503 pages, with JavaScript off.
import pg from 'pg'
import { servers } from '../../playwright.config'
import { dropDatabases } from '../../scripts/pg-admin'
import { expect, test } from './fixtures'

/** The dashboard's figures, counted straight from the database with plain SQL. */
async function expectedFigures(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const fabrics = await client.query<{ total: number; in_stock: number; low: number; out: number }>(
      `select count(*)::int as total,
              count(*) filter (where stock_quantity > 0)::int as in_stock,
              count(*) filter (where stock_quantity > 0 and stock_quantity <= low_stock_threshold)::int as low,
              count(*) filter (where stock_quantity = 0)::int as out
         from fabrics where archived_at is null`,
    )
    const statuses = await client.query<{ status: string; n: number }>(
      'select status::text, count(*)::int as n from orders group by status',
    )
    const posts = await client.query<{ upcoming: number; overdue: number }>(
      // The next 7 days: today and the six days after it, in the shop's zone (playwright.config.ts).
      `select count(*) filter (where scheduled_date >= now()
                and scheduled_date < ((now() at time zone 'America/New_York')::date + 7)::timestamp at time zone 'America/New_York')::int as upcoming,
              count(*) filter (where scheduled_date < now())::int as overdue
         from content_calendar where not published`,
    )
    const byStatus = Object.fromEntries(statuses.rows.map((r) => [r.status, r.n]))
    return { fabrics: fabrics.rows[0]!, byStatus, posts: posts.rows[0]! }
  } finally {
    await client.end()
  }
}

function figure(page: import('@playwright/test').Page, section: string, label: string) {
  return page
    .getByRole('region', { name: section })
    .locator('.figure', { has: page.getByText(label, { exact: true }) })
    .locator('.figure-value a')
}

test('the dashboard shows the real figures from the database, JS off', async ({ page }) => {
  const expected = await expectedFigures(servers.postgres.databaseUrl)
  expect(expected.fabrics.total).toBe(40)

  const response = await page.goto(servers.postgres.url)
  expect(response?.status()).toBe(200)
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
  await expect(page.locator('script:not([data-enhance])')).toHaveCount(0)

  await expect(figure(page, 'Fabric stock', 'In stock')).toHaveText(String(expected.fabrics.in_stock))
  await expect(figure(page, 'Fabric stock', 'Low stock')).toHaveText(String(expected.fabrics.low))
  await expect(figure(page, 'Fabric stock', 'Out of stock')).toHaveText(String(expected.fabrics.out))
  for (const [label, status] of [
    ['Pending', 'pending'],
    ['Processing', 'processing'],
    ['Shipped', 'shipped'],
  ] as const) {
    await expect(figure(page, 'Orders to pack', label)).toHaveText(String(expected.byStatus[status] ?? 0))
  }
  await expect(figure(page, 'Posts this week', 'Next 7 days')).toHaveText(
    String(expected.posts.upcoming),
  )
  await expect(figure(page, 'Posts this week', 'Overdue')).toHaveText(String(expected.posts.overdue))
  // The demo plans more posts for the coming week than the card lists: it says how many more.
  expect(expected.posts.upcoming).toBeGreaterThan(3)
  const posts = page.getByRole('region', { name: 'Posts this week' })
  await expect(posts.getByRole('listitem')).toHaveCount(3)
  await posts.getByRole('link', { name: `and ${expected.posts.upcoming - 3} more`, exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Content calendar' })).toBeVisible()
  await expect(page.getByText(`${expected.posts.upcoming} entries match.`, { exact: true })).toBeVisible()
})

test('each figure of the dashboard opens its list, and an order to pack opens its packing slip', async ({ page }) => {
  const expected = await expectedFigures(servers.postgres.databaseUrl)
  await page.goto(servers.postgres.url)
  await page.getByRole('region', { name: 'Fabric stock' }).getByRole('link', { name: String(expected.fabrics.low), exact: true }).click()
  await expect(page).toHaveURL(/\/fabrics\?stock=low$/)
  await expect(page.getByRole('row')).toHaveCount(expected.fabrics.low + 1)

  await page.goto(servers.postgres.url)
  await figure(page, 'Orders to pack', 'Pending').click()
  await expect(page).toHaveURL(/\/orders\?status=pending&sort=oldest$/)
  await expect(page.getByRole('heading', { level: 1, name: 'Orders' })).toBeVisible()

  await page.goto(servers.postgres.url)
  await figure(page, 'Sales', 'Today').click()
  await expect(page).toHaveURL(/\/orders\?from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d$/)

  // The oldest order waiting to be packed: one tap to its slip.
  await page.goto(servers.postgres.url)
  const oldest = page.getByRole('region', { name: 'Orders to pack' }).getByRole('listitem').first().getByRole('link')
  const number = (await oldest.textContent())!.match(/#\d+/)![0]
  await oldest.click()
  await expect(page.getByRole('heading', { level: 2, name: `Packing slip: order ${number}` })).toBeVisible()
})

for (const [width, height] of [
  [1024, 768],
  [820, 1180],
] as const) {
  test(`the dashboard fits one ${width}×${height} tablet screen`, async ({ page }) => {
    await page.setViewportSize({ width, height })
    await page.goto(servers.postgres.url)
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
    const size = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      scrollHeight: document.documentElement.scrollHeight,
    }))
    expect(size.scrollWidth).toBeLessThanOrEqual(width)
    expect(size.scrollHeight).toBeLessThanOrEqual(height)
  })
}

test('every section in the navigation opens, and marks itself as the current page', async ({ page }) => {
  await page.goto(servers.postgres.url)
  const nav = page.getByRole('navigation', { name: 'Main' })
  // Touch targets on the shop's tablet: at least 44 px high.
  for (const link of await nav.getByRole('link').all()) {
    expect((await link.boundingBox())?.height).toBeGreaterThanOrEqual(44)
  }
  for (const [link, heading] of [
    ['Fabrics', 'Fabrics'],
    ['Orders', 'Orders'],
    ['Calendar', 'Content calendar'],
    ['Analytics', 'Analytics'],
    ['Users', 'Users'],
    ['Dashboard', 'Dashboard'],
  ]) {
    await nav.getByRole('link', { name: link, exact: true }).click()
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible()
    await expect(nav.getByRole('link', { name: link, exact: true })).toHaveAttribute('aria-current', 'page')
  }
  await page.goto(`${servers.postgres.url}/fabrics`)
  await expect(page.getByRole('row')).toHaveCount(41)
  await page.goto(`${servers.postgres.url}/users`)
  await expect(page.getByRole('cell', { name: 'admin@tara-hub.local', exact: true })).toBeVisible()
})

test.describe('pages that are not there', () => {
  test.use({ expectedConsoleErrors: [/status of 404/] })

  test('an unknown address gets a real 404 page inside the app shell', async ({ page }) => {
    const response = await page.goto(`${servers.postgres.url}/no/such/page`)
    expect(response?.status()).toBe(404)
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible()
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible()
    await page.getByRole('link', { name: 'Go to the dashboard' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
  })
})

test('GET /healthz answers 200 {"db":"ok","queue":"ok"}', async ({ request }) => {
  const response = await request.get(`${servers.postgres.url}/healthz`)
  expect(response.status()).toBe(200)
  expect(await response.json()).toEqual({ db: 'ok', queue: 'ok' })
})

test('npm start on a bare machine serves the seeded demo from the embedded database', async ({ page }) => {
  const expected = await expectedFigures(servers.postgres.databaseUrl)
  await page.goto(servers.embedded.url)
  // The demo is deterministic, so the embedded one shows what the PostgreSQL one holds.
  await expect(page.getByText('of 40 fabrics')).toBeVisible()
  await expect(figure(page, 'Fabric stock', 'In stock')).toHaveText(String(expected.fabrics.in_stock))
  await expect(figure(page, 'Orders to pack', 'Pending')).toHaveText(String(expected.byStatus.pending))
  const health = await page.request.get(`${servers.embedded.url}/healthz`)
  expect(await health.json()).toEqual({ db: 'ok', queue: 'ok' })
  // ADMIN_EMAIL is created at start, lower-cased, beside the demo's admin.
  await page.goto(`${servers.embedded.url}/users`)
  await expect(page.getByRole('combobox', { name: 'Role of owner@example.com' })).toHaveValue('admin')
  await expect(page.getByRole('cell', { name: 'admin@tara-hub.local', exact: true })).toBeVisible()
})

test.describe('when the database stops answering', () => {
  test.use({ expectedConsoleErrors: [/status of 503/] })

  test('pages answer 503 with a clear page, and /healthz says so', async ({ page }) => {
    await page.goto(servers.down.url)
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()

    await dropDatabases([new URL(servers.down.databaseUrl).pathname.slice(1)])

    const response = await page.goto(servers.down.url)
    expect(response?.status()).toBe(503)
    await expect(page.getByRole('heading', { level: 1, name: 'The database is not answering' })).toBeVisible()
    await expect(page.getByText(/at .*\.(ts|js):\d+/)).toHaveCount(0)
    // The CSV files (resource routes, outside the page renderer) say the same, before any header of a file.
    for (const file of ['/fabrics/export.csv', '/orders/export.csv', '/orders/export.csv?lines=1']) {
      const csv = await page.request.get(`${servers.down.url}${file}`, { maxRedirects: 0 })
      expect(csv.status(), file).toBe(503)
      expect(csv.headers()['content-type']).toMatch(/^text\/html/)
      expect(csv.headers()['content-disposition']).toBeUndefined()
      expect(await csv.text()).toContain('<h1>The database is not answering</h1>')
    }
    const health = await page.request.get(`${servers.down.url}/healthz`)
    expect(health.status()).toBe(503)
    expect(await health.json()).toEqual({ db: 'unavailable' })
  })
})

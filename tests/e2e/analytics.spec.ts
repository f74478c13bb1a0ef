// Analytics with JavaScript off, on the PostgreSQL app (demo data, America/New_York, USD): an order
// placed at the counter shows in the figures, the revenue chart and its table, and the orders by
// status CSV, and cancelling it takes it out again; the range form keeps its choices in the URL and
// explains a wrong custom range; figures entered by hand are refused when they would overwrite one
// silently, uploaded all or nothing, and shown on the dashboard. The e2e database is shared: the test
// compares figures before and after its own order (and leaves no open order or fabric behind), and
// its metrics have names of their own.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { Locator, Page } from '@playwright/test'
import { servers } from '../../playwright.config'
import { expect, onDatabase, signedOut, signIn, test } from './fixtures'

const app = servers.postgres.url
const TIME_ZONE = 'America/New_York'

/** Today in the shop's time zone, moved by `offset` days, as 'YYYY-MM-DD'. */
function shopDay(offset = 0) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date())
  const day = new Date(`${today}T00:00:00Z`)
  day.setUTCDate(day.getUTCDate() + offset)
  return day.toISOString().slice(0, 10)
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
/** A day as the pages write it, in words with three-letter months ('2026-11-03' → "3 Nov 2026"). */
const longDay = (day: string) => `${Number(day.slice(8))} ${MONTHS[Number(day.slice(5, 7)) - 1]} ${day.slice(0, 4)}`
/** A day as the pages' text writes it: "3 Nov" in the shop's current year, "3 Nov 2025" in another. */
const pageDay = (day: string) => (day.slice(0, 4) === shopDay().slice(0, 4) ? longDay(day).slice(0, -5) : longDay(day))

/** "$1,234.50" or "1,234.50" → 123450. */
const cents = (text: string) => Math.round(Number(text.replace(/[$,]/g, '')) * 100)
/** 123450 → "1,234.50" (a table cell), or "$1,234.50" with the symbol (a figure). */
const amount = (c: number, symbol = '') => `${symbol}${(c / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`

async function makeFabric(name: string, price: string, stock: number) {
  const [row] = await onDatabase<{ id: string }>(
    `insert into fabrics (name, sku, price, stock_quantity, in_stock) values ($1, $2, $3, $4, $4 > 0) returning id`,
    [name, `E2E-${randomBytes(4).toString('hex')}`, price, stock],
  )
  return row!.id
}

const figure = (page: Page, label: string) =>
  page.locator('dl.figures .figure', { has: page.getByText(label, { exact: true }) }).locator('.figure-value')
const chart = (page: Page, name: string) => page.locator(`figure.chart[data-chart="${name}"]`)
/** A chart table's body rows as their cells' text (the table may be folded away). */
const tableRows = async (table: Locator) =>
  Promise.all((await table.locator('tbody tr').all()).map((row) => row.locator('td').allTextContents()))
const ordersWithStatus = async (page: Page, status: string) =>
  Number((await tableRows(chart(page, 'orders-by-status'))).find((cells) => cells[0] === status)![1])
const revenueOn = async (page: Page, day: string) =>
  cents((await tableRows(chart(page, 'revenue'))).find((cells) => cells[0] === longDay(day))![1]!)

/** The hint over the figures for the last `n` days and all platforms. */
const lastDaysHint = (n: number) =>
  `${pageDay(shopDay(1 - n))} to ${pageDay(shopDay())}, all platforms; ` +
  `compared with ${pageDay(shopDay(1 - 2 * n))} to ${pageDay(shopDay(-n))}.`

/** A CSV file to upload, its lines ended as a spreadsheet ends them. */
const csv = (name: string, lines: string[]) => ({
  name,
  mimeType: 'text/csv',
  buffer: Buffer.from(`${lines.join('\r\n')}\r\n`),
})

test.describe('analytics', () => {
  // Refused forms answer 400 or 409.
  test.use({ expectedConsoleErrors: [/status of (400|409)/] })

  test('an order shows in the figures, the charts and their CSV; the range lives in the URL', async ({ page }) => {
    const today = shopDay()
    const word = randomBytes(3).toString('hex')
    const name = `Analytics poplin ${word}`
    const customer = `Ida Analytics ${word}`
    const id = await makeFabric(name, '12.25', 10)
    try {

      // What the last 30 days hold before the order.
      await page.goto(`${app}/analytics`)
      await expect(page.getByRole('heading', { level: 1, name: 'Analytics' })).toBeVisible()
      await expect(page.locator('script:not([data-enhance])')).toHaveCount(0)
      const before = {
        revenue: cents((await figure(page, 'Revenue').textContent())!),
        orders: Number(await figure(page, 'Orders').textContent()),
        units: Number(await figure(page, 'Units sold').textContent()),
        today: await revenueOn(page, today),
        pending: await ordersWithStatus(page, 'Pending'),
        cancelled: await ordersWithStatus(page, 'Cancelled'),
      }

      // Three yards at $12.25 from the counter: $36.75 today, one more pending order.
      await page.goto(`${app}/orders/new?fabric=${id}`)
      await page.getByLabel(`Quantity of ${name}`).fill('3')
      await page.getByLabel('Customer name').fill(customer)
      await page.getByRole('button', { name: 'Place order' }).click()
      await expect(page.getByRole('status')).toContainText('Placed order #')
      const orderUrl = page.url()

      await page.goto(`${app}/analytics`)
      await expect(page.locator('p.hint')).toHaveText(lastDaysHint(30))
      const revenue = before.revenue + 3675
      const orders = before.orders + 1
      await expect(figure(page, 'Revenue')).toHaveText(amount(revenue, '$'))
      await expect(figure(page, 'Orders')).toHaveText(String(orders))
      await expect(figure(page, 'Units sold')).toHaveText(String(before.units + 3))
      // Rounded to the cent as the page does: the mean in dollars, then to cents.
      await expect(figure(page, 'Average order')).toHaveText(amount(Math.round((revenue / 100 / orders) * 100), '$'))
      for (const [chartName, title] of [
        ['revenue', 'Revenue per day'],
        ['orders-by-status', 'Orders by status'],
        ['top-fabrics', 'Top fabrics by revenue'],
        ['engagement', 'Interactions per week by platform'],
        ['posts-vs-engagement', 'Posts published and interactions per week'],
      ] as const) {
        await expect(chart(page, chartName).locator('svg[role="img"] > title')).toHaveText(title)
        await expect(chart(page, chartName).getByRole('img', { name: new RegExp(`^${title}`) })).toBeVisible()
      }

      // The revenue chart's figures, folded under the drawing: today's row holds the order.
      const revenueChart = chart(page, 'revenue')
      const revenueTable = revenueChart.getByRole('table')
      await expect(revenueTable).toBeHidden()
      await revenueChart.getByText('Table of the figures').click()
      await expect(revenueTable).toBeVisible()
      await expect(revenueTable.getByRole('columnheader')).toHaveText([
        'Date',
        'Revenue (USD)',
        'Previous period date',
        'Previous period revenue (USD)',
      ])
      await expect(revenueTable.getByRole('row')).toHaveCount(1 + 30)
      const todayCell = page.getByRole('cell', { name: longDay(today), exact: true })
      const todayRow = revenueTable.getByRole('row').filter({ has: todayCell })
      await expect(todayRow.getByRole('cell').nth(1)).toHaveText(amount(before.today + 3675))
      await expect(todayRow.getByRole('cell').nth(2)).toHaveText(longDay(shopDay(-30)))

      // The orders by status chart's CSV: the rows of its table, with the new pending order.
      const statusChart = chart(page, 'orders-by-status')
      await statusChart.getByText('Table of the figures').click()
      const statusRows = statusChart.getByRole('table').getByRole('row')
      await expect(statusRows.filter({ hasText: 'Pending' }).getByRole('cell')).toHaveText([
        'Pending',
        String(before.pending + 1),
      ])
      const shown = await tableRows(statusChart)
      expect(shown.map((cells) => cells[0])).toEqual(['Pending', 'Processing', 'Shipped', 'Delivered', 'Cancelled'])
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download CSV of Orders by status' }).click(),
      ])
      expect(download.suggestedFilename()).toBe(`orders-by-status-${shopDay(-29)}-to-${today}.csv`)
      const text = readFileSync((await download.path())!, 'utf8')
      const records = shown.map(([status, count]) => `${status},${count!.replaceAll(',', '')}\r\n`)
      expect(text).toBe(`\uFEFFStatus,Orders\r\n${records.join('')}`)

      // The last 7 days, chosen on the form: in the URL, in the hint, and in the CSV links.
      const form = page.getByRole('search', { name: 'Range and platform' })
      await form.getByLabel('Range', { exact: true }).selectOption({ label: 'Last 7 days' })
      await form.getByRole('button', { name: 'Show' }).click()
      await expect(page).toHaveURL(/[?&]range=7(&|$)/)
      await expect(page.getByLabel('Range', { exact: true })).toHaveValue('7')
      await expect(page.locator('p.hint')).toHaveText(lastDaysHint(7))
      await expect(chart(page, 'revenue').locator('tbody tr')).toHaveCount(7)
      await expect(page.getByRole('link', { name: 'Download CSV of Revenue per day' })).toHaveAttribute(
        'href',
        '/analytics/charts/revenue?range=7',
      )

      // A custom range that ends before it starts: the error is next to To, the days typed stay,
      // and the default 30 days are shown meanwhile.
      await page.getByLabel('Range', { exact: true }).selectOption({ label: 'Custom (From and To)' })
      await page.getByLabel('From', { exact: true }).fill(today)
      await page.getByLabel('To', { exact: true }).fill(shopDay(-3))
      await page.getByRole('button', { name: 'Show' }).click()
      await expect(page).toHaveURL(/[?&]range=custom(&|$)/)
      const to = page.getByLabel('To', { exact: true })
      await expect(to).toHaveAttribute('aria-invalid', 'true')
      await expect(to).toHaveAccessibleDescription('The last day must not be before the first')
      await expect(to).toHaveValue(shopDay(-3))
      await expect(page.getByLabel('From', { exact: true })).toHaveValue(today)
      await expect(page.getByLabel('From', { exact: true })).not.toHaveAttribute('aria-invalid', 'true')
      await expect(page.getByLabel('Range', { exact: true })).toHaveValue('custom')
      await expect(form.getByRole('alert')).toHaveText('The custom range is not right, so the last 30 days are shown.')
      await expect(page.locator('p.hint')).toHaveText(lastDaysHint(30))

      // Cancelled at the counter: the day's figures are as before, and the order counts as cancelled.
      await page.goto(orderUrl)
      await page.getByRole('link', { name: /^Cancel order #\d+…$/ }).click()
      await page.getByRole('button', { name: /^Yes, cancel order #\d+$/ }).click()
      await expect(page.getByRole('status')).toHaveText('Order is now cancelled. 3 units back in stock.')
      await page.goto(`${app}/analytics`)
      await expect(figure(page, 'Revenue')).toHaveText(amount(before.revenue, '$'))
      await expect(figure(page, 'Orders')).toHaveText(String(before.orders))
      await expect(figure(page, 'Units sold')).toHaveText(String(before.units))
      expect(await revenueOn(page, today)).toBe(before.today)
      expect(await ordersWithStatus(page, 'Pending')).toBe(before.pending)
      expect(await ordersWithStatus(page, 'Cancelled')).toBe(before.cancelled + 1)
    } finally {
      // app.spec.ts counts the demo's fabrics and pending orders on this database: leave neither behind.
      await onDatabase("update orders set status = 'cancelled' where customer_name = $1 and status <> 'cancelled'", [
        customer,
      ])
      await onDatabase('update fabrics set archived_at = now() where id = $1', [id])
    }
  })

  test('figures entered by hand: one at a time, then a file, all or nothing', async ({ page }) => {
    const today = shopDay()
    const yesterday = shopDay(-1)
    const word = randomBytes(3).toString('hex')
    const visits = `e2e_visits_${word}`
    const clicks = `e2e_clicks_${word}`
    const latest = page.getByRole('region', { name: 'Latest figures' }).getByRole('row')
    const flash = page.getByRole('status')

    await page.goto(`${app}/analytics/metrics`)
    await expect(page.getByRole('heading', { level: 1, name: 'Figures entered by hand' })).toBeVisible()
    const entry = page.getByRole('region', { name: 'Enter a figure' })
    await expect(entry.getByLabel('Day')).toHaveValue(today)
    await entry.getByLabel('Metric').fill(visits)
    await entry.getByLabel('Platform').selectOption({ label: 'Instagram' })
    await entry.getByLabel('Figure', { exact: true }).fill('120')
    await entry.getByRole('button', { name: 'Save figure' }).click()
    await expect(flash).toHaveText(`Saved Instagram e2e visits ${word} on ${pageDay(today)}.`)
    await expect(latest.filter({ hasText: `e2e visits ${word}` }).getByRole('cell').nth(3)).toHaveText('120')

    // The same day, metric and platform with another figure: refused unless Replace is ticked.
    await entry.getByLabel('Metric').fill(visits)
    await entry.getByLabel('Platform').selectOption({ label: 'Instagram' })
    await entry.getByLabel('Figure', { exact: true }).fill('130')
    await entry.getByRole('button', { name: 'Save figure' }).click()
    const value = entry.getByLabel('Figure', { exact: true })
    await expect(value).toHaveAttribute('aria-invalid', 'true')
    await expect(value).toHaveAccessibleDescription(
      'Already 120 for this day; tick “Replace a figure already entered” to overwrite it.',
    )
    await expect(value).toHaveValue('130')
    await expect(entry.getByLabel('Metric')).toHaveValue(visits)
    await expect(entry.getByLabel('Platform')).toHaveValue('instagram')
    await expect(entry.getByLabel('Day')).toHaveValue(today)
    await expect(latest.filter({ hasText: `e2e visits ${word}` }).getByRole('cell').nth(3)).toHaveText('120')
    await entry.getByLabel('Replace a figure already entered').check()
    await entry.getByRole('button', { name: 'Save figure' }).click()
    await expect(flash).toHaveText(`Replaced Instagram e2e visits ${word} on ${pageDay(today)}.`)
    await expect(latest.filter({ hasText: `e2e visits ${word}` }).getByRole('cell').nth(3)).toHaveText('130')

    // A file with a wrong day on its row 3: nothing of it is saved.
    const header = 'date,metric_type,platform,value'
    const badFile = csv('figures-bad.csv', [header, `${today},${clicks},,5`, `2026-13-40,${visits},instagram,150`])
    await page.setInputFiles('#figures-file', badFile)
    await page.getByRole('button', { name: 'Upload figures' }).click()
    const file = page.getByLabel('CSV file', { exact: true })
    await expect(file).toHaveAttribute('aria-invalid', 'true')
    const problems = page.locator('#figures-file-error')
    await expect(problems.locator('p').first()).toHaveText('Nothing was saved: 1 problem in figures-bad.csv.')
    await expect(problems.getByRole('listitem')).toHaveText(['Row 3, date: Enter a day as YYYY-MM-DD'])
    await expect(file).toHaveAccessibleDescription(/Nothing was saved: 1 problem in figures-bad\.csv\. Row 3, date:/)
    await expect(latest.filter({ hasText: `e2e visits ${word}` })).toHaveCount(1)
    await expect(latest.filter({ hasText: `e2e clicks ${word}` })).toHaveCount(0)
    const stored = "select metric_type, date::text as date, (metric_value->>'value')::float8 as value from analytics"
    expect(await onDatabase(`${stored} where metric_type = any($1)`, [[visits, clicks]])).toEqual([
      { metric_type: visits, date: today, value: 130 },
    ])

    // Fixed (with the BOM and line ends a spreadsheet writes): two new figures, one as it was.
    await page.setInputFiles(
      '#figures-file',
      csv('figures.csv', [
        `\uFEFF${header}`,
        `${today},${clicks},,5`,
        `${yesterday},${visits},instagram,150`,
        `${today},${visits},instagram,130`,
      ]),
    )
    await page.getByRole('button', { name: 'Upload figures' }).click()
    await expect(flash).toHaveText('Saved 3 figures from figures.csv: 2 new, 0 replaced, 1 unchanged.')
    await expect(latest.filter({ hasText: `e2e clicks ${word}` }).getByRole('cell')).toHaveText([
      pageDay(today),
      `e2e clicks ${word}`,
      'All platforms',
      '5',
      `Delete e2e clicks ${word} for all platforms, ${pageDay(today)}…`,
    ])
    // Newest day first.
    const visitFigures = latest.filter({ hasText: `e2e visits ${word}` }).locator('td:nth-child(4)')
    await expect(visitFigures).toHaveText(['130', '150'])

    // The dashboard shows each metric's latest figure in the range, not its largest.
    await page.getByRole('link', { name: '← Analytics' }).click()
    const byHand = page.getByRole('region', { name: 'Figures entered by hand' }).getByRole('row')
    await expect(byHand.filter({ hasText: `e2e visits ${word}` }).getByRole('cell')).toHaveText([
      `e2e visits ${word}`,
      'Instagram',
      '130',
      pageDay(today),
    ])
    await expect(byHand.filter({ hasText: `e2e clicks ${word}` }).getByRole('cell')).toHaveText([
      `e2e clicks ${word}`,
      'All platforms',
      '5',
      pageDay(today),
    ])
  })
})

test.describe('metric names in words', () => {
  test.use({ expectedConsoleErrors: [/status of 400/] })

  test('"Link clicks" is a metric, typed or in a file, the same as link_clicks', async ({ page }) => {
    const word = randomBytes(3).toString('hex')
    const today = shopDay()
    const latest = page.getByRole('region', { name: 'Latest figures' }).getByRole('row')
    await page.goto(`${app}/analytics/metrics`)
    const entry = page.getByRole('region', { name: 'Enter a figure' })

    // A name that cannot be one is refused next to the field, with what was typed kept.
    await entry.getByLabel('Metric').fill('Clicks (bio)')
    await entry.getByLabel('Figure', { exact: true }).fill('1,272')
    await entry.getByRole('button', { name: 'Save figure' }).click()
    await expect(entry.getByLabel('Metric')).toHaveAccessibleDescription(/Use letters, digits and spaces only \(e\.g\. Link clicks\)/)
    await expect(entry.getByLabel('Metric')).toHaveValue('Clicks (bio)')

    await entry.getByLabel('Metric').fill(`  Link clicks e2e ${word} `)
    await entry.getByLabel('Platform').selectOption({ label: 'Instagram' })
    await entry.getByLabel('Figure', { exact: true }).fill('1272')
    await entry.getByRole('button', { name: 'Save figure' }).click()
    await expect(page.getByRole('status')).toHaveText(`Saved Instagram link clicks e2e ${word} on ${pageDay(today)}.`)
    await expect(latest.filter({ hasText: `link clicks e2e ${word}` }).getByRole('cell').nth(3)).toHaveText('1,272')

    // The same metric, day and platform in a file, written another way: the same figure, unchanged.
    await page.setInputFiles('#figures-file', {
      name: 'clicks.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`date,metric_type,platform,value\r\n${today},link_clicks_e2e_${word},instagram,1272\r\n`),
    })
    await page.getByRole('button', { name: 'Upload figures' }).click()
    await expect(page.getByRole('status')).toHaveText('Saved 1 figure from clicks.csv: 0 new, 0 replaced, 1 unchanged.')
    expect(
      await onDatabase('select metric_type from analytics where metric_type like $1', [`link_clicks_e2e_${word}%`]),
    ).toEqual([{ metric_type: `link_clicks_e2e_${word}` }])
  })
})

test.describe('signed out', () => {
  test.use({ storageState: signedOut })

  test('the dashboard and its CSVs need a signed-in user, who comes back to the range asked', async ({ page }) => {
    const chartCsv = await page.request.get(`${app}/analytics/charts/revenue?range=7`, { maxRedirects: 0 })
    expect(chartCsv.status()).toBe(302)
    expect(chartCsv.headers()['location']).toBe(
      `/login?${new URLSearchParams({ redirectTo: '/analytics/charts/revenue?range=7' })}`,
    )
    const email = `analytics-${randomBytes(4).toString('hex')}@example.com`
    await onDatabase("insert into users (email, name, role) values ($1, 'Shop helper', 'user')", [email])
    await signIn(page, app, email, '/analytics?range=7')
    await expect(page).toHaveURL(`${app}/analytics?range=7`)
    await expect(page.getByLabel('Range', { exact: true })).toHaveValue('7')
  })
})

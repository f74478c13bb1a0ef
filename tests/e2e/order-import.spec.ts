// Etsy orders in, with JavaScript off, as the admin on the PostgreSQL app: upload both sample
// files, read the preview's figures, confirm, see the flash; the same files again add nothing;
// errors come with file, row and column and no Confirm button; staff who are not admins are refused.
// The e2e database is shared: the fabrics made here have names of their own, and the sample's
// Etsy order ids are used by this file only.
import { randomInt } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import type { Page } from '@playwright/test'
import { servers } from '../../playwright.config'
import { expect, onDatabase, signedOut, signIn, test } from './fixtures'

const app = servers.postgres.url
const ORDERS_LABEL = 'Sold orders (EtsySoldOrders.csv)'
const ITEMS_LABEL = 'Sold order items (EtsySoldOrderItems.csv)'
const ORDERS_FILE = 'tests/fixtures/etsy/EtsySoldOrders.csv'
const ITEMS_FILE = 'tests/fixtures/etsy/EtsySoldOrderItems.csv'
const SAMPLE_ORDER_IDS = (parse(readFileSync(ORDERS_FILE, 'utf8'), { columns: true }) as { 'Order ID': string }[]).map(
  (r) => r['Order ID'],
)

const suffix = () => Array.from({ length: 8 }, () => 'abcdefghjkmnpqrstuvwxyz'[randomInt(23)]).join('')
const csv = (name: string, text: string | Buffer) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) })

async function upload(
  page: Page,
  files: { orders?: ReturnType<typeof csv>; items?: ReturnType<typeof csv> },
  { deliveredAfterDays }: { deliveredAfterDays?: string } = {},
) {
  await page.goto(`${app}/orders/import`)
  if (files.orders) await page.getByLabel(ORDERS_LABEL).setInputFiles(files.orders)
  if (files.items) await page.getByLabel(ITEMS_LABEL).setInputFiles(files.items)
  if (deliveredAfterDays !== undefined) {
    await page.getByLabel('Mark old orders as delivered').check()
    await page.getByLabel('Orders older than this many days').fill(deliveredAfterDays)
  }
  await page.getByRole('button', { name: 'Upload and preview' }).click()
}

/** The sample files with Etsy order ids of their own (the sample's are imported by the first test). */
function samplesWithNewIds() {
  const base = 7_000_000_000 + randomInt(1_000_000_000)
  // One new id per sample id, the same in both files.
  const ids = new Map(SAMPLE_ORDER_IDS.map((id, i) => [id, String(base + i)]))
  const renumber = (file: string) => {
    const [header, ...records] = parse(readFileSync(file, 'utf8')) as string[][]
    const at = header!.indexOf('Order ID')
    for (const r of records) r[at] = ids.get(r[at]!)!
    return stringify([header!, ...records], { record_delimiter: 'windows' })
  }
  return {
    files: { orders: csv('EtsySoldOrders.csv', renumber(ORDERS_FILE)), items: csv('EtsySoldOrderItems.csv', renumber(ITEMS_FILE)) },
    ids: [...ids.values()],
  }
}

/** Whether `first` comes before `second` in the page. */
async function comesBefore(page: Page, first: string, second: string) {
  return page.evaluate(
    ([a, b]) => Boolean(document.querySelector(a!)!.compareDocumentPosition(document.querySelector(b!)!) & Node.DOCUMENT_POSITION_FOLLOWING),
    [first, second],
  )
}
const samples = () => ({
  orders: csv('EtsySoldOrders.csv', readFileSync(ORDERS_FILE)),
  items: csv('EtsySoldOrderItems.csv', readFileSync(ITEMS_FILE)),
})

async function expectFigures(page: Page, figures: Record<string, number>) {
  for (const [label, value] of Object.entries(figures)) {
    const figure = page.locator('dl.figures .figure', { has: page.getByText(label, { exact: true }) })
    await expect(figure.locator('.figure-value'), label).toHaveText(String(value))
  }
}

const flash = (page: Page) => page.getByRole('status').filter({ hasText: /^Imported/ })

test('an admin imports both Etsy files, and importing them again adds nothing', async ({ page }) => {
  const s = suffix()
  // Fabrics the sample's lines match by listing id, by SKU and by title; the rest stay unmatched.
  expect(await onDatabase("select id from fabrics where sku = 'TH-10007' or etsy_listing_id = '1400000014'")).toEqual([])
  const [sage] = await onDatabase<{ id: string }>(
    "insert into fabrics (name, etsy_listing_id, stock_quantity, in_stock) values ($1, '1400000014', 5, true) returning id",
    [`E2E Sage ${s}`],
  )
  const [charcoal] = await onDatabase<{ id: string }>(
    "insert into fabrics (name, sku, stock_quantity, in_stock) values ($1, 'TH-10007', 100, true) returning id",
    [`E2E Charcoal ${s}`],
  )
  await onDatabase("insert into fabrics (name, stock_quantity, in_stock) values ('cream polka dot flannel, cotton fabric by the half yard', 6, true)")

  await page.goto(`${app}/orders/import`)
  await expect(page.getByRole('heading', { level: 1, name: 'Import Etsy orders' })).toBeVisible()
  await expect(page.locator('script:not([data-enhance])')).toHaveCount(0)
  await upload(page, samples())

  await expectFigures(page, {
    'New orders': 40,
    'Already imported': 0,
    Lines: 56,
    'Matched by listing ID': 4,
    'Matched by SKU': 4,
    'Matched by title': 4,
    'Unmatched lines': 44,
    'Short of stock': 4,
    Errors: 0,
  })
  await expect(page.getByText('Of the new orders, 8 are pending, 32 shipped and 0 cancelled.')).toBeVisible()
  const short = page.getByRole('region', { name: 'Short of stock' }).getByRole('row')
  await expect(short.filter({ hasText: '3000000021' }).getByRole('cell')).toHaveText([`E2E Sage ${s}`, '3000000021', '4', '2'])
  const unmatched = page.getByRole('region', { name: 'Unmatched lines' }).getByRole('row')
  await expect(unmatched.filter({ hasText: '3000000000' }).getByRole('cell')).toHaveText([
    '2',
    '3000000000',
    'Indigo Stripe Jersey Knit, Wool Fabric by the Half Yard (Length: Half yard)',
  ])
  await expect(
    page.getByRole('region', { name: 'New orders' }).getByRole('row').filter({ hasText: '3000000000' }).getByRole('cell'),
  ).toHaveText(['19 May 2025', '3000000000', 'Farah Okafor', 'Pending', '1', '$51.67'])
  expect(await onDatabase('select id from orders where etsy_order_id = any($1)', [SAMPLE_ORDER_IDS])).toEqual([])

  await page.getByRole('button', { name: 'Confirm import' }).click()
  await expect(page).toHaveURL(`${app}/orders`)
  await expect(flash(page)).toHaveText('Imported 40 Etsy orders: 56 lines, 12 matched to fabrics, 44 not; 4 short of stock.')

  const imported = await onDatabase<{ etsy_order_id: string; total_amount: string; status: string; lines: number; events: number }>(
    `select o.etsy_order_id, o.total_amount::text, o.status::text, jsonb_array_length(o.items) as lines,
            (select count(*)::int from order_events e where e.order_id = o.id and e.note = 'Imported from Etsy') as events
     from orders o where o.etsy_order_id = any($1) order by o.etsy_order_id`,
    [SAMPLE_ORDER_IDS],
  )
  expect(imported).toHaveLength(40)
  expect(imported[0]).toEqual({ etsy_order_id: '3000000000', total_amount: '51.67', status: 'pending', lines: 1, events: 1 })
  expect(imported.reduce((n, o) => n + o.lines, 0)).toBe(56)
  expect(imported.every((o) => o.events === 1)).toBe(true)
  const movements = async (fabricId: string) =>
    onDatabase<{ delta: number; quantity_after: number; note: string }>(
      'select delta, quantity_after, note from stock_movements where fabric_id = $1 order by created_at',
      [fabricId],
    )
  expect(await movements(sage!.id)).toEqual([
    { delta: -3, quantity_after: 2, note: 'Etsy order 3000000063' },
    { delta: -2, quantity_after: 0, note: 'Etsy order 3000000021' },
  ])
  expect((await movements(charcoal!.id)).map((m) => m.quantity_after)).toEqual([98, 95, 94, 93])
  // The fabric's page shows its stock history with the import's movements.
  await page.goto(`${app}/fabrics/${sage!.id}`)
  await expect(page.getByRole('row').filter({ hasText: 'Etsy order 3000000021' })).toHaveCount(1)

  // The same files again: everything is already imported, and there is nothing to confirm.
  await upload(page, samples())
  await expectFigures(page, { 'New orders': 0, 'Already imported': 40, Lines: 0, 'Short of stock': 0, Errors: 0 })
  await expect(page.getByText('there is nothing to import')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Confirm import' })).toHaveCount(0)
  const [after] = await onDatabase<{ orders: number; movements: number }>(
    `select (select count(*)::int from orders where etsy_order_id = any($1)) as orders,
            (select count(*)::int from stock_movements m join orders o on o.id = m.order_id where o.etsy_order_id = any($1)) as movements`,
    [SAMPLE_ORDER_IDS],
  )
  expect(after).toEqual({ orders: 40, movements: 2 + 4 + 3 })
})

test.describe('files that cannot be imported', () => {
  test.use({ expectedConsoleErrors: [/status of 4\d\d/] })

  test('bad rows are named by file, row and column, and there is no Confirm button', async ({ page }) => {
    // Order ids of their own, so that the rows are new whatever ran before.
    const id = String(5_000_000_000 + randomInt(1_000_000_000))
    const [header, first, second] = parse(readFileSync(ORDERS_FILE, 'utf8')) as string[][]
    const column = (name: string) => header!.indexOf(name)
    const bad = [[...first!], [...second!]]
    bad[0]![column('Order ID')] = id
    bad[0]![column('Sale Date')] = '13/45/24'
    bad[1]![column('Order ID')] = `${id}1`
    bad[1]![column('Order Total')] = 'abc'
    bad[1]![column('Ship Country')] = 'Atlantis'
    await upload(page, { orders: csv('my-orders.csv', stringify([header!, ...bad], { record_delimiter: 'windows' })) })
    // The error summary first: the count, then each row by file, number and order id, linked to its row.
    const summary = page.locator('#error-summary')
    await expect(summary).toHaveAttribute('tabindex', '-1')
    await expect(summary.getByRole('heading', { level: 3 })).toHaveText('2 rows need fixing before anything is imported')
    const links = summary.getByRole('link')
    await expect(links).toHaveText([
      `EtsySoldOrders.csv, row 2, order ${id}: Sale Date "13/45/24" is not a date like 05/19/25 (month/day/year)`,
      `EtsySoldOrders.csv, row 3, order ${id}1: Ship Country "Atlantis" is not a country we know; Order Total "abc" is not an amount like 12.50`,
    ])
    expect(await comesBefore(page, '#error-summary', 'dl.figures')).toBe(true)
    await expectFigures(page, { Errors: 2 })
    await expect(page.getByRole('button', { name: 'Confirm import' })).toHaveCount(0)
    await expect(page.locator('input[name="digest"]')).toHaveCount(0)
    await links.nth(1).click()
    await expect(page).toHaveURL(/#orders-row-3$/)
    const row = page.getByRole('region', { name: 'Rows to fix' }).locator('#orders-row-3')
    await expect(row).toBeInViewport()
    await expect(row.getByRole('cell').nth(2)).toHaveText(`${id}1`)
    await expect(row.getByRole('listitem')).toHaveText(['Ship Country "Atlantis" is not a country we know', 'Order Total "abc" is not an amount like 12.50'])
    // Only the orders file: the preview says the lines need the other one.
    await expect(page.getByRole('note')).toContainText('without their lines')
    expect(await onDatabase('select id from orders where etsy_order_id like $1', [`${id}%`])).toEqual([])
  })

  test('files in another currency than the shop say so once, at the top, with what to set', async ({ page }) => {
    const { files, ids } = samplesWithNewIds()
    const inPounds = (file: ReturnType<typeof csv>) => {
      const [header, ...records] = parse(file.buffer) as string[][]
      const at = header!.indexOf('Currency')
      return csv(file.name, stringify([header!, ...records.map((r) => r.with(at, 'GBP'))], { record_delimiter: 'windows' }))
    }
    await upload(page, { orders: inPounds(files.orders), items: inPounds(files.items) })
    const summary = page.locator('#error-summary')
    await expect(summary.getByRole('heading')).toHaveText('The files need fixing before anything is imported')
    await expect(
      summary.getByText(
        "These files' prices are in GBP; this shop's prices are in USD (SHOP_CURRENCY). Tara Hub does not convert: " +
          'export the files from an Etsy shop in USD, or set SHOP_CURRENCY=GBP if the shop really sells in GBP.',
        { exact: true },
      ),
    ).toBeVisible()
    // Said once: not a line per row.
    await expect(page.getByText(/prices are in GBP|currency/)).toHaveCount(1)
    await expect(page.getByRole('region', { name: 'Rows to fix' })).toHaveCount(0)
    expect(await comesBefore(page, '#error-summary', 'dl.figures')).toBe(true)
    await expectFigures(page, { 'New orders': 40, Errors: 0 })
    await expect(page.getByRole('button', { name: 'Confirm import' })).toHaveCount(0)
    expect(await onDatabase('select id from orders where etsy_order_id = any($1)', [ids])).toEqual([])
  })

  test('the number of days is checked next to its field, and kept as typed', async ({ page }) => {
    await upload(page, samplesWithNewIds().files, { deliveredAfterDays: 'a month' })
    const days = page.getByLabel('Orders older than this many days')
    await expect(days).toHaveAttribute('aria-invalid', 'true')
    await expect(days).toHaveValue('a month')
    await expect(page.getByLabel('Mark old orders as delivered')).toBeChecked()
    await expect(page.locator(`#${await days.getAttribute('aria-describedby')}`)).toHaveText(
      'Enter a whole number of days from 1 to 3,650, like 30.',
    )
    await expect(page.getByRole('heading', { name: 'Preview' })).toHaveCount(0)
  })

  test('a file that is neither of Etsy’s orders files is refused next to its field', async ({ page }) => {
    await upload(page, { items: csv('EtsyListingsDownload.csv', readFileSync('tests/fixtures/etsy/EtsyListingsDownload.csv')) })
    await expect(page.getByLabel(ITEMS_LABEL)).toHaveAttribute('aria-invalid', 'true')
    await expect(page.locator('#items-file-error')).toHaveText(/^This is Etsy's listings file/)
    await expect(page.getByRole('heading', { name: 'Preview' })).toHaveCount(0)

    // No file at all.
    await upload(page, {})
    await expect(page.locator('#orders-file-error')).toHaveText('Choose EtsySoldOrders.csv, EtsySoldOrderItems.csv, or both.')

    // A confirm with a made-up upload id is refused without touching anything.
    const forged = await page.request.post(`${app}/orders/import`, {
      headers: { Origin: app },
      form: { uploadId: '../../../etc/passwd', digest: 'a'.repeat(32) },
    })
    expect(forged.status()).toBe(400)
  })
})

test('orders older than the days asked for are imported as delivered, as the preview said', async ({ page }) => {
  const { files, ids } = samplesWithNewIds()
  await page.goto(`${app}/orders/import`)
  await expect(page.getByLabel('Mark old orders as delivered')).not.toBeChecked()
  await expect(page.getByLabel('Orders older than this many days')).toHaveValue('30')
  await upload(page, files, { deliveredAfterDays: '30' })
  // Every sample order is from 2024–25: all of them are more than 30 days old, and none is cancelled.
  await expectFigures(page, { 'New orders': 40, 'Marked delivered': 40, Errors: 0 })
  await expect(page.getByText('Of the new orders, 0 are pending, 0 shipped, 40 delivered and 0 cancelled.')).toBeVisible()
  await expect(page.getByText(/^40 of the new orders were sold before .+ \(more than 30 days ago\) and will be marked delivered\./)).toBeVisible()
  await expect(page.getByRole('region', { name: 'New orders' }).getByRole('row').nth(1).getByRole('cell').nth(3)).toHaveText('Delivered')
  // The option stays as it was sent.
  await expect(page.getByLabel('Mark old orders as delivered')).toBeChecked()
  await expect(page.getByLabel('Orders older than this many days')).toHaveValue('30')
  expect(await onDatabase('select id from orders where etsy_order_id = any($1)', [ids])).toEqual([])

  await page.getByRole('button', { name: 'Confirm import' }).click()
  await expect(page).toHaveURL(`${app}/orders`)
  await expect(flash(page)).toHaveText(/^Imported 40 Etsy orders: 56 lines/)
  const statuses = await onDatabase<{ status: string; events: number }>(
    `select o.status::text, count(*)::int as events from orders o join order_events e on e.order_id = o.id
     where o.etsy_order_id = any($1) and e.to_status = o.status group by o.status`,
    [ids],
  )
  expect(statuses).toEqual([{ status: 'delivered', events: 40 }])
})

test.describe('staff who are not admins', () => {
  test.use({ storageState: signedOut, expectedConsoleErrors: [/status of 403/] })

  test('cannot import orders', async ({ page }) => {
    const email = `order-import-${suffix()}@example.com`
    await onDatabase("insert into users (email, name, role) values ($1, 'Shop helper', 'user')", [email])
    await signIn(page, app, email)
    const response = await page.goto(`${app}/orders/import`)
    expect(response?.status()).toBe(403)
    await expect(page.getByRole('heading', { name: 'You do not have access to this page' })).toBeVisible()
    // An orders file of order ids no one has: had it been imported, they would be there.
    const id = String(6_000_000_000 + randomInt(1_000_000_000))
    const [header, first] = parse(readFileSync(ORDERS_FILE, 'utf8')) as string[][]
    const row = [...first!]
    row[header!.indexOf('Order ID')] = id
    const post = await page.request.post(`${app}/orders/import`, {
      headers: { Origin: app },
      multipart: { orders: csv('EtsySoldOrders.csv', stringify([header!, row])) },
    })
    expect(post.status()).toBe(403)
    const confirm = await page.request.post(`${app}/orders/import`, {
      headers: { Origin: app },
      form: { uploadId: 'a'.repeat(32), digest: 'a'.repeat(32) },
    })
    expect(confirm.status()).toBe(403)
    expect(await onDatabase('select id from orders where etsy_order_id = $1', [id])).toEqual([])
  })
})

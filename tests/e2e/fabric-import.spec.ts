// Etsy listings in and out, with JavaScript off, as the admin on the PostgreSQL app: upload,
// preview (counts, new rows, before → after), confirm; errors with row numbers and no Confirm;
// the export in the same format. The e2e database is shared: every row here has its own suffix.
import { randomInt } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { stringify } from 'csv-stringify/sync'
import type { Page } from '@playwright/test'
import { servers } from '../../playwright.config'
import { expect, onDatabase, signedOut, signIn, test } from './fixtures'

const app = servers.postgres.url
const FILE_LABEL = 'Etsy listings file (EtsyListingsDownload.csv)'
/** Etsy's header row, as the sample file has it. */
const HEADER = readFileSync('tests/fixtures/etsy/EtsyListingsDownload.csv', 'utf8').split('\r\n')[0]!.split(',')

/** Letters only, so that it is one word to the search and a tag of its own. */
const suffix = () => Array.from({ length: 8 }, () => 'abcdefghjkmnpqrstuvwxyz'[randomInt(23)]).join('')

type Listing = Record<string, string>

function etsyFile(listings: Listing[]) {
  const rows = listings.map((l) => HEADER.map((column) => l[column] ?? (column === 'CURRENCY_CODE' ? 'USD' : '')))
  return Buffer.from(stringify([HEADER, ...rows], { record_delimiter: 'windows', quote_record_delimiter: true }))
}

async function upload(page: Page, buffer: Buffer) {
  await page.goto(`${app}/fabrics/import`)
  await page.getByLabel(FILE_LABEL).setInputFiles({ name: 'EtsyListingsDownload.csv', mimeType: 'text/csv', buffer })
  await page.getByRole('button', { name: 'Upload and preview' }).click()
}

/** The one-line message after a redirect (the list has a status line of its own). */
const flash = (page: Page) => page.getByRole('status').filter({ hasText: /^Imported:/ })

/** Whether `first` comes before `second` in the page. */
async function comesBefore(page: Page, first: string, second: string) {
  return page.evaluate(
    ([a, b]) => Boolean(document.querySelector(a!)!.compareDocumentPosition(document.querySelector(b!)!) & Node.DOCUMENT_POSITION_FOLLOWING),
    [first, second],
  )
}

/** The preview's figures: New, Changed, Unchanged, Errors. */
async function expectCounts(page: Page, counts: Record<'New' | 'Changed' | 'Unchanged' | 'Errors', number>) {
  for (const [label, value] of Object.entries(counts)) {
    const figure = page.locator('dl.figures .figure', { has: page.getByText(label, { exact: true }) })
    await expect(figure.locator('.figure-value')).toHaveText(String(value))
  }
}

test('an admin imports new listings, then a file that changes one, and exports them again', async ({ page }) => {
  const s = suffix()
  const tag = `e2e${s}`
  const listings: Listing[] = [
    {
      TITLE: `Sage Linen ${s}`,
      DESCRIPTION: 'Washed sage linen.\n\nWidth: 140 cm.',
      PRICE: '14.50',
      QUANTITY: '12',
      TAGS: `linen,${tag}`,
      MATERIALS: 'linen',
      'VARIATION 1 TYPE': 'Length',
      'VARIATION 1 NAME': 'Cut',
      'VARIATION 1 VALUES': 'Half yard,One yard',
      SKU: `E2E-${s}-1`,
    },
    { TITLE: `Rust Velvet ${s}`, PRICE: '22.00', QUANTITY: '0', TAGS: `velvet,${tag}`, SKU: `E2E-${s}-2` },
    { TITLE: `Cream Voile ${s}`, PRICE: '9.95', QUANTITY: '4', TAGS: tag, SKU: `E2E-${s}-3` },
  ]

  await page.goto(`${app}/fabrics/import`)
  await expect(page.getByRole('heading', { level: 1, name: 'Import Etsy listings' })).toBeVisible()
  await expect(page.locator('script:not([data-enhance])')).toHaveCount(0)
  await upload(page, etsyFile(listings))

  await expectCounts(page, { New: 3, Changed: 0, Unchanged: 0, Errors: 0 })
  const newRows = page.getByRole('region', { name: 'New fabrics' }).getByRole('row')
  await expect(newRows.filter({ hasText: `Sage Linen ${s}` }).getByRole('cell')).toHaveText(['2', `Sage Linen ${s}`, `E2E-${s}-1`, '$14.50', '12'])
  await expect(newRows.filter({ hasText: `Cream Voile ${s}` }).getByRole('cell')).toHaveText(['4', `Cream Voile ${s}`, `E2E-${s}-3`, '$9.95', '4'])
  // The upload waits outside what the server shows under /uploads.
  const uploadId = await page.locator('input[name="uploadId"]').inputValue()
  expect(uploadId).toMatch(/^[a-f0-9]{32}$/)
  for (const where of ['.imports', 'imports']) {
    expect((await page.request.get(`${app}/uploads/${where}/${uploadId}.csv`)).status()).toBe(404)
  }
  expect(await onDatabase('select id from fabrics where sku like $1', [`E2E-${s}-%`])).toEqual([])

  await page.getByRole('button', { name: 'Confirm import' }).click()
  await expect(page).toHaveURL(`${app}/fabrics`)
  await expect(flash(page)).toHaveText('Imported: 3 new, 0 changed, 0 unchanged.')
  const imported = await onDatabase<{ id: string; name: string; stock_quantity: number; price: string; tags: string[] }>(
    'select id, name, stock_quantity, price::text, tags from fabrics where sku like $1 order by sku',
    [`E2E-${s}-%`],
  )
  expect(imported.map((f) => [f.name, f.stock_quantity, f.price])).toEqual([
    [`Sage Linen ${s}`, 12, '14.50'],
    [`Rust Velvet ${s}`, 0, '22.00'],
    [`Cream Voile ${s}`, 4, '9.95'],
  ])
  await page.goto(`${app}/fabrics/${imported[0]!.id}`)
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`Sage Linen ${s}`)
  // Its stock history: one movement, the import's.
  await expect(page.getByRole('row').filter({ hasText: 'Etsy import' })).toHaveCount(1)
  await expect(page.getByRole('definition').filter({ hasText: 'Cut: Half yard,One yard' })).toBeVisible()

  // A second file: one listing changes, one is new, one is as it was.
  const changed: Listing[] = [
    { ...listings[0]!, PRICE: '15.00', QUANTITY: '9' },
    listings[1]!,
    listings[2]!,
    { TITLE: `Ochre Canvas ${s}`, PRICE: '18.00', QUANTITY: '6', TAGS: tag, SKU: `E2E-${s}-4` },
  ]
  await upload(page, etsyFile(changed))
  await expectCounts(page, { New: 1, Changed: 1, Unchanged: 2, Errors: 0 })
  const changes = page.getByRole('region', { name: 'Changed fabrics' })
  // Each changed field: before → after.
  const change = (field: string) => changes.getByRole('row').filter({ has: page.getByRole('rowheader', { name: field }) }).getByRole('cell')
  await expect(change('Price')).toHaveText(['2', `Sage Linen ${s}`, '14.50', '15.00'])
  await expect(change('Quantity')).toHaveText(['12', '9'])
  await page.getByRole('button', { name: 'Confirm import' }).click()
  await expect(flash(page)).toHaveText('Imported: 1 new, 1 changed, 2 unchanged.')
  const [sage] = await onDatabase<{ stock_quantity: number; price: string; version: number }>(
    'select stock_quantity, price::text, version from fabrics where sku = $1',
    [`E2E-${s}-1`],
  )
  expect(sage).toEqual({ stock_quantity: 9, price: '15.00', version: 2 })
  const movements = await onDatabase<{ delta: number; reason: string }>(
    "select delta, reason::text from stock_movements m join fabrics f on f.id = m.fabric_id where f.sku = $1 order by m.created_at",
    [`E2E-${s}-1`],
  )
  expect(movements).toEqual([
    { delta: 12, reason: 'import' },
    { delta: -3, reason: 'import' },
  ])

  // The export of the list filtered by the tag is these four listings, in Etsy's format.
  const response = await page.request.get(`${app}/fabrics/export.csv?tag=${tag}`)
  expect(response.status()).toBe(200)
  expect(response.headers()['content-type']).toBe('text/csv; charset=utf-8')
  expect(response.headers()['content-disposition']).toBe('attachment; filename="EtsyListingsDownload.csv"')
  const csv = await response.text()
  const lines = csv.split('\r\n')
  expect(lines[0]).toBe(HEADER.join(','))
  expect(csv).toContain(`\r\nSage Linen ${s},"Washed sage linen.\n\nWidth: 140 cm.",15.00,USD,9,"linen,${tag}",linen,,`)
  expect(lines.filter((l) => l.includes(`E2E-${s}-`))).toHaveLength(4)

  // Importing that export again changes nothing.
  await upload(page, Buffer.from(csv))
  await expectCounts(page, { New: 0, Changed: 0, Unchanged: 4, Errors: 0 })
  await expect(page.getByText('there is nothing to import')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Confirm import' })).toHaveCount(0)

  // The page's own link downloads the whole catalog.
  await page.goto(`${app}/fabrics/import`)
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download the catalog in the same format' }).click(),
  ])
  expect(download.suggestedFilename()).toBe('EtsyListingsDownload.csv')
  expect(readFileSync((await download.path())!, 'utf8')).toContain(`Ochre Canvas ${s}`)
})

test.describe('files that cannot be imported', () => {
  test.use({ expectedConsoleErrors: [/status of 4\d\d/] })

  test('an error summary comes first: the count, each row by number, title and SKU, linked to its row; no Confirm button', async ({
    page,
  }) => {
    const s = suffix()
    await upload(
      page,
      etsyFile([
        { TITLE: `Good ${s}`, PRICE: '10.00', QUANTITY: '1', SKU: `E2E-${s}-1` },
        { TITLE: `Bad Price ${s}`, PRICE: 'abc', QUANTITY: 'x', SKU: `E2E-${s}-2` },
        { TITLE: `Bad Currency ${s}`, PRICE: '10.00', CURRENCY_CODE: 'EUR', QUANTITY: '1', SKU: `E2E-${s}-3` },
      ]),
    )
    const summary = page.locator('#error-summary')
    await expect(summary).toHaveAttribute('tabindex', '-1')
    await expect(summary.getByRole('alert')).toBeVisible()
    await expect(summary.getByRole('heading', { level: 3 })).toHaveText('2 rows need fixing before anything is imported')
    const links = summary.getByRole('link')
    await expect(links).toHaveText([
      `Row 3, Bad Price ${s} (SKU E2E-${s}-2): PRICE "abc" is not an amount like 12.50; QUANTITY "x" is not a whole number of 0 or more`,
      `Row 4, Bad Currency ${s} (SKU E2E-${s}-3): CURRENCY_CODE "EUR" is not the shop's currency (USD)`,
    ])
    // First in the preview: before the figures, which still count what the file holds.
    expect(await comesBefore(page, '#error-summary', 'dl.figures')).toBe(true)
    await expectCounts(page, { New: 1, Changed: 0, Unchanged: 0, Errors: 2 })
    // No way to confirm while anything needs fixing.
    await expect(page.getByRole('button', { name: 'Confirm import' })).toHaveCount(0)
    await expect(page.locator('input[name="digest"]')).toHaveCount(0)

    // Each link goes to its row in the table of rows to fix.
    await links.nth(1).click()
    await expect(page).toHaveURL(/#row-4$/)
    const row = page.getByRole('region', { name: 'Rows to fix' }).locator('#row-4')
    await expect(row).toBeInViewport()
    await expect(row.getByRole('cell')).toHaveText(['4', `Bad Currency ${s}`, `E2E-${s}-3`, 'CURRENCY_CODE "EUR" is not the shop\'s currency (USD)'])
    await expect(page.locator('#row-3').getByRole('listitem')).toHaveText([
      'PRICE "abc" is not an amount like 12.50',
      'QUANTITY "x" is not a whole number of 0 or more',
    ])
    expect(await onDatabase('select id from fabrics where sku like $1', [`E2E-${s}-%`])).toEqual([])
  })

  test('a file in another currency than the shop says so once, at the top, with what to set', async ({ page }) => {
    const s = suffix()
    const listings = Array.from({ length: 60 }, (_, i) => ({ TITLE: `Pound ${i} ${s}`, PRICE: '10.00', QUANTITY: '1', CURRENCY_CODE: 'GBP', SKU: `E2E-${s}-${i}` }))
    listings[7] = { ...listings[7]!, PRICE: 'ten' }
    await upload(page, etsyFile(listings))
    const message =
      "This file's prices are in GBP; this shop's prices are in USD (SHOP_CURRENCY). Tara Hub does not convert: " +
      'export the file from an Etsy shop in USD, or set SHOP_CURRENCY=GBP if the shop really sells in GBP.'
    const summary = page.locator('#error-summary')
    await expect(summary.getByRole('heading')).toHaveText('1 row needs fixing before anything is imported')
    await expect(summary.getByText(message, { exact: true })).toBeVisible()
    // Once in the whole page: no row repeats it, and the one row listed has only its own error.
    await expect(page.getByText(/prices are in GBP|currency/)).toHaveCount(1)
    await expect(summary.getByRole('link')).toHaveText([`Row 9, Pound 7 ${s} (SKU E2E-${s}-7): PRICE "ten" is not an amount like 12.50`])
    expect(await comesBefore(page, '#error-summary', 'dl.figures')).toBe(true)
    // The new fabrics' prices are shown as the file has them.
    await expect(page.getByRole('region', { name: 'New fabrics' }).getByRole('row').nth(1).getByRole('cell').nth(3)).toHaveText('£10.00')
    await expect(page.getByRole('button', { name: 'Confirm import' })).toHaveCount(0)

    // The same file without the bad row: the currency alone stops it.
    await upload(page, etsyFile(listings.filter((_, i) => i !== 7)))
    await expect(summary.getByRole('heading')).toHaveText('The file needs fixing before anything is imported')
    await expect(summary.getByText(message, { exact: true })).toBeVisible()
    await expect(summary.getByRole('link')).toHaveCount(0)
    await expectCounts(page, { New: 59, Changed: 0, Unchanged: 0, Errors: 0 })
    await expect(page.getByRole('button', { name: 'Confirm import' })).toHaveCount(0)
    expect(await onDatabase('select id from fabrics where sku like $1', [`E2E-${s}-%`])).toEqual([])
  })

  test('a file saved as Windows-1252 is refused with the row that is not UTF-8, and nothing is written', async ({
    page,
  }) => {
    const s = suffix()
    const text = etsyFile([
      { TITLE: `Two Lines ${s}`, DESCRIPTION: 'Soft.\nWashes well.', PRICE: '10.00', QUANTITY: '1', SKU: `E2E-${s}-1` },
      { TITLE: `@@ ${s}`, PRICE: '12.00', QUANTITY: '1', SKU: `E2E-${s}-2` },
    ]).toString('utf8')
    const [head, tail] = text.split('@@')
    // "Café £12" as Windows-1252 writes it: é = E9, £ = A3. Row 3, after a row of two lines.
    const cafe1252 = Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0xa3, 0x31, 0x32])
    await upload(page, Buffer.concat([Buffer.from(head!), cafe1252, Buffer.from(tail!)]))
    await expect(page.getByLabel(FILE_LABEL)).toHaveAttribute('aria-invalid', 'true')
    await expect(page.getByRole('alert')).toHaveText(
      'Row 3 is not UTF-8 text (the file may have been saved as Windows-1252): save it as UTF-8 and upload it again.',
    )
    await expect(page.getByRole('button', { name: 'Confirm import' })).toHaveCount(0)
    expect(await onDatabase('select id from fabrics where sku like $1', [`E2E-${s}-%`])).toEqual([])
  })

  test('a file that is not Etsy’s, or too large, is refused next to the file field', async ({ page }) => {
    await upload(page, Buffer.from('Sale Date,Order ID\r\n01/02/24,123\r\n'))
    const field = page.getByLabel(FILE_LABEL)
    await expect(field).toHaveAttribute('aria-invalid', 'true')
    await expect(page.getByRole('alert')).toHaveText(/^This is not an Etsy listings file/)

    await upload(page, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))
    await expect(page.getByRole('alert')).toHaveText(/^This is not a CSV text file/)

    await upload(page, Buffer.alloc(20 * 1024 * 1024 + 1, 'a'))
    await expect(page.getByRole('alert')).toHaveText('The file is larger than 20 MB.')
    await expect(page.getByRole('heading', { name: 'Preview' })).toHaveCount(0)

    // A confirm with a made-up upload id is refused without touching anything.
    const forged = await page.request.post(`${app}/fabrics/import`, {
      headers: { Origin: app },
      form: { uploadId: '../../../etc/passwd', digest: 'a'.repeat(32) },
    })
    expect(forged.status()).toBe(400)
  })
})

test('an upload cut short is a clear 400, never a 500', async ({ page }) => {
  const response = await page.request.post(`${app}/fabrics/import`, {
    headers: { Origin: app, 'Content-Type': 'multipart/form-data; boundary=cut' },
    data: '--cut\r\nContent-Disposition: form-data; name="file"; filename="EtsyListingsDownload.csv"\r\n\r\nTITLE,PRI',
  })
  expect(response.status()).toBe(400)
  expect(await response.text()).toContain('The upload could not be read. Try again.')
})

test.describe('staff who are not admins', () => {
  test.use({ storageState: signedOut, expectedConsoleErrors: [/status of 403/] })

  test('cannot import, and can export', async ({ page }) => {
    const email = `import-${suffix()}@example.com`
    await onDatabase("insert into users (email, name, role) values ($1, 'Shop helper', 'user')", [email])
    await signIn(page, app, email)
    const response = await page.goto(`${app}/fabrics/import`)
    expect(response?.status()).toBe(403)
    const post = await page.request.post(`${app}/fabrics/import`, {
      headers: { Origin: app },
      multipart: { file: { name: 'EtsyListingsDownload.csv', mimeType: 'text/csv', buffer: etsyFile([{ TITLE: 'X', PRICE: '1', QUANTITY: '1' }]) } },
    })
    expect(post.status()).toBe(403)
    const csv = await page.request.get(`${app}/fabrics/export.csv`)
    expect(csv.status()).toBe(200)
    expect((await csv.text()).split('\r\n')[0]).toBe(HEADER.join(','))
  })
})

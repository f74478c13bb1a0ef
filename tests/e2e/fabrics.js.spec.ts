// The catalog's flows once more with JavaScript on. The catalog's pages ship no client
// JavaScript (the tablet's connection is slow), so this guards that a browser with JavaScript
// gets the same working pages: nothing may come to depend on it unnoticed.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { stringify } from 'csv-stringify/sync'
import sharp from 'sharp'
import { servers } from '../../playwright.config'
import { expect, onDatabase, test } from './fixtures'

const app = servers.postgres.url

test.use({ expectedConsoleErrors: [/status of (400|409)/] })

test('with JavaScript on: search, create with a mistake, adjust stock, a conflicting edit, an image, an import', async ({
  page,
  browser,
}) => {
  const word = `js${randomBytes(3).toString('hex')}`
  const name = `Teal ${word} Corduroy`

  // Create, with a mistake first.
  await page.goto(`${app}/fabrics/new`)
  await page.getByLabel('Name').fill(name)
  await page.getByLabel('Price ($)').fill('12,50')
  await page.getByRole('button', { name: 'Add fabric' }).click()
  await expect(page.getByText('Enter the price as an amount like 12.50.')).toBeVisible()
  await expect(page.getByLabel('Name')).toHaveValue(name)
  await page.getByLabel('Price ($)').fill('12.50')
  await page.getByLabel('Tags').fill(`corduroy, ${word}`)
  await page.getByLabel('Stock now').fill('8')
  await page.getByRole('button', { name: 'Add fabric' }).click()
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible()
  await expect(page.getByRole('status')).toHaveText(`Added ${name}.`)
  const id = new URL(page.url()).pathname.split('/').at(-1)!

  // Search and filter through the form.
  await page.goto(`${app}/fabrics`)
  await page.getByLabel('Search').fill(word)
  await page.getByLabel('Stock', { exact: true }).selectOption('in')
  await page.getByRole('button', { name: 'Show' }).click()
  await expect(page).toHaveURL(new RegExp(`q=${word}`))
  await expect(page.getByRole('link', { name })).toBeVisible()

  // Stock.
  await page.getByRole('link', { name }).click()
  await page.getByLabel('Take away').check()
  await page.getByLabel('Quantity').fill('3')
  await page.getByLabel('Reason').selectOption({ label: 'Sold in shop' })
  await page.getByRole('button', { name: 'Update stock' }).click()
  await expect(page.getByRole('status')).toHaveText('Stock is now 5.')
  await expect(page.getByRole('table').last().getByRole('row').nth(1)).toContainText('Sold in shop')

  // Two people edit at once: the later save shows both, keeps what was typed, then goes through.
  const other = await browser.newContext({ storageState: '.cache/e2e-admin.json' })
  const second = await other.newPage()
  try {
    await page.goto(`${app}/fabrics/${id}/edit`)
    await second.goto(`${app}/fabrics/${id}/edit`)
    await page.getByLabel('Width (cm)').fill('112')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect(page.getByRole('status')).toHaveText(`Saved ${name}.`)
    await second.getByLabel('Width (cm)').fill('150')
    await second.getByRole('button', { name: 'Save changes' }).click()
    await expect(second.getByRole('heading', { name: 'Changed by someone else' })).toBeVisible()
    await expect(second.getByRole('row', { name: /Width/ }).getByRole('cell')).toHaveText(['112', '150'])
    await expect(second.getByLabel('Width (cm)')).toHaveValue('150')
    await second.getByRole('button', { name: 'Save mine over theirs' }).click()
    await expect(second.getByRole('status')).toHaveText(`Saved ${name}.`)
  } finally {
    await other.close()
  }
  const [saved] = await onDatabase<{ width: string; version: number }>('select width, version from fabrics where id = $1', [id])
  expect(saved).toEqual({ width: '150', version: 3 })

  // An image, and its thumbnail in the list.
  await page.goto(`${app}/fabrics/${id}/images`)
  await page.getByLabel('Images', { exact: true }).setInputFiles({
    name: 'teal.png',
    mimeType: 'image/png',
    buffer: await sharp({ create: { width: 800, height: 600, channels: 3, background: '#1d7874' } }).png().toBuffer(),
  })
  await page.getByRole('button', { name: 'Upload' }).click()
  await expect(page.getByRole('status')).toHaveText('1 image added.')
  await page.goto(`${app}/fabrics?q=${word}`)
  const thumb = page.getByRole('row').filter({ hasText: name }).getByRole('img')
  await expect(thumb).toHaveAttribute('src', /^\/uploads\/fabrics\/.+-thumb\.webp$/)
  expect(await thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)

  // An Etsy file: its preview, then the import.
  const header = readFileSync('tests/fixtures/etsy/EtsyListingsDownload.csv', 'utf8').split('\r\n')[0]!.split(',')
  const listing: Record<string, string> = { TITLE: `Ochre ${word} Canvas`, PRICE: '16.00', CURRENCY_CODE: 'USD', QUANTITY: '7', SKU: `JS-${word}` }
  await page.goto(`${app}/fabrics/import`)
  await page.getByLabel('Etsy listings file (EtsyListingsDownload.csv)').setInputFiles({
    name: 'EtsyListingsDownload.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(stringify([header, header.map((column) => listing[column] ?? '')])),
  })
  await page.getByRole('button', { name: 'Upload and preview' }).click()
  await expect(page.getByRole('region', { name: 'New fabrics' }).getByRole('row').filter({ hasText: `Ochre ${word} Canvas` })).toBeVisible()
  await page.getByRole('button', { name: 'Confirm import' }).click()
  await expect(page.getByRole('status').filter({ hasText: /^Imported:/ })).toHaveText('Imported: 1 new, 0 changed, 0 unchanged.')
  await page.goto(`${app}/fabrics?q=${word}+canvas`)
  await expect(page.getByRole('link', { name: `Ochre ${word} Canvas` })).toBeVisible()
})

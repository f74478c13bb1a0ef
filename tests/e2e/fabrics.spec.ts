// The fabric catalog with JavaScript off, as the shop uses it: search and filters in the URL,
// creating and editing (with a conflict between two browsers), stock and its history,
// bulk actions and the archive, and what a non-admin may do.
import { randomBytes } from 'node:crypto'
import { servers } from '../../playwright.config'
import { expect, onDatabase, signIn, test } from './fixtures'

const app = servers.postgres.url

/** A fabric straight in the database, with a name no other test uses; returns its id. */
async function newFabric(values: { name?: string; category?: string; stock?: number; tags?: string[]; price?: string } = {}) {
  const name = values.name ?? `Test fabric ${randomBytes(3).toString('hex')}`
  const stock = values.stock ?? 10
  const [row] = await onDatabase<{ id: string }>(
    `insert into fabrics (name, category, price, stock_quantity, in_stock, tags)
     values ($1, $2, $3, $4, $5, $6) returning id`,
    [name, values.category ?? null, values.price ?? '12.00', stock, stock > 0, JSON.stringify(values.tags ?? [])],
  )
  return { id: row!.id, name }
}

test.describe('fabrics', () => {
  // Refused forms answer 400/409, and a user is refused admin pages with 403.
  test.use({ expectedConsoleErrors: [/status of (400|403|409)/] })

  test('search, filters and sort live in the URL, so a filtered view can be bookmarked', async ({ page }) => {
    const word = `zq${randomBytes(3).toString('hex')}`
    const category = `Cat ${word}`
    await newFabric({ name: `Sage ${word} Linen`, category, stock: 30, tags: ['sage'] })
    await newFabric({ name: `Rust ${word} Linen`, category, stock: 2 })
    await newFabric({ name: `Rust ${word} Velvet`, stock: 0 })

    await page.goto(`${app}/fabrics`)
    await page.getByLabel('Search').fill(`${word} linen`)
    await page.getByLabel('Category', { exact: true }).selectOption(category)
    await page.getByRole('button', { name: 'Show' }).click()
    const url = new URL(page.url())
    expect(url.searchParams.get('q')).toBe(`${word} linen`)
    expect(url.searchParams.get('category')).toBe(category)
    const rows = page.getByRole('row')
    await expect(rows).toHaveCount(3)
    await expect(page.getByRole('status').filter({ hasText: 'match' })).toHaveText('2 fabrics match.')
    // The export takes the same view (every page of it).
    const exportHref = new URL((await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href'))!, app)
    expect(exportHref.pathname).toBe('/fabrics/export.csv')
    expect(exportHref.searchParams.get('q')).toBe(`${word} linen`)
    expect(exportHref.searchParams.get('category')).toBe(category)
    const csv = await (await page.request.get(exportHref.href)).text()
    expect(csv.trim().split('\r\n')).toHaveLength(3)

    // The same address, opened afresh (a bookmark), shows the same view with the form filled in.
    await page.goto(`${app}/fabrics?q=${word}&stock=low`)
    await expect(page.getByLabel('Search')).toHaveValue(word)
    await expect(page.getByLabel('Stock', { exact: true })).toHaveValue('low')
    await expect(page.getByRole('link', { name: `Rust ${word} Linen` })).toBeVisible()
    await expect(page.getByRole('row').filter({ hasText: `Rust ${word} Linen` })).toContainText('low')
    await expect(page.getByRole('row')).toHaveCount(2)

    await page.goto(`${app}/fabrics?q=${word}&sort=stock`)
    await expect(page.getByRole('link', { name: /Rust|Sage/ })).toHaveText([
      `Rust ${word} Velvet`,
      `Rust ${word} Linen`,
      `Sage ${word} Linen`,
    ])
    await expect(page.getByRole('row').filter({ hasText: `Rust ${word} Velvet` })).toContainText('out')

    await page.goto(`${app}/fabrics?q=${word}&tag=sage`)
    await expect(page.getByRole('link', { name: /Rust|Sage/ })).toHaveText([`Sage ${word} Linen`])

    await page.goto(`${app}/fabrics?q=${word}+nothing-like-this`)
    await expect(page.getByText('No fabrics match these filters.')).toBeVisible()
    await page.getByRole('link', { name: 'Clear the filters' }).click()
    await expect(page).toHaveURL(`${app}/fabrics`)
  })

  test('Enter in the search box searches, keeping the other filters', async ({ page }) => {
    const word = `zq${randomBytes(3).toString('hex')}`
    await newFabric({ name: `Moss ${word} Twill`, stock: 3 })
    await page.goto(`${app}/fabrics?stock=in`)
    await page.getByLabel('Search').fill(`moss ${word}`)
    await page.getByLabel('Search').press('Enter')
    await expect(page).toHaveURL(/[?&]q=moss/)
    expect(new URL(page.url()).searchParams.get('stock')).toBe('in')
    await expect(page.getByRole('link', { name: `Moss ${word} Twill` })).toBeVisible()
  })

  test('create: a mistake is shown next to its field with everything typed kept, then fixed', async ({ page }) => {
    const name = `Coral Seersucker ${randomBytes(3).toString('hex')}`
    await page.goto(`${app}/fabrics`)
    await page.getByRole('link', { name: 'New fabric' }).click()
    await page.getByLabel('Name').fill(name)
    await page.getByLabel('Price ($)').fill('twelve')
    await page.getByLabel('Width (cm)').fill('140')
    await page.getByLabel('Tags').fill('Coral, summer , CORAL')
    await page.getByLabel('Stock now').fill('25')
    await page.getByRole('button', { name: 'Add fabric' }).click()

    const price = page.getByLabel('Price ($)')
    await expect(price).toHaveAttribute('aria-invalid', 'true')
    await expect(page.getByText('Enter the price as an amount like 12.50.')).toBeVisible()
    const describedBy = (await price.getAttribute('aria-describedby')) ?? ''
    await expect(page.locator(`[id="${describedBy.split(' ').at(-1)}"]`)).toHaveText('Enter the price as an amount like 12.50.')
    await expect(page.getByLabel('Name')).toHaveValue(name)
    await expect(page.getByLabel('Width (cm)')).toHaveValue('140')
    await expect(price).toHaveValue('twelve')

    await price.fill('12.5')
    await page.getByRole('button', { name: 'Add fabric' }).click()
    await expect(page.getByRole('status')).toHaveText(`Added ${name}.`)
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible()
    await expect(page.getByRole('definition').filter({ hasText: '$12.50' })).toBeVisible()
    await expect(page.getByRole('definition').filter({ hasText: '140 cm' })).toBeVisible()
    await expect(page.getByRole('list', { name: 'Tags' }).getByRole('link')).toHaveText(['coral', 'summer'])
    // The first stock is the first line of the history.
    await expect(page.getByRole('row').nth(1)).toContainText('+25')
    await expect(page.getByRole('row').nth(1)).toContainText('First stock')
  })

  test('stock: add and take away with a reason, never below zero, and see the history', async ({ page }) => {
    const fabric = await newFabric({ stock: 4 })
    await page.goto(`${app}/fabrics/${fabric.id}`)
    await page.getByLabel('Quantity').fill('6')
    await page.getByLabel('Reason').selectOption({ label: 'Received' })
    await page.getByLabel('Note (optional)').fill('Bolt from the mill')
    await page.getByRole('button', { name: 'Update stock' }).click()
    await expect(page.getByRole('status')).toHaveText('Stock is now 10.')

    await page.getByLabel('Take away').check()
    await page.getByLabel('Quantity').fill('11')
    await page.getByLabel('Reason').selectOption({ label: 'Sold in shop' })
    await page.getByRole('button', { name: 'Update stock' }).click()
    await expect(page.getByText('Only 10 in stock: you cannot take away 11.')).toBeVisible()
    await expect(page.getByLabel('Quantity')).toHaveValue('11')
    await expect(page.getByLabel('Take away')).toBeChecked()

    await page.getByLabel('Quantity').fill('10')
    await page.getByRole('button', { name: 'Update stock' }).click()
    await expect(page.getByRole('status')).toHaveText('Stock is now 0.')
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
    const history = page.getByRole('table').last().getByRole('row')
    await expect(history.nth(1)).toContainText('-10')
    await expect(history.nth(1)).toContainText('Sold in shop')
    await expect(history.nth(1)).toContainText('Shop Admin')
    await expect(history.nth(2)).toContainText('+6')
    await expect(history.nth(2)).toContainText('Bolt from the mill')
    const [row] = await onDatabase<{ stock_quantity: number; in_stock: boolean }>(
      'select stock_quantity, in_stock from fabrics where id = $1',
      [fabric.id],
    )
    expect(row).toEqual({ stock_quantity: 0, in_stock: false })
  })

  test('two browsers edit the same fabric: the second sees both versions and loses nothing', async ({ page, browser }) => {
    const fabric = await newFabric({ price: '10.00' })
    const other = await browser.newContext({ storageState: '.cache/e2e-admin.json', javaScriptEnabled: false })
    const second = await other.newPage()
    try {
      await page.goto(`${app}/fabrics/${fabric.id}/edit`)
      await second.goto(`${app}/fabrics/${fabric.id}/edit`)

      await page.getByLabel('Price ($)').fill('11.00')
      await page.getByRole('button', { name: 'Save changes' }).click()
      await expect(page.getByRole('status')).toHaveText(`Saved ${fabric.name}.`)

      await second.getByLabel('Price ($)').fill('14.00')
      await second.getByLabel('Composition').fill('100% cotton')
      await second.getByRole('button', { name: 'Save changes' }).click()
      await expect(second.getByRole('heading', { name: 'Changed by someone else' })).toBeVisible()
      const price = second.getByRole('row', { name: /Price/ })
      await expect(price.getByRole('cell')).toHaveText(['11.00', '14.00'])
      await expect(second.getByLabel('Price ($)')).toHaveValue('14.00')
      await expect(second.getByLabel('Composition')).toHaveValue('100% cotton')
      const [saved] = await onDatabase<{ price: string }>('select price from fabrics where id = $1', [fabric.id])
      expect(saved?.price).toBe('11.00')

      await second.getByRole('button', { name: 'Save mine over theirs' }).click()
      await expect(second.getByRole('status')).toHaveText(`Saved ${fabric.name}.`)
      await expect(second.getByRole('definition').filter({ hasText: '$14.00' })).toBeVisible()
    } finally {
      await other.close()
    }
  })

  test('bulk actions on ticked rows: set a category, archive, and restore from the archive', async ({ page }) => {
    const word = `bk${randomBytes(3).toString('hex')}`
    const a = await newFabric({ name: `Bulk ${word} A`, stock: 3 })
    const b = await newFabric({ name: `Bulk ${word} B`, stock: 0 })
    await page.goto(`${app}/fabrics?q=${word}`)
    await page.getByRole('button', { name: 'Apply to ticked' }).click()
    await expect(page.getByText('Tick at least one fabric first.')).toBeVisible()

    await page.getByLabel(`Tick ${a.name}`).check()
    await page.getByLabel(`Tick ${b.name}`).check()
    await page.getByLabel('With the ticked fabrics').selectOption({ label: 'Set the category to…' })
    await page.getByLabel('New category').fill(`Remnants ${word}`)
    await page.getByRole('button', { name: 'Apply to ticked' }).click()
    await expect(page.getByRole('status').first()).toHaveText(`Category set to Remnants ${word}: 2 of 2 fabrics changed.`)
    await expect(page).toHaveURL(`${app}/fabrics?q=${word}`)
    await expect(page.getByRole('row').filter({ hasText: `Remnants ${word}` })).toHaveCount(2)

    await page.getByLabel(`Tick ${a.name}`).check()
    await page.getByLabel('With the ticked fabrics').selectOption({ label: 'Mark out of stock' })
    await page.getByRole('button', { name: 'Apply to ticked' }).click()
    await expect(page.getByRole('status').first()).toHaveText('Marked out of stock: 1 of 1 fabrics changed.')
    await expect(page.getByRole('row').filter({ hasText: a.name })).toContainText('out')

    await page.getByLabel(`Tick ${a.name}`).check()
    await page.getByLabel('With the ticked fabrics').selectOption({ label: 'Archive' })
    await page.getByRole('button', { name: 'Apply to ticked' }).click()
    // Archiving asks first, naming the fabric; nothing is archived until the answer.
    await expect(page.getByRole('heading', { name: `Archive “${a.name}”?` })).toBeVisible()
    await expect(page.getByLabel(`Tick ${a.name}`)).toBeChecked()
    await page.getByRole('button', { name: `Archive “${a.name}”` }).click()
    await expect(page.getByRole('status').first()).toHaveText('Archived: 1 of 1 fabrics changed.')
    await expect(page).toHaveURL(`${app}/fabrics?q=${word}`)
    await expect(page.getByRole('link', { name: a.name })).toHaveCount(0)
    await expect(page.getByRole('link', { name: b.name })).toBeVisible()

    await page.goto(`${app}/fabrics?archived=1&q=${word}`)
    await expect(page.getByRole('heading', { level: 1, name: 'Archived fabrics' })).toBeVisible()
    await page.getByRole('link', { name: a.name }).click()
    await expect(page.getByRole('heading', { level: 1 })).toContainText('archived')
    await page.getByRole('button', { name: 'Restore' }).click()
    await expect(page.getByRole('status')).toHaveText('Fabric restored.')
    await page.goto(`${app}/fabrics?q=${word}`)
    await expect(page.getByRole('link', { name: a.name })).toBeVisible()
  })

  test('staff who are not admins browse and adjust stock, but cannot create, edit or import', async ({ browser }) => {
    const email = `counter-${randomBytes(4).toString('hex')}@example.com`
    await onDatabase('insert into users (email, name, role) values ($1, $2, $3)', [email, 'Counter Staff', 'user'])
    const fabric = await newFabric({ stock: 5 })
    const context = await browser.newContext({
      storageState: { cookies: [], origins: [] },
      javaScriptEnabled: false,
      extraHTTPHeaders: { 'X-Forwarded-For': `10.9.${randomBytes(1)[0]}.${randomBytes(1)[0]! % 250 + 1}` },
    })
    const page = await context.newPage()
    try {
      await signIn(page, app, email, `/fabrics/${fabric.id}`)
      await expect(page.getByRole('heading', { level: 1, name: fabric.name })).toBeVisible()
      await expect(page.getByRole('link', { name: 'Edit' })).toHaveCount(0)
      await page.getByLabel('Take away').check()
      await page.getByLabel('Quantity').fill('2')
      await page.getByLabel('Reason').selectOption({ label: 'Damaged' })
      await page.getByRole('button', { name: 'Update stock' }).click()
      await expect(page.getByRole('status')).toHaveText('Stock is now 3.')
      await expect(page.getByRole('table').last().getByRole('row').nth(1)).toContainText('Counter Staff')

      await page.goto(`${app}/fabrics`)
      await expect(page.getByRole('link', { name: 'New fabric' })).toHaveCount(0)
      await expect(page.getByRole('checkbox')).toHaveCount(0)
      for (const path of ['/fabrics/new', `/fabrics/${fabric.id}/edit`, '/fabrics/import', `/fabrics/${fabric.id}/images`]) {
        expect((await page.goto(`${app}${path}`))?.status(), path).toBe(403)
      }
      // The forms' actions refuse too, whatever a page shows.
      const archive = await page.request.post(`${app}/fabrics/${fabric.id}`, {
        form: { intent: 'archive' },
        headers: { Origin: app },
      })
      expect(archive.status()).toBe(403)
      const bulk = await page.request.post(`${app}/fabrics?index`, {
        form: { operation: 'archive', ids: fabric.id },
        headers: { Origin: app },
      })
      expect(bulk.status()).toBe(403)
    } finally {
      await context.close()
    }
  })
})

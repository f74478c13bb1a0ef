// Orders with JavaScript off, as the counter uses them: a two-line order built by finding
// fabrics, refused while a line lacks stock, placed (stock drops), processed, shipped with a
// tracking number, its packing slip printed; another order cancelled and its stock back; what a
// staff member may not do to a shipped order; Enter in the fabric search searches, and nothing
// typed (the quantity to add included) is lost by Find, Add or Remove.
import { randomBytes } from 'node:crypto'
import { servers } from '../../playwright.config'
import { expect, onDatabase, signIn, test } from './fixtures'

const app = servers.postgres.url

async function makeFabric(name: string, price: string, stock: number) {
  const [row] = await onDatabase<{ id: string }>(
    `insert into fabrics (name, sku, price, stock_quantity, in_stock) values ($1, $2, $3, $4, $4 > 0) returning id`,
    [name, `E2E-${randomBytes(4).toString('hex')}`, price, stock],
  )
  return row!.id
}

const stockOf = async (id: string) =>
  (await onDatabase<{ n: number }>('select stock_quantity as n from fabrics where id = $1', [id]))[0]!.n

test.describe('orders', () => {
  // Refused forms answer 400 or 409.
  test.use({ expectedConsoleErrors: [/status of (400|409)/] })

  test('a two-line order from the counter to the post', async ({ page }) => {
    const word = randomBytes(3).toString('hex')
    const sage = `Sage order linen ${word}`
    const ribbon = `Dime order ribbon ${word}`
    const sageId = await makeFabric(sage, '12.50', 10)
    const ribbonId = await makeFabric(ribbon, '0.10', 30)

    await page.goto(`${app}/orders/new`)
    await page.getByRole('button', { name: 'Place order' }).click()
    await expect(page.getByText('Add at least one fabric')).toBeVisible()
    await expect(page.getByLabel('Customer name')).toHaveAttribute('aria-invalid', 'true')

    await page.getByLabel('Customer name').fill('Farah Okafor')
    await page.getByLabel('Email (optional)').fill('farah@example.com')
    await page.getByLabel('Find a fabric by name or SKU').fill(`order ${word}`)
    await page.getByRole('button', { name: 'Find fabrics' }).click()
    await expect(page.getByRole('status')).toHaveText(`Found 2 fabrics for “order ${word}”.`)
    await page.getByLabel('Quantity to add').fill('2')
    await page.getByRole('button', { name: `Add ${sage}` }).click()
    await expect(page.getByRole('status')).toHaveText(`Added 2 × ${sage}.`)
    // What was typed is still there.
    await expect(page.getByLabel('Customer name')).toHaveValue('Farah Okafor')
    await page.getByRole('button', { name: 'Find fabrics' }).click()
    await page.getByLabel('Quantity to add').fill('3')
    await page.getByRole('button', { name: `Add ${ribbon}` }).click()
    const lines = page.getByRole('table', { name: 'Order lines' })
    await expect(lines.getByRole('row')).toHaveCount(4) // head, two lines, total
    await expect(lines).toContainText('$25.30')

    await page.getByLabel('Address line 1').fill('620 Mill St')
    await page.getByLabel('Town or city').fill('Leeds')
    await page.getByLabel('Postcode or ZIP').fill('LS1 4AP')
    await page.getByLabel('Country').selectOption({ label: 'United Kingdom' })

    // More than the shelf holds: nothing is placed, the line says how many are left.
    await page.getByLabel(`Quantity of ${sage}`).fill('11')
    await page.getByRole('button', { name: 'Place order' }).click()
    await expect(page.getByText(`Only 10 left of ${sage}.`)).toBeVisible()
    await expect(page.getByLabel(`Quantity of ${sage}`)).toHaveAttribute('aria-invalid', 'true')
    await expect(page.getByLabel('Town or city')).toHaveValue('Leeds')
    expect(await stockOf(sageId)).toBe(10)

    await page.getByLabel(`Quantity of ${sage}`).fill('2')
    await page.getByRole('button', { name: 'Place order' }).click()
    await expect(page.getByRole('status')).toContainText('Placed order #')
    const orderUrl = page.url()
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Pending')
    await expect(page.locator('tfoot')).toContainText('$25.30')
    await expect(page.getByText('United Kingdom')).toBeVisible()

    // The stock dropped, and the fabric's history points at the order.
    expect(await stockOf(sageId)).toBe(8)
    expect(await stockOf(ribbonId)).toBe(27)
    await page.goto(`${app}/fabrics/${sageId}`)
    await page.getByRole('link', { name: /^Order #\d+$/ }).click()
    expect(page.url()).toBe(orderUrl)

    // Processing, then shipping, which needs a tracking number.
    await page.getByRole('button', { name: 'Start processing' }).click()
    await expect(page.getByRole('status')).toHaveText('Order is now processing.')
    const ship = page.getByRole('form', { name: 'Mark shipped' })
    await ship.getByLabel('Carrier').fill('Royal Mail')
    await ship.getByRole('button', { name: 'Mark shipped' }).click()
    await expect(page.getByText('Enter the tracking number to ship the order.')).toBeVisible()
    await expect(page.getByRole('form', { name: 'Mark shipped' }).getByLabel('Carrier')).toHaveValue('Royal Mail')
    await page.getByRole('form', { name: 'Mark shipped' }).getByLabel('Tracking number').fill('RM123456785GB')
    await page.getByRole('form', { name: 'Mark shipped' }).getByRole('button', { name: 'Mark shipped' }).click()
    await expect(page.getByRole('status')).toHaveText('Order is now shipped.')
    const timeline = page.getByRole('list').filter({ hasText: 'Placed as pending' })
    await expect(timeline.getByRole('listitem')).toHaveCount(3)
    await expect(timeline).toContainText('Processing → Shipped')
    await expect(timeline).toContainText('Royal Mail, tracking RM123456785GB')

    // Its packing slip: the shop, the address, the lines with a box to tick.
    await page.getByRole('link', { name: 'Packing slip' }).click()
    await expect(page.getByText('620 Mill St')).toBeVisible()
    await expect(page.getByText(sage)).toBeVisible()
    await expect(page.getByText(ribbon)).toBeVisible()
  })

  test('Enter in the fabric search finds; Find, Add and Remove keep everything typed, the quantity to add too', async ({ page }) => {
    const word = randomBytes(3).toString('hex')
    const sage = `Sage keep linen ${word}`
    const ribbon = `Dime keep ribbon ${word}`
    await makeFabric(sage, '12.50', 10)
    await makeFabric(ribbon, '0.10', 30)

    await page.goto(`${app}/orders/new`)
    await page.getByLabel('Customer name').fill('Nia Brooks')
    await page.getByLabel('Notes (optional)').fill('Leave with the neighbour.')
    await page.getByLabel('Quantity to add').fill('3')
    const search = page.getByLabel('Find a fabric by name or SKU')
    await search.fill(`keep ${word}`)
    await search.press('Enter')
    await expect(page.getByRole('status')).toHaveText(`Found 2 fabrics for “keep ${word}”.`)
    await expect(page.getByLabel('Quantity to add')).toHaveValue('3')
    await expect(page.getByLabel('Customer name')).toHaveValue('Nia Brooks')
    await expect(page.getByLabel('Notes (optional)')).toHaveValue('Leave with the neighbour.')
    await page.getByRole('button', { name: `Add ${sage}` }).click()
    await expect(page.getByRole('status')).toHaveText(`Added 3 × ${sage}.`)
    await expect(page.getByLabel(`Quantity of ${sage}`)).toHaveValue('3')

    // A line's quantity typed over, and another quantity to add: both survive the next Find and Add.
    await page.getByLabel(`Quantity of ${sage}`).fill('5')
    await page.getByLabel('Quantity to add').fill('2')
    await page.getByLabel('Find a fabric by name or SKU').press('Enter')
    await expect(page.getByRole('status')).toHaveText(`Found 2 fabrics for “keep ${word}”.`)
    await expect(page.getByLabel('Quantity to add')).toHaveValue('2')
    await expect(page.getByLabel(`Quantity of ${sage}`)).toHaveValue('5')
    // (The notes come last in the page: found, the page has all of its form.)
    await expect(page.getByLabel('Notes (optional)')).toHaveValue('Leave with the neighbour.')
    await page.getByRole('button', { name: `Add ${ribbon}` }).click()
    await expect(page.getByRole('status')).toHaveText(`Added 2 × ${ribbon}.`)
    await expect(page.getByLabel(`Quantity of ${sage}`)).toHaveValue('5')
    await expect(page.getByLabel(`Quantity of ${ribbon}`)).toHaveValue('2')
    await expect(page.getByRole('table', { name: 'Order lines' })).toContainText('$62.70')

    // A quantity to add that is no number: nothing added, the box keeps it, the reason beside it.
    await page.getByLabel('Quantity to add').fill('lots')
    await page.getByLabel('Find a fabric by name or SKU').press('Enter')
    await expect(page.getByLabel('Notes (optional)')).toHaveValue('Leave with the neighbour.')
    await page.getByRole('button', { name: `Add ${ribbon}` }).click()
    await expect(page.getByLabel('Quantity to add')).toHaveValue('lots')
    await expect(page.getByLabel('Quantity to add')).toHaveAttribute('aria-invalid', 'true')
    await expect(page.getByText('Enter how many to add')).toBeVisible()
    await expect(page.getByLabel(`Quantity of ${ribbon}`)).toHaveValue('2')

    await page.getByRole('button', { name: `Remove ${sage}` }).click()
    await expect(page.getByRole('status')).toHaveText('Removed the line.')
    await expect(page.getByLabel(`Quantity of ${sage}`)).toHaveCount(0)
    await expect(page.getByLabel(`Quantity of ${ribbon}`)).toHaveValue('2')
    await expect(page.getByLabel('Quantity to add')).toHaveValue('lots')
    await expect(page.getByLabel('Customer name')).toHaveValue('Nia Brooks')
    await expect(page.getByLabel('Notes (optional)')).toHaveValue('Leave with the neighbour.')
  })

  test('cancelling an order puts its stock back', async ({ page }) => {
    const word = randomBytes(3).toString('hex')
    const name = `Cancel voile ${word}`
    const id = await makeFabric(name, '7.00', 5)
    await page.goto(`${app}/orders/new?fabric=${id}`)
    await page.getByLabel(`Quantity of ${name}`).fill('4')
    await page.getByLabel('Customer name').fill('Gus Rossi')
    await page.getByRole('button', { name: 'Place order' }).click()
    await expect(page.getByRole('status')).toContainText('Placed order #')
    expect(await stockOf(id)).toBe(1)

    // Asked first; keeping it changes nothing.
    await page.getByRole('link', { name: /^Cancel order #\d+…$/ }).click()
    await page.getByRole('link', { name: 'Keep the order' }).click()
    await expect(page.getByRole('link', { name: /^Cancel order #\d+…$/ })).toBeVisible()
    await page.getByRole('link', { name: /^Cancel order #\d+…$/ }).click()
    await page.getByLabel('Reason (optional)').fill('Customer changed their mind')
    await page.getByRole('button', { name: /^Yes, cancel order #\d+$/ }).click()
    await expect(page.getByRole('status')).toHaveText('Order is now cancelled. 4 units back in stock.')
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Cancelled')
    await expect(page.getByText('Customer changed their mind')).toBeVisible()
    expect(await stockOf(id)).toBe(5)

    await page.goto(`${app}/fabrics/${id}`)
    const history = page.getByRole('table').last()
    await expect(history.getByRole('row').nth(1)).toContainText('Returned to stock')
    await expect(history.getByRole('row').nth(1)).toContainText('+4')
  })

  test('a staff member ships but may not cancel a shipped order; an admin may', async ({ page, browser }) => {
    const word = randomBytes(3).toString('hex')
    const id = await makeFabric(`Return wool ${word}`, '20.00', 3)
    await page.goto(`${app}/orders/new?fabric=${id}`)
    await page.getByLabel('Customer name').fill('Lena Tanaka')
    await page.getByRole('button', { name: 'Place order' }).click()
    await page.getByRole('button', { name: 'Start processing' }).click()
    const ship = page.getByRole('form', { name: 'Mark shipped' })
    await ship.getByLabel('Carrier').fill('DPD')
    await ship.getByLabel('Tracking number').fill(`DPD${word}`)
    await ship.getByRole('button', { name: 'Mark shipped' }).click()
    await expect(page.getByRole('status')).toHaveText('Order is now shipped.')
    const orderUrl = page.url()

    const email = `packer-${word}@example.com`
    await onDatabase('insert into users (email, name, role) values ($1, $2, $3)', [email, 'Pat Packer', 'user'])
    const context = await browser.newContext({
      storageState: { cookies: [], origins: [] },
      javaScriptEnabled: false,
      extraHTTPHeaders: {
        'X-Forwarded-For': `10.9.${randomBytes(1)[0]}.${(randomBytes(1)[0]! % 250) + 1}`,
      },
    })
    const staff = await context.newPage()
    try {
      await signIn(staff, app, email, new URL(orderUrl).pathname)
      await expect(staff.getByRole('button', { name: 'Mark delivered' })).toBeVisible()
      await expect(staff.getByRole('link', { name: /^Cancel order #\d+…$/ })).toHaveCount(0)
    } finally {
      await context.close()
    }
    // The admin may record it as a return.
    await page.getByRole('link', { name: /^Cancel order #\d+…$/ }).click()
    await page.getByRole('button', { name: /^Yes, cancel order/ }).click()
    await expect(page.getByRole('status')).toHaveText('Order is now cancelled. 1 unit back in stock.')
    expect(await stockOf(id)).toBe(3)
  })
})

// The orders list with JavaScript off: status tabs with counts, search, a date range in the
// shop's time zone (America/New_York here) and pages, all in the URL; ticking orders and printing
// their packing slips (each on its own page, on A4 and on US Letter; none for a cancelled order);
// dates that are wrong said next to their box; the ticked orders' status changed at once (a bulk
// cancel asks first and gives the stock back); the accountant's CSV, which only admins get.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { servers } from '../../playwright.config'
import { expect, onDatabase, signIn, test } from './fixtures'

const app = servers.postgres.url

interface NewOrder {
  name: string
  email?: string
  status?: 'pending' | 'processing' | 'shipped' | 'delivered' | 'cancelled'
  /** An SQL expression for when it was placed. */
  placed?: string
  total?: string
  items?: { name: string; sku: string | null; quantity: number }[]
  address?: Record<string, string>
  notes?: string
}

/** An order straight in the database; returns its id and number. */
async function newOrder(o: NewOrder) {
  const items = (o.items ?? [{ name: 'Sage Linen', sku: 'SL-1', quantity: 2 }]).map((i) => ({
    fabricId: null,
    unitPrice: '10.00',
    lineTotal: (10 * i.quantity).toFixed(2),
    ...i,
  }))
  const [row] = await onDatabase<{ id: string; number: number }>(
    `insert into orders (customer_name, customer_email, status, created_at, total_amount, items, shipping_address,
                         notes, tracking_number)
     values ($1, $2, $3::order_status, ${o.placed ?? `now() - interval '1 hour'`}, $4, $5, $6, $7,
             case when $3::order_status in ('shipped', 'delivered') then 'RM000000000GB' end)
     returning id, number`,
    [
      o.name,
      o.email ?? null,
      o.status ?? 'pending',
      o.total ?? '20.00',
      JSON.stringify(items),
      o.address ? JSON.stringify(o.address) : null,
      o.notes ?? null,
    ],
  )
  return row!
}

const rowsOf = (page: import('@playwright/test').Page) => page.getByRole('table').getByRole('row')

test.describe('the orders list', () => {
  // A user is refused the export with 403; a status change with nothing ticked answers 400, one
  // that moved none of the ticked orders 409.
  test.use({ expectedConsoleErrors: [/status of (400|403|409)/] })

  test('tabs, search, a date range and pages live in the URL', async ({ page }) => {
    const word = `zq${randomBytes(3).toString('hex')}`
    const wren = await newOrder({ name: `Wren ${word}`, email: `wren.${word}@example.com`, status: 'pending' })
    await newOrder({ name: `Wren ${word} Junior`, status: 'processing', placed: `now() - interval '5 days'`, total: '75.50' })
    await newOrder({ name: `Otter ${word}`, status: 'shipped', placed: `now() - interval '2 days'` })

    await page.goto(`${app}/orders`)
    await expect(page.getByRole('heading', { level: 1, name: 'Orders' })).toBeVisible()
    await expect(page.getByRole('link', { name: /^All/ })).toHaveAttribute('aria-current', 'page')
    await page.getByLabel('Search').fill(word)
    await page.getByRole('button', { name: 'Show' }).click()
    expect(new URL(page.url()).searchParams.get('q')).toBe(word)
    await expect(rowsOf(page)).toHaveCount(4)
    const tabs = page.getByRole('navigation', { name: 'Order status' }).getByRole('link')
    await expect(tabs).toHaveText(['All (3)', 'Pending (1)', 'Processing (1)', 'Shipped (1)', 'Delivered (0)', 'Cancelled (0)'])

    // A tab keeps the search; the search box keeps the words.
    await page.getByRole('link', { name: 'Processing (1)' }).click()
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ q: word, status: 'processing' })
    await expect(page.getByRole('link', { name: 'Processing (1)' })).toHaveAttribute('aria-current', 'page')
    await expect(page.getByLabel('Search')).toHaveValue(word)
    await expect(rowsOf(page)).toHaveCount(2)
    const late = rowsOf(page).nth(1)
    await expect(late).toContainText(`Wren ${word} Junior`)
    // Overdue in words and a symbol, not colour alone.
    await expect(late).toContainText('⚠ Overdue')
    await expect(late).toContainText('$75.50')

    // An email typed whole, and an order's number.
    await page.goto(`${app}/orders?q=${encodeURIComponent(`wren.${word}@example.com`)}`)
    await expect(rowsOf(page)).toHaveCount(2)
    await page.goto(`${app}/orders?q=${encodeURIComponent(`#${wren.number}`)}`)
    await expect(rowsOf(page)).toHaveCount(2)
    await expect(page.getByRole('link', { name: `#${wren.number}` })).toHaveAttribute('href', `/orders/${wren.id}`)
    await expect(rowsOf(page).nth(1)).not.toContainText('Overdue')

    // Days are the shop's (New York): 23:30 on 14 June is the 14th, 00:30 on the 15th the 15th.
    const day = `dq${randomBytes(3).toString('hex')}`
    await newOrder({ name: `Late ${day}`, placed: `'2021-06-15T03:30:00Z'::timestamptz`, status: 'delivered' })
    await newOrder({ name: `Early ${day}`, placed: `'2021-06-15T04:30:00Z'::timestamptz`, status: 'delivered' })
    await page.goto(`${app}/orders`)
    await page.getByLabel('Search').fill(day)
    await page.getByLabel('Placed from').fill('2021-06-15')
    await page.getByLabel('Placed to').fill('2021-06-15')
    await page.getByRole('button', { name: 'Show' }).click()
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toMatchObject({ from: '2021-06-15', to: '2021-06-15', q: day })
    await expect(rowsOf(page)).toHaveCount(2)
    await expect(rowsOf(page).nth(1)).toContainText(`Early ${day}`)
    await expect(rowsOf(page).nth(1)).toContainText('15 Jun 2021')
    await page.getByLabel('Placed from').fill('2021-06-14')
    await page.getByLabel('Placed to').fill('2021-06-14')
    await page.getByRole('button', { name: 'Show' }).click()
    await expect(rowsOf(page).nth(1)).toContainText(`Late ${day}`)
    await expect(rowsOf(page).nth(1)).toContainText('14 Jun 2021')
    await page.getByLabel('Placed from').fill('2021-06-16')
    await page.getByLabel('Placed to').fill('2021-06-16')
    await page.getByRole('button', { name: 'Show' }).click()
    await expect(page.getByText('No orders match these filters.')).toBeVisible()

    // Pages: the demo's orders and these are more than one page.
    const [{ n }] = (await onDatabase<{ n: number }>('select count(*)::int as n from orders')) as [{ n: number }]
    expect(n).toBeGreaterThan(50)
    await page.goto(`${app}/orders`)
    await expect(page.getByText(`Page 1 of ${Math.ceil(Math.min(n, 1000) / 50)}`)).toBeVisible()
    const first = await rowsOf(page).getByRole('link').allTextContents()
    await page.getByRole('link', { name: 'Next →' }).click()
    expect(new URL(page.url()).searchParams.get('page')).toBe('2')
    await expect(page.getByText('Page 2 of')).toBeVisible()
    const second = await rowsOf(page).getByRole('link').allTextContents()
    expect(second.length).toBe(Math.min(n - 50, 50))
    expect(second.filter((label) => first.includes(label))).toEqual([])
    await page.getByRole('link', { name: '← Previous' }).click()
    await expect(page).toHaveURL(`${app}/orders`)
  })

  test('Enter in the search box searches; an order of another year shows its year', async ({ page }) => {
    const name = `Enter Search ${randomBytes(3).toString('hex')}`
    await newOrder({ name, placed: `'2024-09-03 15:00:00+00'`, total: '1272.00' })
    await page.goto(`${app}/orders`)
    await page.getByLabel('Search').fill(name)
    await page.getByLabel('Search').press('Enter')
    expect(new URL(page.url()).searchParams.get('q')).toBe(name)
    const row = rowsOf(page).filter({ hasText: name })
    await expect(row).toHaveCount(1)
    // One way to write dates: the year when it is not this year, "Sep" not "Sept"; thousands separated.
    await expect(row).toContainText('3 Sep 2024')
    await expect(row).toContainText('$1,272.00')
  })

  test('tick two orders and print their packing slips, each on its own page', async ({ page }) => {
    const word = `pk${randomBytes(3).toString('hex')}`
    const ada = await newOrder({
      name: `Ada ${word}`,
      status: 'processing',
      items: [
        { name: 'Washed Linen — Sage', sku: 'WL-SAGE', quantity: 3 },
        { name: 'Double Gauze — Blush', sku: null, quantity: 1 },
      ],
      address: { name: `Ada ${word}`, line1: '12 Mill Lane', line2: 'Flat 3', city: 'York', postalCode: 'YO1 7HH', country: 'GB' },
      notes: 'Gift: no prices in the parcel, please.',
    })
    const bea = await newOrder({
      name: `Bea ${word}`,
      placed: `now() - interval '2 hours'`,
      items: [{ name: 'Chambray — Indigo', sku: 'CH-IND', quantity: 2 }],
      address: { name: `Bea ${word}`, line1: '620 SE Hawthorne Blvd', city: 'Portland', region: 'OR', postalCode: '97214', country: 'US' },
    })
    await newOrder({ name: `Cy ${word}`, placed: `now() - interval '3 hours'` })

    await page.goto(`${app}/orders?q=${word}`)
    await expect(rowsOf(page)).toHaveCount(4)
    await page.getByLabel(`Select order #${ada.number}`).check()
    await page.getByLabel(`Select order #${bea.number}`).check()
    await page.getByRole('button', { name: 'Print packing slips' }).click()
    const url = new URL(page.url())
    expect(url.pathname).toBe('/orders/packing-slips')
    expect(url.searchParams.getAll('id')).toEqual([ada.id, bea.id])

    const shopName = (await page.locator('.brand').textContent())!.trim()
    const slips = page.getByRole('article')
    await expect(slips).toHaveCount(2)
    const [first, second] = [slips.nth(0), slips.nth(1)]
    await expect(first.getByRole('heading', { level: 2 })).toHaveText(`Packing slip: order #${ada.number}`)
    await expect(first).toContainText(shopName)
    await expect(first.locator('address')).toHaveText(`Ada ${word}12 Mill LaneFlat 3YorkYO1 7HHUnited Kingdom`)
    await expect(first.getByRole('columnheader')).toHaveText(['Packed', 'SKU', 'Item', 'Quantity'])
    const lines = first.getByRole('row')
    await expect(lines).toHaveCount(3)
    await expect(lines.nth(1).getByRole('cell')).toHaveText(['', 'WL-SAGE', 'Washed Linen — Sage', '3'])
    await expect(lines.nth(2).getByRole('cell')).toHaveText(['', '—', 'Double Gauze — Blush', '1'])
    await expect(first.locator('.tick-box')).toHaveCount(2)
    await expect(first).toContainText('Gift: no prices in the parcel, please.')
    await expect(second.getByRole('heading', { level: 2 })).toHaveText(`Packing slip: order #${bea.number}`)
    await expect(second).toContainText(shopName)
    await expect(second.locator('address')).toContainText('Portland, OR')
    await expect(second.locator('address')).toContainText('United States')
    await expect(second.getByRole('row')).toHaveCount(2)
    await expect(page.getByText(/Print command/)).toBeVisible()
    await expect(page.locator('script:not([data-enhance])')).toHaveCount(0)

    // Printed: no site navigation and no screen-only lines, the slips alone.
    await page.emulateMedia({ media: 'print' })
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden()
    await expect(page.getByText(/Print command/)).toBeHidden()
    await expect(page.getByRole('link', { name: 'Back to the orders' })).toBeHidden()
    await expect(first).toBeVisible()
    await expect(second).toBeVisible()
    // One page per slip, on A4 and on US Letter alike.
    for (const format of ['A4', 'Letter']) {
      const pdf = (await page.pdf({ format })).toString('latin1')
      expect(pdf.match(/\/Type\s*\/Page(?![a-zA-Z])/g), format).toHaveLength(2)
    }
    await page.emulateMedia({ media: 'screen' })

    // Nothing ticked: a way back rather than an empty page.
    await page.goto(`${app}/orders/packing-slips`)
    await expect(page.getByText('No orders were ticked.')).toBeVisible()
    await page.getByRole('link', { name: 'orders list' }).click()
    await expect(page).toHaveURL(`${app}/orders`)
  })

  test('a cancelled order gets no packing slip: it is left out and named', async ({ page }) => {
    const word = `cx${randomBytes(3).toString('hex')}`
    const kept = await newOrder({ name: `Kept ${word}`, status: 'processing' })
    const gone = await newOrder({ name: `Gone ${word}`, status: 'cancelled', placed: `now() - interval '2 hours'` })
    await page.goto(`${app}/orders?q=${word}`)
    await page.getByLabel(`Select order #${kept.number}`).check()
    await page.getByLabel(`Select order #${gone.number}`).check()
    await page.getByRole('button', { name: 'Print packing slips' }).click()
    await expect(page.getByRole('article')).toHaveCount(1)
    await expect(page.getByRole('article').getByRole('heading', { level: 2 })).toHaveText(`Packing slip: order #${kept.number}`)
    const note = page.getByRole('note')
    await expect(note).toHaveText(`Left out, cancelled: order #${gone.number}. It has nothing to pack, so it has no slip.`)
    await expect(note.getByRole('link', { name: `order #${gone.number}` })).toHaveAttribute('href', `/orders/${gone.id}`)
    await page.emulateMedia({ media: 'print' })
    await expect(note).toBeHidden()
    await page.emulateMedia({ media: 'screen' })

    // Only the cancelled one: nothing to pack, and the order's own page offers no slip.
    await page.goto(`${app}/orders/packing-slips?id=${gone.id}`)
    await expect(page.getByRole('article')).toHaveCount(0)
    await expect(page.getByText('There is nothing to pack.')).toBeVisible()
    await page.goto(`${app}/orders/${gone.id}`)
    await expect(page.getByRole('link', { name: 'Packing slip' })).toHaveCount(0)
  })

  test('dates that are no date, or backwards, are said next to their box and the list still shows', async ({ page }) => {
    await page.goto(`${app}/orders?from=banana`)
    const from = page.getByLabel('Placed from')
    await expect(from).toHaveAttribute('aria-invalid', 'true')
    await expect(page.locator('#filter-from-error')).toHaveText(
      'Enter the first day as YYYY-MM-DD (“banana” is not a date): the list is shown without a “Placed from” day.',
    )
    await expect(from).toHaveAccessibleDescription(/“banana” is not a date/)
    await expect(rowsOf(page)).not.toHaveCount(0)
    await expect(rowsOf(page).nth(1)).toBeVisible()

    // Backwards: both boxes keep what was typed; the list shows the days between them.
    const day = `bk${randomBytes(3).toString('hex')}`
    await newOrder({ name: `Between ${day}`, placed: `'2021-06-15T16:00:00Z'::timestamptz`, status: 'delivered' })
    await page.goto(`${app}/orders?q=${day}&from=2021-06-16&to=2021-06-14`)
    await expect(page.getByLabel('Placed from')).toHaveValue('2021-06-16')
    await expect(page.getByLabel('Placed to')).toHaveValue('2021-06-14')
    await expect(page.getByLabel('Placed to')).toHaveAttribute('aria-invalid', 'true')
    await expect(page.getByLabel('Placed to')).toHaveAccessibleDescription(
      'The last day is before the first: the list shows the orders placed between the two.',
    )
    await expect(page.getByLabel('Placed from')).not.toHaveAttribute('aria-invalid', 'true')
    await expect(rowsOf(page)).toHaveCount(2)
    await expect(rowsOf(page).nth(1)).toContainText(`Between ${day}`)
  })

  test('ticked orders change status at once; what cannot move is named; a bulk cancel asks first and gives the stock back', async ({ page }) => {
    const word = `bu${randomBytes(3).toString('hex')}`
    const shippedA = await newOrder({ name: `Etsy ${word} Ann`, status: 'shipped', placed: `'2024-11-02T16:00:00Z'::timestamptz` })
    const shippedB = await newOrder({ name: `Etsy ${word} Bo`, status: 'shipped', placed: `'2025-01-20T16:00:00Z'::timestamptz` })
    const pending = await newOrder({ name: `Etsy ${word} Cy`, status: 'pending' })

    // Nothing ticked, no status: said, nothing changed.
    await page.goto(`${app}/orders?q=${word}`)
    await page.getByRole('button', { name: 'Change status' }).click()
    await expect(page.getByText('Tick at least one order first.')).toBeVisible()
    await expect(page.getByLabel('New status')).toHaveAttribute('aria-invalid', 'true')

    // A tap anywhere on a row's tick label (a 44 px target, its corner here) ticks the row.
    await page.goto(`${app}/orders?q=${word}`)
    for (const { number } of [shippedA, shippedB, pending]) {
      const label = page.locator('label', { hasText: `Select order #${number}` })
      const box = (await label.boundingBox())!
      expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(44)
      await label.click({ position: { x: 3, y: 3 } })
    }
    await expect(page.getByLabel(`Select order #${shippedA.number}`)).toBeChecked()
    await expect(page.getByLabel(`Select order #${pending.number}`)).toBeChecked()
    await page.getByLabel('New status').selectOption('Delivered')
    await page.getByRole('button', { name: 'Change status' }).click()
    const report = page.getByRole('alert').filter({ hasText: 'not changed' })
    await expect(report.getByRole('heading')).toHaveText('1 ticked order not changed')
    await expect(report).toContainText(`Now delivered: #${shippedA.number}, #${shippedB.number}.`)
    await expect(report.getByRole('listitem')).toHaveText([
      `Order #${pending.number} (pending): An order can be marked delivered only after it has shipped.`,
    ])
    await expect(rowsOf(page).filter({ hasText: `Etsy ${word} Ann` })).toContainText('Delivered')
    await expect(rowsOf(page).filter({ hasText: `Etsy ${word} Cy` })).toContainText('Pending')

    // Two orders that took stock, placed at the counter.
    const fabricName = `Bulk cancel poplin ${word}`
    const [fabric] = await onDatabase<{ id: string }>(
      `insert into fabrics (name, price, stock_quantity, in_stock) values ($1, '4.00', 10, true) returning id`,
      [fabricName],
    )
    const placedNumbers: string[] = []
    for (const [customer, quantity] of [[`Counter ${word} Dee`, '2'], [`Counter ${word} Eve`, '3']] as const) {
      await page.goto(`${app}/orders/new?fabric=${fabric!.id}`)
      await page.getByLabel(`Quantity of ${fabricName}`).fill(quantity)
      await page.getByLabel('Customer name').fill(customer)
      await page.getByRole('button', { name: 'Place order' }).click()
      placedNumbers.push((await page.getByRole('status').textContent())!.match(/#\d+/)![0])
    }
    const stock = async () =>
      (await onDatabase<{ n: number }>('select stock_quantity as n from fabrics where id = $1', [fabric!.id]))[0]!.n
    expect(await stock()).toBe(5)

    const tickBoth = async () => {
      await page.goto(`${app}/orders?q=Counter+${word}`)
      for (const n of placedNumbers) await page.getByLabel(`Select order ${n}`).check()
      await page.getByLabel('New status').selectOption('Cancelled')
      await page.getByRole('button', { name: 'Change status' }).click()
    }
    // Asked first, naming the orders; keeping them changes nothing.
    await tickBoth()
    const confirm = page.getByRole('dialog', { name: 'Cancel 2 orders?' })
    await expect(confirm).toContainText(`Cancel orders ${placedNumbers.join(', ')}? Every unit they took goes back into stock.`)
    expect(await stock()).toBe(5)
    await confirm.getByRole('link', { name: 'Keep them' }).click()
    await expect(page.getByRole('dialog', { name: 'Cancel 2 orders?' })).toHaveCount(0)
    await expect(rowsOf(page).filter({ hasText: 'Cancelled' })).toHaveCount(0)
    expect(await stock()).toBe(5)

    await tickBoth()
    await page.getByRole('dialog', { name: 'Cancel 2 orders?' }).getByLabel('Reason (optional)').fill('Duplicates')
    await page.getByRole('button', { name: 'Yes, cancel 2 orders' }).click()
    await expect(page.getByRole('status')).toHaveText(
      `2 orders now cancelled: ${placedNumbers.join(', ')}. 5 units back in stock.`,
    )
    expect(new URL(page.url()).searchParams.get('q')).toBe(`Counter ${word}`)
    expect(await stock()).toBe(10)
    await expect(rowsOf(page).filter({ hasText: 'Cancelled' })).toHaveCount(2)
  })

  test('an admin downloads the list as CSV, one row per order or per line, matching the database', async ({ page }) => {
    await page.goto(`${app}/orders`)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()])
    expect(download.suggestedFilename()).toMatch(/^orders-\d{4}-\d{2}-\d{2}\.csv$/)
    const text = readFileSync((await download.path())!, 'utf8')
    const records = parse(text.replace(/^\uFEFF/, '')) as string[][]
    expect(records[0]).toEqual([
      'Order',
      'Placed',
      'Status',
      'Customer',
      'Email',
      'Etsy order',
      'Items',
      'Subtotal',
      'Shipping',
      'Tax',
      'Total',
      'Carrier',
      'Tracking number',
      'Country',
    ])
    const [counts] = await onDatabase<{ orders: number; lines: number; newest: number }>(
      `select count(*)::int as orders, coalesce(sum(jsonb_array_length(items)), 0)::int as lines,
              (select number from orders order by created_at desc, id desc limit 1) as newest
         from orders`,
    )
    expect(records.length - 1).toBe(counts!.orders)
    // Newest first, as the list.
    expect(records[1]![0]).toBe(String(counts!.newest))

    const [lines] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export lines CSV' }).click()])
    expect(lines.suggestedFilename()).toMatch(/^order-lines-\d{4}-\d{2}-\d{2}\.csv$/)
    const lineRecords = parse(readFileSync((await lines.path())!, 'utf8').replace(/^\uFEFF/, '')) as string[][]
    expect(lineRecords[0]).toEqual(['Order', 'Placed', 'Status', 'Customer', 'SKU', 'Item', 'Unit price', 'Quantity', 'Line total'])
    expect(lineRecords.length - 1).toBe(counts!.lines)

    // The export takes the list's filters.
    const word = `xq${randomBytes(3).toString('hex')}`
    await newOrder({ name: `Export ${word}`, status: 'delivered', total: '42.00' })
    await newOrder({ name: `Export ${word} Two`, status: 'pending' })
    await page.goto(`${app}/orders?q=${word}&status=delivered`)
    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')
    const filtered = parse((await (await page.request.get(`${app}${href}`)).text()).replace(/^\uFEFF/, '')) as string[][]
    expect(filtered.slice(1).map((r) => [r[2], r[3], r[10]])).toEqual([['Delivered', `Export ${word}`, '42.00']])
  })

  test('staff who are not admins use the list and slips, but get no export', async ({ browser }) => {
    const email = `packer-${randomBytes(4).toString('hex')}@example.com`
    await onDatabase('insert into users (email, name, role) values ($1, $2, $3)', [email, 'Packer', 'user'])
    const order = await newOrder({ name: `Packed ${randomBytes(3).toString('hex')}` })
    const context = await browser.newContext({
      storageState: { cookies: [], origins: [] },
      javaScriptEnabled: false,
      extraHTTPHeaders: { 'X-Forwarded-For': `10.8.${randomBytes(1)[0]}.${(randomBytes(1)[0]! % 250) + 1}` },
    })
    const page = await context.newPage()
    try {
      await signIn(page, app, email, '/orders')
      await expect(page.getByRole('link', { name: 'New order' })).toBeVisible()
      await expect(page.getByRole('link', { name: /Export/ })).toHaveCount(0)
      await expect(page.getByRole('link', { name: 'Import from Etsy' })).toHaveCount(0)
      expect((await page.goto(`${app}/orders/export.csv`))?.status()).toBe(403)
      await page.goto(`${app}/orders/packing-slips?id=${order.id}`)
      await expect(page.getByRole('article')).toHaveCount(1)
    } finally {
      await context.close()
    }
  })
})

// The pure row readers of the Etsy imports (app/models/etsy/listing-rows.ts, order-rows.ts):
// header recognition, a good row, and each kind of error, with no database and no environment.
import { describe, expect, it } from 'vitest'
import type { CsvRecord } from '~/models/etsy/csv-record'
import { ETSY_LISTING_COLUMNS, readListingRow, readListingsHeader, type ListingSettings } from '~/models/etsy/listing-rows'
import {
  orderRowSettings,
  readableVariations,
  readItemRow,
  readOrderRow,
  readOrdersHeader,
  type OrdersHeader,
} from '~/models/etsy/order-rows'

describe('listing rows', () => {
  const settings: ListingSettings = { currency: 'USD', appUrl: 'https://hub.example.com' }
  const header = readListingsHeader([...ETSY_LISTING_COLUMNS])
  if (!header.ok) throw new Error(header.problem)
  const { index } = header

  type Column = (typeof ETSY_LISTING_COLUMNS)[number]
  const record = (values: Partial<Record<Column, string>>, row = 2): CsvRecord => ({
    row,
    values: ETSY_LISTING_COLUMNS.map((c) => values[c] ?? { TITLE: 'Plain Cotton', PRICE: '10', CURRENCY_CODE: 'usd', QUANTITY: '5' }[c as string] ?? ''),
  })
  const errorsOf = (values: Partial<Record<Column, string>>) =>
    readListingRow({ record: record(values), index, settings }).errors.map((e) => e.message)

  it('recognises Etsy’s header in any order and case, and says what is wrong with another', () => {
    const shuffled = readListingsHeader([...ETSY_LISTING_COLUMNS].reverse().map((c) => ` ${c.toLowerCase()} `))
    expect(shuffled.ok && shuffled.index.get('SKU')).toBe(0)
    expect(readListingsHeader(['Sale Date', 'Order ID'])).toEqual({
      ok: false,
      problem: expect.stringMatching(/^This is not an Etsy listings file/),
    })
    const wrong = readListingsHeader([...ETSY_LISTING_COLUMNS.filter((c) => c !== 'PRICE'), 'TITLE', 'COLOUR', ''])
    expect(wrong).toEqual({
      ok: false,
      problem:
        "The first row is not Etsy's header row: it has no PRICE; it has columns Etsy's file does not: " +
        `"COLOUR", "(column ${ETSY_LISTING_COLUMNS.length + 2} has no name)"; it names TITLE more than once.`,
    })
  })

  it('reads a good row: trimmed text, the price as numeric(10,2) gives it back, tags, our own images as paths', () => {
    const read = readListingRow({
      record: record({
        TITLE: '  Sage Linen ',
        DESCRIPTION: 'Soft.\nWashed.',
        PRICE: '9.5',
        QUANTITY: '12',
        TAGS: 'linen, sage',
        MATERIALS: 'Linen',
        IMAGE1: 'https://hub.example.com/uploads/a.jpg',
        IMAGE2: 'https://cdn.example.org/b.jpg',
        'VARIATION 1 TYPE': 'Length',
        'VARIATION 1 NAME': 'Length',
        'VARIATION 1 VALUES': 'Half yard,Yard',
        SKU: "'=SKU-1",
      }),
      index,
      settings,
    })
    expect(read.errors).toEqual([])
    expect(read.row).toEqual({
      file_row: 2,
      title: 'Sage Linen',
      description: 'Soft.\nWashed.',
      price: '9.50',
      quantity: 12,
      tags: ['linen', 'sage'],
      composition: 'Linen',
      srcs: ['/uploads/a.jpg', 'https://cdn.example.org/b.jpg'],
      images: [
        { src: '/uploads/a.jpg', alt: '' },
        { src: 'https://cdn.example.org/b.jpg', alt: '' },
      ],
      variations: [{ type: 'Length', name: 'Length', values: 'Half yard,Yard' }],
      // The apostrophe our export put before a formula comes off.
      sku: '=SKU-1',
      currency: 'USD',
      valid: true,
    })
  })

  it('names every problem of a row, column by column, and keeps its title and SKU for the duplicate checks', () => {
    expect(errorsOf({ TITLE: ' ', PRICE: '', CURRENCY_CODE: '', QUANTITY: '' })).toEqual([
      'TITLE is empty',
      'PRICE is empty',
      "CURRENCY_CODE is empty: the shop's prices are in USD",
      'QUANTITY is empty',
    ])
    // Another currency is not an error of the row: the import checks the whole file's currencies.
    expect(errorsOf({ PRICE: '12,50', CURRENCY_CODE: 'EUR', QUANTITY: '-1', IMAGE3: 'javascript:alert(1)' })).toEqual([
      'PRICE "12,50" is not an amount like 12.50',
      'QUANTITY "-1" is not a whole number of 0 or more',
      'IMAGE3 "javascript:alert(1)" is not a web address (https://…)',
    ])
    expect(errorsOf({ TITLE: 'a\u0000b', TAGS: 'x'.repeat(60), SKU: 'S'.repeat(200) })).toEqual([
      'TITLE contains a NUL character, which cannot be stored',
      expect.stringMatching(/^TAGS: "x{40}…" is longer than \d+ characters$/),
      expect.stringMatching(/^SKU is longer than \d+ characters$/),
    ])
    const wrong = readListingRow({ record: record({ SKU: 'S-1', PRICE: 'x' }), index, settings })
    expect(wrong.row).toMatchObject({ title: 'Plain Cotton', sku: 'S-1', price: null, valid: false })
    const euro = readListingRow({ record: record({ CURRENCY_CODE: ' eur ' }), index, settings })
    expect(euro).toMatchObject({ errors: [], row: { currency: 'EUR', valid: true } })
  })

  it('reads a row with too few or too many values as that error alone', () => {
    const read = readListingRow({ record: { row: 7, values: ['Only a title'] }, index, settings })
    expect(read.errors).toEqual([{ file_row: 7, message: `1 values where Etsy's header has ${ETSY_LISTING_COLUMNS.length} columns` }])
    expect(read.row).toMatchObject({ file_row: 7, title: null, sku: null, valid: false })
  })
})

describe('order rows', () => {
  const ORDER_HEADER = [
    'Sale Date', 'Order ID', 'Full Name', 'First Name', 'Last Name', 'Date Shipped', 'Street 1', 'Street 2', 'Ship City',
    'Ship State', 'Ship Zipcode', 'Ship Country', 'Currency', 'Shipping', 'Sales Tax', 'Order Total', 'Status', 'Coupon Code',
  ]
  const ITEM_HEADER = [
    'Sale Date', 'Item Name', 'Buyer', 'Quantity', 'Price', 'Order Shipping', 'Order Sales Tax', 'Currency', 'Transaction ID',
    'Listing ID', 'Date Shipped', 'Ship Name', 'Ship Address1', 'Ship Address2', 'Ship City', 'Ship State', 'Ship Zipcode',
    'Ship Country', 'Order ID', 'Variations', 'SKU',
  ]
  const headerOf = (names: string[]): OrdersHeader => {
    const read = readOrdersHeader(names)
    if (!read.ok) throw new Error(read.problem)
    return read
  }
  const settings = (both = false) => orderRowSettings({ currency: 'USD', timeZone: 'America/New_York', both })
  const GOOD_ORDER: Record<string, string> = {
    'Sale Date': '05/19/25',
    'Order ID': '3000000000',
    'Full Name': 'Farah Okafor',
    'Date Shipped': '',
    'Street 1': '620 Mill St',
    'Ship City': 'Portland',
    'Ship State': 'OR',
    'Ship Zipcode': '97205',
    'Ship Country': 'United States',
    Currency: 'USD',
    Shipping: '6.95',
    'Sales Tax': '2.93',
    'Order Total': '51.67',
    Status: '',
  }
  const orderRecord = (values: Record<string, string>, row = 2): CsvRecord => ({
    row,
    values: ORDER_HEADER.map((c) => values[c] ?? GOOD_ORDER[c] ?? ''),
  })
  const orderErrors = (values: Record<string, string>) =>
    readOrderRow({ record: orderRecord(values), header: headerOf(ORDER_HEADER), settings: settings() }).errors.map(
      (e) => `${e.col}: ${e.message}`,
    )

  it('tells the two files apart by their header, in any case and order, and names what is missing', () => {
    expect(headerOf(ORDER_HEADER)).toMatchObject({ kind: 'orders', columns: ORDER_HEADER.length })
    expect(headerOf([...ITEM_HEADER].reverse().map((c) => c.toUpperCase()))).toMatchObject({ kind: 'items' })
    expect(headerOf(ITEM_HEADER).index.get('SKU')).toBe(ITEM_HEADER.length - 1)
    expect(readOrdersHeader(['TITLE', 'CURRENCY_CODE'])).toEqual({
      ok: false,
      problem: "This is Etsy's listings file (EtsyListingsDownload.csv): import it on the fabrics' import page.",
    })
    expect(readOrdersHeader(['Name', 'Total'])).toMatchObject({ ok: false, problem: expect.stringMatching(/^This is neither of Etsy's sold-orders files/) })
    expect(readOrdersHeader(['Order ID', 'Sale Date', 'Status', 'Status'])).toEqual({
      ok: false,
      problem:
        "The first row of EtsySoldOrders.csv is not Etsy's header row: it has no Full Name, Date Shipped, Street 1, Ship City, " +
        'Ship Country, Currency, Shipping, Sales Tax, Order Total; it names Status more than once.',
    })
  })

  it('reads a good order: the sale day at noon in the shop’s time zone, the address, the amounts', () => {
    const read = readOrderRow({ record: orderRecord({ Status: 'Canceled' }), header: headerOf(ORDER_HEADER), settings: settings() })
    expect(read.errors).toEqual([])
    expect(read.row).toEqual({
      file_row: 2,
      order_id: '3000000000',
      sale_day: '2025-05-19',
      created_at: '2025-05-19T16:00:00.000Z',
      customer_name: 'Farah Okafor',
      address: { name: 'Farah Okafor', line1: '620 Mill St', city: 'Portland', region: 'OR', postalCode: '97205', country: 'US' },
      shipping: '6.95',
      tax: '2.93',
      total: '51.67',
      currency: 'USD',
      cancelled: true,
      refunded: false,
      shipped: false,
      valid: true,
    })
    const refunded = readOrderRow({ record: orderRecord({ Status: 'Refunded' }), header: headerOf(ORDER_HEADER), settings: settings() })
    expect(refunded.row).toMatchObject({ cancelled: false, refunded: true, valid: true })
  })

  it('names each problem of an order row with its column', () => {
    expect(orderErrors({ 'Order ID': 'A-1', 'Sale Date': '2025-05-19', Currency: 'EUR', 'Order Total': '' })).toEqual([
      'Order ID: "A-1" is not an Etsy order number (digits only)',
      'Sale Date: "2025-05-19" is not a date like 05/19/25 (month/day/year)',
      'Order Total: is empty',
    ])
    // Another currency is checked over the whole upload; an empty one is the row's own error.
    expect(orderErrors({ Currency: 'EUR' })).toEqual([])
    expect(orderErrors({ Currency: '' })).toEqual(["Currency: is empty: the shop's prices are in USD"])
    expect(orderErrors({ 'Full Name': '', 'Ship Country': 'Atlantis', 'Street 1': '' })).toEqual([
      'Full Name: is empty',
      'Street 1: is empty',
      'Ship Country: "Atlantis" is not a country we know',
    ])
    expect(orderErrors({ 'Full Name': '', 'First Name': 'Farah', 'Ship City': 'x'.repeat(501) })).toEqual([
      'Ship City: is longer than 500 characters',
      'Ship City: is empty',
    ])
  })

  it('reads a row whose values are not under their columns as that error alone, without its ids', () => {
    const read = readOrderRow({ record: { row: 4, values: ['05/19/25', '3000000000'] }, header: headerOf(ORDER_HEADER), settings: settings() })
    expect(read.errors).toEqual([
      { file: 'orders', file_row: 4, col: null, message: `This row has 2 values where the header has ${ORDER_HEADER.length} columns` },
    ])
    expect(read.row).toMatchObject({ order_id: null, valid: false })
  })

  it('reads an item: its line, and the order’s own columns only when the orders file did not come too', () => {
    const values: Record<string, string> = {
      'Sale Date': '12/18/24',
      'Item Name': 'Charcoal Flannel',
      Buyer: 'hana1',
      Quantity: '2',
      Price: '15.29',
      'Order Shipping': '4.50',
      'Order Sales Tax': '1.07',
      Currency: 'USD',
      'Transaction ID': '4000000010',
      'Listing ID': '1400000007',
      'Date Shipped': '12/20/24',
      'Ship Name': 'Hana García',
      'Ship Address1': '210 Mill St',
      'Ship City': 'Leeds',
      'Ship Zipcode': 'LS1 4AP',
      'Ship Country': 'United Kingdom',
      'Order ID': '3000000007',
      Variations: 'Length:Half yard,Colour:Sage',
      SKU: 'TH-10007',
    }
    const record = { row: 3, values: ITEM_HEADER.map((c) => values[c] ?? '') }
    const alone = readItemRow({ record, header: headerOf(ITEM_HEADER), settings: settings() })
    expect(alone.errors).toEqual([])
    expect(alone.row).toMatchObject({
      order_id: '3000000007',
      transaction_id: '4000000010',
      sale_day: '2024-12-18',
      customer_name: 'Hana García',
      address: { line1: '210 Mill St', city: 'Leeds', postalCode: 'LS1 4AP', country: 'GB' },
      shipping: '4.50',
      shipped: true,
      name: 'Charcoal Flannel (Length: Half yard, Colour: Sage)',
      sku: 'TH-10007',
      listing_id: '1400000007',
      price: '15.29',
      quantity: 2,
      currency: 'USD',
      valid: true,
    })
    const withOrders = readItemRow({ record, header: headerOf(ITEM_HEADER), settings: settings(true) })
    expect(withOrders.row).toMatchObject({ sale_day: null, customer_name: null, address: null, shipping: null, valid: true })

    const bad: Record<string, string> = { ...values, Quantity: '0', 'Listing ID': 'L-1', Price: '1.234' }
    const read = readItemRow({ record: { row: 3, values: ITEM_HEADER.map((c) => bad[c] ?? '') }, header: headerOf(ITEM_HEADER), settings: settings(true) })
    expect(read.errors.map((e) => `${e.col}: ${e.message}`)).toEqual([
      'Listing ID: "L-1" is not an Etsy listing number (digits only)',
      'Quantity: "0" is not a whole number of 1 or more',
      'Price: "1.234" is not an amount like 12.50',
    ])
  })

  it('writes Etsy’s variations readably', () => {
    expect(readableVariations('Length:Half yard,Colour:Sage')).toBe('Length: Half yard, Colour: Sage')
    expect(readableVariations('Plain\n,')).toBe('Plain')
  })
})

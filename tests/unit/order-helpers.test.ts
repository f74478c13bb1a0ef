// Exact money in cents, country codes, and the new-order form's checks.
import { parseWithZod } from '@conform-to/zod/v4'
import { describe, expect, it } from 'vitest'
import { editOrderSchema, newOrderSchema } from '~/models/order-form'
import { countryCode, countryName } from '~/utils/countries'
import { listUrl } from '~/utils/list-url'
import { fromCents, toCents } from '~/utils/money'

/** The errors of a submission that failed (undefined when it passed). */
const errorsOf = (submission: { status?: string; error?: unknown }) =>
  submission.status === 'success' ? undefined : submission.error

function form(entries: Record<string, string>) {
  const data = new FormData()
  for (const [k, v] of Object.entries(entries)) data.append(k, v)
  return data
}

describe('cents', () => {
  it('reads and writes amounts exactly', () => {
    expect(toCents('0.1')).toBe(10)
    expect(toCents('0.10')).toBe(10)
    expect(toCents('12')).toBe(1200)
    expect(toCents('99999999.99')).toBe(9_999_999_999)
    expect(toCents('-3.05')).toBe(-305)
    expect(fromCents(30)).toBe('0.30')
    expect(fromCents(9_999_999_999)).toBe('99999999.99')
    expect(fromCents(-305)).toBe('-3.05')
    expect(fromCents(toCents('0.10') * 3)).toBe('0.30')
    expect(() => toCents('1.234')).toThrow(RangeError)
    expect(() => toCents('1e3')).toThrow(RangeError)
    expect(() => fromCents(0.5)).toThrow(RangeError)
  })
})

describe('countries', () => {
  it('maps the names Etsy writes to codes, and back', () => {
    expect(countryCode('United States')).toBe('US')
    expect(countryCode('United Kingdom')).toBe('GB')
    expect(countryCode('UK')).toBe('GB')
    expect(countryCode('canada')).toBe('CA')
    expect(countryCode(' de ')).toBe('DE')
    expect(countryCode('Côte d’Ivoire')).toBe('CI')
    expect(countryCode('Narnia')).toBeNull()
    expect(countryName('GB')).toBe('United Kingdom')
  })
})

describe('the new-order form', () => {
  const id = '0b6f1f7e-8f0e-4a52-9a55-3a1d2f3c4b5a'
  it('wants a customer and at least one line', () => {
    const submission = parseWithZod(form({ customerName: ' ' }), {
      schema: newOrderSchema,
    })
    expect(submission.status).toBe('error')
    expect(errorsOf(submission)).toMatchObject({
      customerName: ['Enter the customer’s name.'],
      lines: [expect.stringMatching(/Add at least one fabric/)],
    })
  })

  it('checks quantities and a started address, and builds the address', () => {
    const bad = parseWithZod(
      form({
        customerName: 'Ada',
        'lines[0].fabricId': id,
        'lines[0].quantity': '1.5',
        city: 'Leeds',
      }),
      { schema: newOrderSchema },
    )
    expect(errorsOf(bad)).toMatchObject({
      'lines[0].quantity': ['Enter a whole number.'],
      line1: ['Enter the first line of the address.'],
      country: ['Choose the country.'],
    })
    const good = parseWithZod(
      form({
        customerName: 'Ada Okafor',
        customerEmail: ' Ada@Example.com ',
        'lines[0].fabricId': id,
        'lines[0].quantity': '2',
        line1: '1 Mill St',
        city: 'Leeds',
        country: 'GB',
      }),
      { schema: newOrderSchema },
    )
    expect(good.status).toBe('success')
    expect(good.status === 'success' && good.value).toEqual({
      lines: [{ fabricId: id, quantity: 2 }],
      details: {
        customerName: 'Ada Okafor',
        customerEmail: 'ada@example.com',
        notes: null,
        shippingAddress: {
          name: 'Ada Okafor',
          line1: '1 Mill St',
          city: 'Leeds',
          country: 'GB',
        },
      },
    })
  })

  it('keeps a shipped shop order’s tracking number on edit, not an Etsy one’s', () => {
    const base = { customerName: 'Ada', version: '3' }
    expect(errorsOf(parseWithZod(form({ ...base, shipped: '1' }), { schema: editOrderSchema }))).toMatchObject({
      trackingNumber: [expect.stringMatching(/tracking number/)],
    })
    expect(
      parseWithZod(form({ ...base, shipped: 'etsy' }), {
        schema: editOrderSchema,
      }).status,
    ).toBe('success')
  })
})

describe('list addresses', () => {
  it('keeps the other filters, and leaves out empty values, page 1 and defaults', () => {
    const query = { status: 'pending', q: 'ada', from: undefined, sort: 'newest', page: 3, archived: false }
    expect(listUrl('/orders', query, { page: 4 }, { sort: 'newest' })).toBe('/orders?status=pending&q=ada&page=4')
    expect(listUrl('/orders', query, { page: 1, q: '' }, { sort: 'newest' })).toBe('/orders?status=pending')
    expect(listUrl('/orders', { ...query, sort: 'total' }, {}, { sort: 'newest' })).toBe('/orders?status=pending&q=ada&sort=total&page=3')
    expect(listUrl('/fabrics', { archived: true, q: 'sage linen' })).toBe('/fabrics?archived=1&q=sage+linen')
    expect(listUrl('/fabrics', {})).toBe('/fabrics')
  })
})

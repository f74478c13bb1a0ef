import { describe, expect, it } from 'vitest'
import { AnalyticsValue, EngagementMetrics, Money, OrderItem, ShippingAddress, Tags } from '~/models/json-types'

describe('jsonb shapes', () => {
  it('takes money only as exact decimal text', () => {
    expect(Money.safeParse('12.50').success).toBe(true)
    expect(Money.safeParse('12').success).toBe(true)
    for (const bad of ['12.345', '-1.00', '1e3', 'abc', '']) expect(Money.safeParse(bad).success).toBe(false)
    expect(Money.safeParse(12.5).success).toBe(false)
  })

  it('normalises tags to trimmed lower case and refuses empty ones', () => {
    expect(Tags.parse([' Linen ', 'SAGE'])).toEqual(['linen', 'sage'])
    expect(Tags.safeParse(['']).success).toBe(false)
  })

  it('checks order lines and addresses', () => {
    const line = { fabricId: null, name: 'Linen', sku: null, unitPrice: '18.50', quantity: 2, lineTotal: '37.00' }
    expect(OrderItem.parse(line)).toEqual(line)
    expect(OrderItem.safeParse({ ...line, quantity: 0 }).success).toBe(false)
    expect(OrderItem.safeParse({ ...line, unitPrice: 18.5 }).success).toBe(false)
    const address = { name: 'Ada', line1: '1 Sq', city: 'London', postalCode: 'SW1', country: 'GB' }
    expect(ShippingAddress.parse(address)).toEqual(address)
    expect(ShippingAddress.safeParse({ ...address, country: 'United Kingdom' }).success).toBe(false)
  })

  it('keeps engagement readings as non-negative integers with their date', () => {
    const reading = { likes: 1, comments: 0, shares: 0, saves: 2, reach: 10, impressions: 12, readAt: '2026-11-01T10:00:00Z' }
    expect(EngagementMetrics.parse({ ...reading, history: [reading] }).history).toHaveLength(1)
    expect(EngagementMetrics.safeParse({ likes: -1 }).success).toBe(false)
    expect(EngagementMetrics.safeParse({ likes: 1.5 }).success).toBe(false)
  })

  it('needs a finite value in every analytics metric', () => {
    expect(AnalyticsValue.parse({ value: 3, byPlatform: { etsy: 2, shop: 1 } })).toEqual({ value: 3, byPlatform: { etsy: 2, shop: 1 } })
    expect(AnalyticsValue.safeParse({}).success).toBe(false)
    expect(AnalyticsValue.safeParse({ value: 'lots' }).success).toBe(false)
  })
})

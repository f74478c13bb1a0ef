import { describe, expect, it } from 'vitest'
import { currencySymbol, formatMoney } from '~/utils/money'
import { formatTags, parseTags } from '~/utils/tags'

describe('money', () => {
  it('writes amounts with the shop currency’s symbol, without floating point', () => {
    expect(formatMoney('1234.5')).toBe('£1,234.50')
    expect(formatMoney('1234.5', 'USD')).toBe('$1,234.50')
    expect(formatMoney('0.1', 'EUR')).toBe('€0.10')
    expect(formatMoney(null, 'USD')).toBe('—')
    expect(currencySymbol('CHF')).toBe('CHF')
    expect(currencySymbol('nonsense')).toBe('nonsense')
  })
})

describe('tags', () => {
  it('are trimmed, lower-cased and kept once each, in the order first typed', () => {
    expect(parseTags('Linen, sage ,LINEN,,  Quilting   Cotton ')).toEqual(['linen', 'sage', 'quilting cotton'])
    expect(parseTags('')).toEqual([])
    expect(parseTags(undefined)).toEqual([])
    expect(formatTags(['linen', 'sage'])).toBe('linen, sage')
    expect(parseTags(formatTags(['polka dot', 'flannel']))).toEqual(['polka dot', 'flannel'])
  })
})

// The dashboard's address: ranges ending today, custom ranges checked, the filter kept.
import { describe, expect, it } from 'vitest'
import { analyticsSearch, parseAnalyticsQuery, previousPeriod } from '~/models/analytics-dashboard.server'

const parse = (search: string) => parseAnalyticsQuery(new URLSearchParams(search), '2026-11-27')

describe('the analytics query', () => {
  it('is the last 30 days, all platforms, by default; the last N days end today', () => {
    expect(parse('')).toMatchObject({ range: '30', from: '2026-10-29', to: '2026-11-27', platform: '', errors: {} })
    expect(parse('range=7&platform=etsy')).toMatchObject({ range: '7', from: '2026-11-21', to: '2026-11-27', platform: 'etsy' })
    expect(parse('range=365')).toMatchObject({ from: '2025-11-28', to: '2026-11-27' })
    // Unknown values fall back to the defaults; custom days are ignored unless the range is custom.
    expect(parse('range=12&platform=tiktok&from=2026-01-01')).toMatchObject({ range: '30', from: '2026-10-29', platform: '' })
  })

  it('takes a custom range, and keeps what was typed when it is wrong', () => {
    expect(parse('range=custom&from=2026-02-01&to=2026-02-28')).toMatchObject({ from: '2026-02-01', to: '2026-02-28', errors: {} })
    expect(parse('range=custom&from=2026-02-30&to=')).toMatchObject({
      from: '2026-10-29',
      to: '2026-11-27',
      typed: { from: '2026-02-30', to: '' },
      errors: { from: 'Enter the first day (YYYY-MM-DD)', to: 'Enter the last day (YYYY-MM-DD)' },
    })
    expect(parse('range=custom&from=2026-03-01&to=2026-02-01').errors).toEqual({ to: 'The last day must not be before the first' })
    expect(parse('range=custom&from=2020-01-01&to=2026-01-01').errors).toEqual({ to: 'Choose at most 731 days' })
  })

  it('compares with the period of the same length just before, and writes its address back', () => {
    expect(previousPeriod({ from: '2026-03-01', to: '2026-03-31' })).toEqual({ from: '2026-01-29', to: '2026-02-28' })
    expect(previousPeriod({ from: '2026-11-27', to: '2026-11-27' })).toEqual({ from: '2026-11-26', to: '2026-11-26' })
    expect(analyticsSearch(parse('range=90&platform=instagram'))).toBe('?range=90&platform=instagram')
    expect(analyticsSearch(parse('range=custom&from=2026-02-01&to=2026-02-28'))).toBe('?range=custom&from=2026-02-01&to=2026-02-28')
  })
})

// The demo's randomness: each table's stream is the same every run and independent of the others,
// so the demo writes the same rows each time and changing one section leaves the rest alone.
import { describe, expect, it } from 'vitest'
import { chunks, formatCents, freshId, int, notAfter, shuffle, stream } from '~/seed/random'

const draws = (rng: () => number, n: number) => Array.from({ length: n }, rng)

describe('the demo randomness', () => {
  it('draws the same numbers for the same stream, other numbers for another', () => {
    expect(draws(stream(1), 5)).toEqual(draws(stream(1), 5))
    expect(draws(stream(1), 5)).not.toEqual(draws(stream(2), 5))
    for (const x of draws(stream(3), 1000)) expect(x >= 0 && x < 1).toBe(true)
  })

  it('draws whole numbers within both bounds, and shuffles without losing or adding any', () => {
    const rng = stream(4)
    const seen = new Set(Array.from({ length: 500 }, () => int(rng, 2, 5)))
    expect([...seen].sort()).toEqual([2, 3, 4, 5])
    const list = Array.from({ length: 20 }, (_, i) => i)
    const shuffled = shuffle(rng, list)
    expect(shuffled).not.toEqual(list)
    expect([...shuffled].sort((a, b) => a - b)).toEqual(list)
  })

  it('gives 10-digit ids not used before', () => {
    const used = new Set<string>()
    const rng = stream(5)
    const ids = Array.from({ length: 200 }, () => freshId(rng, used))
    expect(new Set(ids).size).toBe(200)
    for (const id of ids) expect(id).toMatch(/^[1-9]\d{9}$/)
    expect(used.size).toBe(200)
  })

  it('writes cents as the database takes them, caps dates at today, and cuts lists into chunks', () => {
    expect([formatCents(0), formatCents(5), formatCents(1850), formatCents(123_456)]).toEqual(['0.00', '0.05', '18.50', '1234.56'])
    const today = new Date('2026-03-01T12:00:00Z')
    expect(notAfter(new Date('2026-03-02T00:00:00Z'), today)).toBe(today)
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]])
    expect(chunks(Array.from({ length: 1001 }, () => 0)).map((c) => c.length)).toEqual([500, 500, 1])
  })
})

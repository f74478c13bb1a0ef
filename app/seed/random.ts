// The demo's randomness and small helpers: a seeded PRNG (so each run draws the same values),
// money in integer cents, relative dates.

const SEED = 20_240_601
export const HOUR = 3_600_000
export const DAY = 24 * HOUR
const CHUNK = 500

export type Rng = () => number

function mulberry32(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** One independent stream per table, so changing one section does not reshuffle the others. */
export const stream = (n: number) => mulberry32(SEED + n * 0x9e3779b9)

export const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1))
export const pick = <T>(rng: Rng, list: readonly T[]) => list[int(rng, 0, list.length - 1)] as T
export const chance = (rng: Rng, p: number) => rng() < p

export function shuffle<T>(rng: Rng, list: readonly T[]): T[] {
  const out = [...list]
  for (let i = out.length - 1; i > 0; i--) {
    const j = int(rng, 0, i)
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

/** Money is integer cents in here; the database gets "123.45". */
export function formatCents(cents: number) {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`
}

export const digits = (rng: Rng, n: number) =>
  String(int(rng, 1, 9)) + Array.from({ length: n - 1 }, () => int(rng, 0, 9)).join('')

/** A 10-digit id (Etsy's format) not in `used`; adds it there. */
export function freshId(rng: Rng, used: Set<string>) {
  let id = digits(rng, 10)
  while (used.has(id)) id = digits(rng, 10)
  used.add(id)
  return id
}

export const ago = (today: Date, ms: number) => new Date(today.getTime() - ms)
export const later = (date: Date, ms: number) => new Date(date.getTime() + ms)
export const notAfter = (date: Date, today: Date) => (date > today ? today : date)

export function chunks<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}

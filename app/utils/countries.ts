// Countries as ISO 3166 two-letter codes, with their English names from the runtime's own data.
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'ZZ'])

function buildCountries(): readonly { code: string; name: string }[] {
  const names = new Intl.DisplayNames(['en'], { type: 'region' })
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
  const found: { code: string; name: string }[] = []
  for (const a of letters) {
    for (const b of letters) {
      const code = a + b
      if (NOT_COUNTRIES.has(code)) continue
      let name: string | undefined
      try {
        name = names.of(code)
      } catch {
        continue
      }
      // Deprecated codes ("UK", "DD") canonicalize to another one ("GB", "DE").
      if (name && name !== code && Intl.getCanonicalLocales(`und-${code}`)[0] === `und-${code}`) found.push({ code, name })
    }
  }
  return found.sort((x, y) => x.name.localeCompare(y.name, 'en'))
}

export const COUNTRIES = buildCountries()

const byCode = new Map(COUNTRIES.map((c) => [c.code, c.name]))
const normal = (s: string) => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/&/g, 'and').replace(/[^a-z0-9]+/gi, ' ').trim().toLowerCase()
const byName = new Map(COUNTRIES.map((c) => [normal(c.name), c.code]))
// Names other exports use for a few countries.
for (const [alias, code] of [
  ['USA', 'US'],
  ['United States of America', 'US'],
  ['UK', 'GB'],
  ['Great Britain', 'GB'],
  ['England', 'GB'],
  ['Scotland', 'GB'],
  ['Wales', 'GB'],
  ['Northern Ireland', 'GB'],
  ['Republic of Ireland', 'IE'],
  ['Korea, Republic of', 'KR'],
  ['South Korea', 'KR'],
  ['Russian Federation', 'RU'],
  ['Czech Republic', 'CZ'],
  ['The Netherlands', 'NL'],
  ['Holland', 'NL'],
] as const) {
  byName.set(normal(alias), code)
}

/** The English name of a country code ("GB" → "United Kingdom"), or the code itself. */
export function countryName(code: string) {
  return byCode.get(code.toUpperCase()) ?? code
}

/** The code of a country given by name or code ("United Kingdom", "gb" → "GB"), or null. */
export function countryCode(nameOrCode: string): string | null {
  const trimmed = nameOrCode.trim()
  if (/^[a-z]{2}$/i.test(trimmed) && byCode.has(trimmed.toUpperCase())) return trimmed.toUpperCase()
  return byName.get(normal(trimmed)) ?? null
}

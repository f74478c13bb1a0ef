// Building an Intl.NumberFormat is slow (a list page formats hundreds of prices): once per code.
const symbols = new Map<string, string>()

/** "£" for GBP, "$" for USD, "CHF" for CHF: the symbol English text uses for a currency. */
export function currencySymbol(code: string): string {
  let symbol = symbols.get(code)
  if (symbol === undefined) {
    try {
      const parts = new Intl.NumberFormat('en-US', { style: 'currency', currency: code }).formatToParts(0)
      symbol = parts.find((p) => p.type === 'currency')?.value ?? code
    } catch {
      symbol = code
    }
    symbols.set(code, symbol)
  }
  return symbol
}

/** "1234.5" → "£1,234.50" without going through floating point for the digits. */
export function formatMoney(amount: string | null | undefined, currency = 'GBP'): string {
  if (amount == null || amount === '') return '—'
  const negative = amount.startsWith('-')
  const [whole = '0', fraction = ''] = amount.replace('-', '').split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${negative ? '-' : ''}${currencySymbol(currency)}${grouped}.${fraction.padEnd(2, '0').slice(0, 2)}`
}

/** An amount as whole cents ("12.5" → 1250), exactly: no floating point on the way. */
export function toCents(amount: string): number {
  const match = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim())
  if (!match) throw new RangeError(`Not an amount: ${amount}`)
  const cents = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'))
  return match[1] ? -cents : cents
}

/** Whole cents as an amount (1250 → "12.50"). */
export function fromCents(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`Not a whole number of cents: ${cents}`)
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/** An amount held as a number (a chart's or a rollup's total): 1234.5 → "£1,234.50", to the cent. */
export function formatAmount(amount: number, currency = 'GBP'): string {
  return formatMoney(fromCents(Math.round(amount * 100)), currency)
}

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

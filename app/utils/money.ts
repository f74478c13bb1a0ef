/** "1234.5" → "£1,234.50" without going through floating point for the digits. */
export function formatMoney(amount: string | null | undefined, currency = '£'): string {
  if (amount == null || amount === '') return '—'
  const negative = amount.startsWith('-')
  const [whole = '0', fraction = ''] = amount.replace('-', '').split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${negative ? '-' : ''}${currency}${grouped}.${fraction.padEnd(2, '0').slice(0, 2)}`
}

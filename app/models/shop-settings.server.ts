// The currency the shop's stored prices are in. Tara Hub never converts: every price, order total
// and figure is a number in the shop's currency, and SHOP_CURRENCY only says which one. So the
// currency is recorded with the data when the shop is first set up (the first start, or the demo),
// and a start with another SHOP_CURRENCY is refused with one line that says what to set, rather
// than relabelling every price. A shop with nothing priced yet (no fabric, no order) takes the new
// setting. A shop made before this record existed records the setting it runs with.
import { sql } from 'drizzle-orm'
import { asRole, db } from '~/services/db.server'
import { EnvError } from '~/services/env.server'
import { fabrics, orders, shopSettings } from './schema'

/** SHOP_CURRENCY is not the currency the stored prices are in: the app must not start. */
export class CurrencyMismatchError extends EnvError {
  override name = 'CurrencyMismatchError'
  constructor(
    readonly stored: string,
    readonly setting: string,
  ) {
    super(
      `Prices in this shop are stored in ${stored} but SHOP_CURRENCY is ${setting}: ` +
        `set SHOP_CURRENCY=${stored} (Tara Hub does not convert prices).`,
    )
  }
}

/** The currency recorded for the stored prices, or null before the first start. */
export async function storedCurrency(): Promise<string | null> {
  const [row] = await db.select({ currency: shopSettings.currency }).from(shopSettings).limit(1)
  return row?.currency ?? null
}

/** True when anything in the shop has a price: a fabric, or an order (read as the rollup, which sees every order). */
async function hasPrices(): Promise<boolean> {
  const [fabric] = await db.select({ id: fabrics.id }).from(fabrics).limit(1)
  if (fabric) return true
  return asRole('app_rollup', async (tx) => {
    const [order] = await tx.select({ id: orders.id }).from(orders).limit(1)
    return Boolean(order)
  })
}

/**
 * Makes sure the stored prices are in `currency` (SHOP_CURRENCY): records it the first time,
 * takes it over an earlier one while nothing is priced yet, and otherwise throws
 * CurrencyMismatchError. Returns what it did.
 */
export async function settleShopCurrency(currency: string): Promise<'kept' | 'recorded' | 'changed'> {
  const stored = await storedCurrency()
  if (stored === currency) return 'kept'
  if (stored === null) {
    const inserted = await db
      .insert(shopSettings)
      .values({ currency })
      .onConflictDoNothing({ target: shopSettings.id })
      .returning({ currency: shopSettings.currency })
    // Another instance starting at the same moment may have recorded one first.
    if (inserted.length) return 'recorded'
    return settleShopCurrency(currency)
  }
  if (await hasPrices()) throw new CurrencyMismatchError(stored, currency)
  await db.update(shopSettings).set({ currency }).where(sql`${shopSettings.id}`)
  return 'changed'
}

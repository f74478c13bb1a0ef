// What `npm start` does to the database before serving.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { listUsers } from '~/models/user.server'
import { fabrics, orders } from '~/models/schema'
import { createDatabase, pendingMigrations } from '~/services/db.server'
import { AppLoginError, CurrencyMismatchError, PendingMigrationsError, prepareDatabase } from '~/models/startup.server'
import { storedCurrency } from '~/models/shop-settings.server'
import { createPgDatabase } from '../setup/databases'

describe('start on the embedded database', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tara-startup-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('creates, migrates and loads the demo the first time, and keeps the data on the next start', { timeout: 180_000 }, async () => {
    const pgliteDir = path.join(dir, 'pglite')
    const first = createDatabase({ pgliteDir })
    const prepared = await prepareDatabase(first, { adminEmail: 'owner@example.com', currency: 'GBP' })
    expect(prepared.demo).toMatchObject({ fabrics: 40, orders: 60, content: 30 })
    expect(prepared.adminCreated).toBe(true)

    expect(await storedCurrency()).toBe('GBP')
    await first.close()

    // The demo's prices are pounds: another SHOP_CURRENCY would relabel every one of them.
    const dollars = createDatabase({ pgliteDir })
    const refused = await prepareDatabase(dollars, { adminEmail: 'owner@example.com', currency: 'USD' }).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(CurrencyMismatchError)
    expect((refused as Error).message).toBe(
      'Prices in this shop are stored in GBP but SHOP_CURRENCY is USD: set SHOP_CURRENCY=GBP (Tara Hub does not convert prices).',
    )
    expect(await storedCurrency()).toBe('GBP')
    await dollars.close()

    const again = createDatabase({ pgliteDir })
    const restarted = await prepareDatabase(again, { adminEmail: 'owner@example.com', currency: 'GBP' })
    expect(restarted).toEqual({ demo: undefined, adminCreated: false })
    expect(await again.db.$count(fabrics)).toBe(40)
    expect(await pendingMigrations(again.db)).toBe(0)
    const people = await listUsers()
    expect(people.filter((u) => u.role === 'admin').map((u) => u.email).sort()).toEqual([
      'admin@tara-hub.local',
      'owner@example.com',
    ])
    await again.close()
  })
})

describe('start on PostgreSQL', () => {
  const cleanup: (() => Promise<void>)[] = []
  afterAll(async () => {
    for (const step of cleanup) await step()
  })

  it('never migrates by itself: refuses while migrations are pending, and loads no demo', async () => {
    const database = await createPgDatabase()
    const handle = createDatabase({ url: database.appUrl, ownerUrl: database.url })
    cleanup.push(async () => {
      await handle.close()
      await database.drop()
    })
    // Its login role does not exist before the migrations (db:migrate makes it).
    await expect(prepareDatabase(handle)).rejects.toThrow(AppLoginError)
    const ownerLogin = createDatabase({ url: database.url, poolMax: 1 })
    try {
      await expect(prepareDatabase(ownerLogin)).rejects.toThrow(PendingMigrationsError)
    } finally {
      await ownerLogin.close()
    }
    const owner = createDatabase({ url: database.url, owner: true })
    try {
      expect(await pendingMigrations(owner.db)).toBeGreaterThan(0)
    } finally {
      await owner.close()
    }

    await handle.migrate()
    expect(await prepareDatabase(handle, { adminEmail: 'owner@example.com', currency: 'GBP' })).toEqual({
      demo: undefined,
      adminCreated: true,
    })
    expect(await handle.db.$count(fabrics)).toBe(0)
    expect(await storedCurrency()).toBe('GBP')

    // Nothing is priced yet: the shop takes the new setting.
    await prepareDatabase(handle, { currency: 'USD' })
    expect(await storedCurrency()).toBe('USD')
    // Once a fabric has a price, the setting must follow the stored prices.
    const writer = createDatabase({ url: database.url, owner: true, poolMax: 1 })
    try {
      await writer.db.insert(fabrics).values({ name: 'Priced in dollars', price: '12.50' })
    } finally {
      await writer.close()
    }
    await expect(prepareDatabase(handle, { currency: 'EUR' })).rejects.toThrow(
      'Prices in this shop are stored in USD but SHOP_CURRENCY is EUR: set SHOP_CURRENCY=USD (Tara Hub does not convert prices).',
    )
    expect(await storedCurrency()).toBe('USD')
    expect(await prepareDatabase(handle, { currency: 'USD' })).toEqual({ demo: undefined, adminCreated: false })
  })

  it('counts an order as priced even before any fabric (an Etsy import of orders alone)', async () => {
    const database = await createPgDatabase()
    const handle = createDatabase({ url: database.appUrl, ownerUrl: database.url, poolMax: 2 })
    const owner = createDatabase({ url: database.url, owner: true, poolMax: 1 })
    cleanup.push(async () => {
      await handle.close()
      await owner.close()
      await database.drop()
    })
    await handle.migrate()
    await prepareDatabase(handle, { currency: 'GBP' })
    await owner.db.insert(orders).values({ customerName: 'Etsy buyer', totalAmount: '30.00' })
    await expect(prepareDatabase(handle, { currency: 'USD' })).rejects.toThrow(CurrencyMismatchError)
  })
})

// What `npm start` does to the database before serving.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { listUsers } from '~/models/user.server'
import { fabrics } from '~/models/schema'
import { createDatabase, pendingMigrations } from '~/services/db.server'
import { AppLoginError, PendingMigrationsError, prepareDatabase } from '~/models/startup.server'
import { createPgDatabase } from '../setup/databases'

describe('start on the embedded database', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tara-startup-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('creates, migrates and loads the demo the first time, and keeps the data on the next start', async () => {
    const pgliteDir = path.join(dir, 'pglite')
    const first = createDatabase({ pgliteDir })
    const prepared = await prepareDatabase(first, { adminEmail: 'owner@example.com' })
    expect(prepared.demo).toMatchObject({ fabrics: 40, orders: 60, content: 30 })
    expect(prepared.adminCreated).toBe(true)
    await first.close()

    const again = createDatabase({ pgliteDir })
    const restarted = await prepareDatabase(again, { adminEmail: 'owner@example.com' })
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
    expect(await prepareDatabase(handle, { adminEmail: 'owner@example.com' })).toEqual({
      demo: undefined,
      adminCreated: true,
    })
    expect(await handle.db.$count(fabrics)).toBe(0)
  })
})

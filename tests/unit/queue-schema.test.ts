// db:check's job-queue part: the migrations in drizzle/ make the pg-boss schema version the
// installed pg-boss runs on, and a mismatch says what migration to add.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { installedQueueVersion, migratedQueueVersion, queueSchemaProblem } from '../../scripts/queue-schema'

describe('the job queue schema check', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tara-queue-schema-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('finds drizzle/ at the version the installed pg-boss expects', () => {
    expect(migratedQueueVersion()).toBe(24)
    expect(queueSchemaProblem(migratedQueueVersion(), installedQueueVersion())).toBeNull()
  })

  it('reads the last version the migrations set, in their order', () => {
    writeFileSync(path.join(dir, '0001_a.sql'), "INSERT INTO pgboss.version(version) VALUES ('24');")
    writeFileSync(path.join(dir, '0002_b.sql'), 'select 1;')
    expect(migratedQueueVersion(dir)).toBe(24)
    writeFileSync(path.join(dir, '0003_c.sql'), "UPDATE pgboss.version SET version = 25;")
    expect(migratedQueueVersion(dir)).toBe(25)
  })

  it('names the migration to add when pg-boss was upgraded without one', () => {
    expect(queueSchemaProblem(24, 25)).toMatch(/pg-boss expects its schema at version 25, but drizzle\/ makes version 24: .*getMigrationPlans\('pgboss', 24\)/)
    expect(queueSchemaProblem(null, 24)).toMatch(/makes version none/)
  })
})

// `npm start` with a DATABASE_URL never migrates by itself, and a bad environment stops it.
import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPgDatabase } from '../setup/databases'

function start(env: Record<string, string>) {
  const result = spawnSync('npx', ['tsx', 'scripts/start.ts'], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40), PORT: '39871', ...env },
  })
  return { status: result.status, output: `${result.stdout}${result.stderr}` }
}

describe('npm start on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createPgDatabase>>
  beforeAll(async () => {
    database = await createPgDatabase()
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('refuses to start while migrations are pending, naming npm run db:migrate', () => {
    const { status, output } = start({ DATABASE_URL: database.url })
    expect(status).toBe(1)
    expect(output).toMatch(/migration\(s\) pending: run `npm run db:migrate` first/)
    expect(output.trim().split('\n').filter((l) => !/npm warn/.test(l))).toHaveLength(1)
  })

  it('stops on a bad value with a message that names the variable', () => {
    const { status, output } = start({ DATABASE_URL: database.url, DB_POOL_MAX: 'lots' })
    expect(status).toBe(1)
    expect(output).toMatch(/Invalid environment: DB_POOL_MAX/)
  })

  it('refuses a production start without SESSION_SECRET', () => {
    const { status, output } = start({ DATABASE_URL: database.url, SESSION_SECRET: '' })
    expect(status).toBe(1)
    expect(output).toMatch(/SESSION_SECRET is required in production/)
  })
})

// The npm scripts on PostgreSQL: `npm start` never migrates by itself, a bad environment stops
// it, and db:migrate / db:seed do their job once and refuse to do harm.
import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPgDatabase } from '../setup/databases'

function run(script: string, env: Record<string, string>) {
  const result = spawnSync('npx', ['tsx', script], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40), SMTP_URL: 'smtp://127.0.0.1:1', PORT: '39871', ...env },
  })
  const output = `${result.stdout}${result.stderr}`.replace(/^npm warn.*\n/gm, '')
  return { status: result.status, output }
}
const start = (env: Record<string, string>) => run('scripts/start.ts', env)

describe('npm scripts on PostgreSQL', () => {
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
    expect(output.trim().split('\n')).toHaveLength(1)
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

  it('seeds only a migrated, empty database', () => {
    const env = { DATABASE_URL: database.url }
    expect(run('scripts/seed.ts', env)).toMatchObject({ status: 1, output: expect.stringMatching(/run `npm run db:migrate` first/) })
    expect(run('scripts/migrate.ts', env)).toMatchObject({ status: 0, output: expect.stringMatching(/Applied \d+ migration/) })
    expect(run('scripts/migrate.ts', env)).toMatchObject({ status: 0, output: expect.stringMatching(/No pending migrations/) })
    expect(run('scripts/seed.ts', env)).toMatchObject({ status: 0, output: expect.stringMatching(/40 fabrics, 60 orders/) })
    expect(run('scripts/seed.ts', env)).toMatchObject({ status: 1, output: expect.stringMatching(/already has users or fabrics/) })
  })
})

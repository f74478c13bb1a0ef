// Drops the databases and the embedded data directory this e2e run made.
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'

export default async function teardown() {
  const run = process.env.E2E_RUN
  if (!run) return
  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' })
  await admin.connect()
  try {
    const { rows } = await admin.query<{ datname: string }>(
      'select datname from pg_database where datname like $1',
      [`tara_e2e_${run}_%`],
    )
    // Names come from pg_database and match our own [a-z0-9_] pattern.
    for (const { datname } of rows) {
      if (/^[a-z0-9_]+$/.test(datname)) await admin.query(`drop database if exists ${datname} with (force)`)
    }
  } finally {
    await admin.end()
  }
  await rm(path.join(tmpdir(), `tara_e2e_${run}`), { recursive: true, force: true })
}

// Drops the databases, the app's login roles and the embedded data directory this e2e run made.
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { databasesNamed, dropDatabases, dropRoles, rolesNamed } from '../../scripts/pg-admin'

export default async function teardown() {
  const run = process.env.E2E_RUN
  if (!run) return
  await dropDatabases(await databasesNamed(`tara_e2e_${run}_`))
  await dropRoles(await rolesNamed(`tara_e2e_${run}_`))
  await rm(path.join(tmpdir(), `tara_e2e_${run}`), { recursive: true, force: true })
}

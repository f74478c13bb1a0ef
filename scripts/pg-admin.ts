// Creating and dropping whole PostgreSQL databases (and the app's login roles), for tests and the bench. Database names
// cannot be bound parameters, so this is the one place that puts a name into SQL, and only
// after checking it is [a-z0-9_].
import pg from 'pg'

/** The server where tests and the bench make their databases. */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

function checked(name: string) {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Not a database name we make: ${name}`)
  return name
}

async function withAdmin<T>(adminUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    return await run(client)
  } finally {
    await client.end()
  }
}

/** The URL of database `name` on the admin URL's server. */
export function databaseUrl(name: string, adminUrl = ADMIN_URL) {
  const url = new URL(adminUrl)
  url.pathname = `/${checked(name)}`
  return url.toString()
}

/** Drops `name` (closing its connections) and creates it empty; returns its URL. */
export async function recreateDatabase(name: string, adminUrl = ADMIN_URL) {
  await withAdmin(adminUrl, async (client) => {
    await client.query(`drop database if exists ${checked(name)} with (force)`)
    await client.query(`create database ${checked(name)}`)
  })
  return databaseUrl(name, adminUrl)
}

/** Drops every database whose name is in `names`, closing their connections. */
export async function dropDatabases(names: string[], adminUrl = ADMIN_URL) {
  await withAdmin(adminUrl, async (client) => {
    for (const name of names) await client.query(`drop database if exists ${checked(name)} with (force)`)
  })
}

/** Drops the login roles in `names` (the app's own, made by tests: they hold only memberships). */
export async function dropRoles(names: string[], adminUrl = ADMIN_URL) {
  await withAdmin(adminUrl, async (client) => {
    for (const name of names) await client.query(`drop role if exists ${checked(name)}`)
  })
}

/** The names of the roles that start with `prefix`. */
export async function rolesNamed(prefix: string, adminUrl = ADMIN_URL): Promise<string[]> {
  return withAdmin(adminUrl, async (client) => {
    const { rows } = await client.query<{ rolname: string }>(
      'select rolname from pg_roles where starts_with(rolname, $1)',
      [prefix],
    )
    return rows.map((r) => r.rolname)
  })
}

/** `url` logging in as `user` instead (the app's own login role), with `password` (none: the test server trusts local connections). */
export function urlAs(url: string, user: string, password = '') {
  const parsed = new URL(url)
  parsed.username = checked(user)
  parsed.password = encodeURIComponent(password)
  return parsed.toString()
}

/** The names of the databases that start with `prefix`. */
export async function databasesNamed(prefix: string, adminUrl = ADMIN_URL): Promise<string[]> {
  return withAdmin(adminUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      "select datname from pg_database where starts_with(datname, $1)",
      [prefix],
    )
    return rows.map((r) => r.datname)
  })
}

import { defineConfig } from 'drizzle-kit'

// Used by `db:generate`, `db:check` and `db:push`. `db:migrate` uses drizzle-orm's migrator
// (scripts/migrate.ts) so that it runs in one transaction on every driver.
// `db:push` targets DATABASE_URL, or the embedded database in PGLITE_DIR when it is unset.
const url = process.env.DATABASE_URL

export default defineConfig({
  dialect: 'postgresql',
  schema: './app/models/schema.ts',
  out: './drizzle',
  ...(url
    ? { dbCredentials: { url } }
    : { driver: 'pglite', dbCredentials: { url: process.env.PGLITE_DIR ?? './data/pglite' } }),
  strict: true,
  verbose: true,
})

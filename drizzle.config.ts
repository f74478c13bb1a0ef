import { defineConfig } from 'drizzle-kit'

// Used by `db:generate`, `db:check` and `db:push`. `db:migrate` uses drizzle-orm's
// migrator (scripts/migrate.ts) so that it works on the embedded database too.
export default defineConfig({
  dialect: 'postgresql',
  schema: './app/models/schema.ts',
  out: './drizzle',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
  strict: true,
  verbose: true,
})

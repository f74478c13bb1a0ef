// `npm run user:create -- --email a@b.c --name "A B" --role admin`: adds a staff member to the
// database DATABASE_URL points at (the embedded one when it is unset). They sign in by asking
// for a link on the sign-in page.
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { createUser } from '~/models/user.server'
import { userRole } from '~/models/schema'
import { createDatabaseFromEnv, pendingMigrations, setDatabase } from '~/services/db.server'
import { runScript, ScriptError } from './lib'

const Args = z.object({
  email: z.email({ error: '--email must be an email address' }),
  name: z.string().trim().min(1, '--name must not be empty').max(100).optional(),
  role: z.enum(userRole.enumValues, { error: '--role must be admin or user' }).default('user'),
})

await runScript(async () => {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } },
    strict: true,
  })
  const parsed = Args.safeParse(values)
  if (!parsed.success) {
    throw new ScriptError(
      `${parsed.error.issues.map((i) => i.message).join('; ')}\n` +
        'Usage: npm run user:create -- --email a@b.c --name "A B" --role admin',
    )
  }
  const database = createDatabaseFromEnv({ poolMax: 2 })
  try {
    setDatabase(database)
    if (database.driver === 'pglite') await database.migrate()
    const pending = await pendingMigrations(database.db)
    if (pending > 0) throw new ScriptError(`The database has ${pending} pending migration(s): run \`npm run db:migrate\` first.`)
    const { email, name, role } = parsed.data
    const created = await createUser({ email, name: name ?? null, role })
    if (!created.ok) throw new ScriptError(`A user with the email ${email.toLowerCase()} already exists.`)
    console.log(`Created ${role} ${email.toLowerCase()}: they sign in by asking for a link on the sign-in page.`)
  } finally {
    await database.close()
  }
})

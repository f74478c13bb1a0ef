// All queries about users.
import { asc } from 'drizzle-orm'
import { db } from '~/services/db.server'
import { users } from './schema'

export async function listUsers() {
  return db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role })
    .from(users)
    .orderBy(asc(users.email))
}

/** Creates the first admin (ADMIN_EMAIL) if no user has that email; an existing user keeps their role. */
export async function ensureAdmin({ email }: { email: string }) {
  const [row] = await db
    .insert(users)
    .values({ email: email.toLowerCase(), role: 'admin', name: 'Admin' })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id })
  return { created: Boolean(row) }
}

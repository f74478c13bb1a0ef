// All queries about users: the staff list, invitations, roles, enabling and disabling.
// Rule: there is always at least one enabled admin.
import { and, asc, eq, isNull, or, sql } from 'drizzle-orm'
import { db, type Transaction } from '~/services/db.server'
import { loginTokens, sessions, users, type UserRole } from './schema'

export async function listUsers() {
  return db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      lastSignInAt: users.lastSignInAt,
      disabled: sql<boolean>`${users.disabledAt} is not null`,
    })
    .from(users)
    .orderBy(asc(users.email))
}

/** The user a sign-in link may be sent to: one that exists and is enabled. */
export async function findEnabledUserByEmail(email: string) {
  const [row] = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role })
    .from(users)
    .where(and(eq(users.email, email.toLowerCase()), isNull(users.disabledAt)))
  return row ?? null
}

export type CreateUserResult = { ok: true; id: string } | { ok: false; problem: 'exists' }

/** Adds a staff member (an invitation, `npm run user:create`); an email already in use is refused. */
export async function createUser({
  email,
  name,
  role,
}: {
  email: string
  name: string | null
  role: UserRole
}): Promise<CreateUserResult> {
  const [row] = await db
    .insert(users)
    .values({ email: email.toLowerCase(), name, role })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id })
  return row ? { ok: true, id: row.id } : { ok: false, problem: 'exists' }
}

/** Creates the first admin (ADMIN_EMAIL) if no user has that email; an existing user keeps their role. */
export async function ensureAdmin({ email }: { email: string }) {
  const result = await createUser({ email, name: 'Admin', role: 'admin' })
  return { created: result.ok }
}

export type ChangeUserResult =
  | { ok: true }
  | { ok: false; problem: 'not-found' | 'last-admin' | 'changed'; current?: { role: UserRole; disabled: boolean } }

/**
 * Locks the user and every enabled admin, in id order (so concurrent changes queue instead of
 * deadlocking): two admins demoting or disabling each other at once cannot leave no admin.
 */
async function lockForChange(tx: Transaction, id: string) {
  const rows = await tx
    .select({ id: users.id, role: users.role, disabled: sql<boolean>`${users.disabledAt} is not null` })
    .from(users)
    .where(or(eq(users.id, id), and(eq(users.role, 'admin'), isNull(users.disabledAt))))
    .orderBy(asc(users.id))
    .for('update')
  const row = rows.find((r) => r.id === id)
  const current = row ? { role: row.role, disabled: row.disabled } : undefined
  return { current, otherAdmins: rows.filter((r) => r.id !== id && r.role === 'admin' && !r.disabled).length }
}

/**
 * Changes a user's role. `from` is the role the admin saw: if someone changed it meanwhile,
 * nothing is written and the current state comes back.
 */
export async function changeRole({ id, from, to }: { id: string; from: UserRole; to: UserRole }): Promise<ChangeUserResult> {
  return db.transaction(async (tx) => {
    const { current, otherAdmins } = await lockForChange(tx, id)
    if (!current) return { ok: false, problem: 'not-found' }
    if (current.role !== from) return { ok: false, problem: 'changed', current }
    if (from === to) return { ok: true }
    if (from === 'admin' && !current.disabled && otherAdmins === 0) return { ok: false, problem: 'last-admin', current }
    await tx.update(users).set({ role: to }).where(eq(users.id, id))
    return { ok: true }
  })
}

/**
 * Disables or enables a user. Disabling ends every session they have and voids their unused
 * sign-in links, in the same transaction.
 */
export async function setUserEnabled({ id, enabled }: { id: string; enabled: boolean }): Promise<ChangeUserResult> {
  return db.transaction(async (tx) => {
    const { current, otherAdmins } = await lockForChange(tx, id)
    if (!current) return { ok: false, problem: 'not-found' }
    if (current.disabled === !enabled) return { ok: true }
    if (!enabled && current.role === 'admin' && otherAdmins === 0) return { ok: false, problem: 'last-admin', current }
    await tx
      .update(users)
      .set({ disabledAt: enabled ? null : sql`now()` })
      .where(eq(users.id, id))
    if (!enabled) {
      await tx.delete(sessions).where(eq(sessions.userId, id))
      await tx.delete(loginTokens).where(and(eq(loginTokens.userId, id), isNull(loginTokens.usedAt)))
    }
    return { ok: true }
  })
}

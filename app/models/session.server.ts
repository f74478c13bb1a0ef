// Sign-in links and sessions. Neither table holds a usable secret: only SHA-256 hashes of the
// random token mailed to a user and of the random session id in their cookie.
// Times come from the database clock, so several app instances agree.
import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm'
import { db, prepared } from '~/services/db.server'
import { randomToken, sha256Hex, TOKEN_PATTERN } from '~/utils/crypto.server'
import { loginTokens, sessions, users, type UserRole } from './schema'

export const LINK_TTL_MINUTES = 15
export const SESSION_IDLE_DAYS = 7
export const SESSION_ABSOLUTE_DAYS = 30
/** last_seen_at is written at most this often, so most requests only read. */
const TOUCH_AFTER_MINUTES = 5

export interface SessionUser {
  id: string
  email: string
  name: string | null
  role: UserRole
}

const sessionUserColumns = { id: users.id, email: users.email, name: users.name, role: users.role }

/** Stores a new single-use sign-in token for an enabled user; returns the token to mail. */
export async function createLoginToken({
  userId,
  email,
  redirectTo,
}: {
  userId: string
  email: string
  redirectTo: string
}): Promise<string> {
  const token = randomToken()
  await db.insert(loginTokens).values({
    tokenHash: sha256Hex(token),
    userId,
    email,
    redirectTo,
    expiresAt: sql`now() + make_interval(mins => ${LINK_TTL_MINUTES})`,
  })
  return token
}

/** Deletes a token that was never handed out (its mail could not be sent). */
export async function deleteLoginToken(token: string): Promise<void> {
  if (!TOKEN_PATTERN.test(token)) return
  await db.delete(loginTokens).where(and(eq(loginTokens.tokenHash, sha256Hex(token)), isNull(loginTokens.usedAt)))
}

export type TokenProblem = 'invalid' | 'expired' | 'used'
export type TokenCheck = { ok: true; email: string } | { ok: false; problem: TokenProblem }

/** Why a token cannot be used, when it cannot. */
async function tokenProblem(tokenHash: string): Promise<TokenProblem> {
  const [row] = await db
    .select({
      used: sql<boolean>`${loginTokens.usedAt} is not null`,
      expired: sql<boolean>`${loginTokens.expiresAt} <= now()`,
    })
    .from(loginTokens)
    .where(eq(loginTokens.tokenHash, tokenHash))
  if (!row) return 'invalid'
  if (row.used) return 'used'
  if (row.expired) return 'expired'
  return 'invalid' // the user was disabled, or their email changed, after the link was sent
}

const usable = (tokenHash: string) =>
  and(
    eq(loginTokens.tokenHash, tokenHash),
    isNull(loginTokens.usedAt),
    gt(loginTokens.expiresAt, sql`now()`),
    eq(users.id, loginTokens.userId),
    eq(users.email, loginTokens.email),
    isNull(users.disabledAt),
  )

/** Says whether a token would sign someone in, without using it up (the landing page). */
export async function checkLoginToken(token: string): Promise<TokenCheck> {
  if (!TOKEN_PATTERN.test(token)) return { ok: false, problem: 'invalid' }
  const tokenHash = sha256Hex(token)
  const [row] = await db
    .select({ email: users.email })
    .from(loginTokens)
    .innerJoin(users, eq(users.id, loginTokens.userId))
    .where(usable(tokenHash))
  return row ? { ok: true, email: row.email } : { ok: false, problem: await tokenProblem(tokenHash) }
}

export type ConsumedToken =
  | { ok: true; user: SessionUser; redirectTo: string }
  | { ok: false; problem: TokenProblem }

/**
 * Uses a token up. One conditional UPDATE: of two concurrent requests with the same token,
 * exactly one gets the user. The token must be unused, unexpired, and its user still enabled
 * with the email it was sent to.
 */
export async function consumeLoginToken(token: string): Promise<ConsumedToken> {
  if (!TOKEN_PATTERN.test(token)) return { ok: false, problem: 'invalid' }
  const tokenHash = sha256Hex(token)
  const [row] = await db
    .update(loginTokens)
    .set({ usedAt: sql`now()` })
    .from(users)
    .where(usable(tokenHash))
    .returning({ ...sessionUserColumns, redirectTo: loginTokens.redirectTo })
  if (!row) return { ok: false, problem: await tokenProblem(tokenHash) }
  const { redirectTo, ...user } = row
  return { ok: true, user, redirectTo }
}

/** Starts a session for a user who just signed in; returns the new random session id. */
export async function createSession({ userId }: { userId: string }): Promise<{ id: string; expiresAt: Date }> {
  const id = randomToken()
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(sessions)
      .values({ idHash: sha256Hex(id), userId, expiresAt: sql`now() + make_interval(days => ${SESSION_ABSOLUTE_DAYS})` })
      .returning({ expiresAt: sessions.expiresAt })
    await tx
      .update(users)
      .set({ lastSignInAt: sql`now()`, emailVerified: sql`coalesce(${users.emailVerified}, now())` })
      .where(eq(users.id, userId))
    return { id, expiresAt: row!.expiresAt }
  })
}

/** The session lookup every signed-in request makes first: prepared once per database. */
const sessionUserQuery = prepared((database) =>
  database
    .select({
      ...sessionUserColumns,
      stale: sql<boolean>`${sessions.lastSeenAt} < now() - make_interval(mins => ${TOUCH_AFTER_MINUTES})`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.idHash, sql.placeholder('idHash')),
        gt(sessions.expiresAt, sql`now()`),
        gt(sessions.lastSeenAt, sql`now() - make_interval(days => ${SESSION_IDLE_DAYS})`),
        isNull(users.disabledAt),
      ),
    )
    .prepare('session_user'),
)

/**
 * The signed-in user of a live session: not idle for 7 days, not older than 30, user enabled.
 * Refreshes last_seen_at when it is more than a few minutes old.
 */
export async function findSessionUser(id: string): Promise<SessionUser | null> {
  if (!TOKEN_PATTERN.test(id)) return null
  const idHash = sha256Hex(id)
  const [row] = await sessionUserQuery().execute({ idHash })
  if (!row) return null
  const { stale, ...user } = row
  if (stale) await db.update(sessions).set({ lastSeenAt: sql`now()` }).where(eq(sessions.idHash, idHash))
  return user
}

export async function deleteSession(id: string): Promise<void> {
  if (!TOKEN_PATTERN.test(id)) return
  await db.delete(sessions).where(eq(sessions.idHash, sha256Hex(id)))
}

/** Removes sessions and sign-in links that can no longer be used. */
export async function pruneSessionsAndTokens(): Promise<{ sessions: number; tokens: number }> {
  const deadSessions = await db
    .delete(sessions)
    .where(
      or(
        lt(sessions.expiresAt, sql`now()`),
        lt(sessions.lastSeenAt, sql`now() - make_interval(days => ${SESSION_IDLE_DAYS})`),
      ),
    )
    .returning({ id: sessions.idHash })
  const deadTokens = await db
    .delete(loginTokens)
    .where(lt(loginTokens.expiresAt, sql`now() - interval '1 day'`))
    .returning({ id: loginTokens.tokenHash })
  return { sessions: deadSessions.length, tokens: deadTokens.length }
}

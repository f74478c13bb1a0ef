// The durable mail outbox (mail_outbox): sign-in links and invitations are queued here by the
// request and sent afterwards (app/auth/auth.server.ts: deliverPendingMail), so that the
// answer to a request never waits for, nor depends on, the mail server.
//
//   queueMail({ kind, userId, email, ... })   → a row due now
//   claimDueMail({ limit })                   → due rows, leased to this caller for LEASE_SECONDS
//   markMailSent(id) / markMailFailed(...)    → the outcome of one attempt
//   listUndeliveredMail() / retryMail(id)     → what admins see on /users, and "Send again"
//
// Claiming is one UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) that sets a lease and
// counts the attempt: two instances claiming at once never get the same row, and a row whose
// sender died is claimed again once its lease has run out. No link or token is stored: the
// token is made when the mail is sent. `last_error` is an SMTP code, never an address or a body.
import { and, asc, desc, eq, isNotNull, isNull, lt, or, sql } from 'drizzle-orm'
import { db, rows } from '~/services/db.server'
import { mailOutbox, users, type MailKind } from './schema'

/** The job queue's queue that delivers the outbox (app/jobs/kinds.server.ts). */
export const MAIL_QUEUE = 'mail'

/** Attempts before a mail is given up (and shown to admins). */
export const MAIL_MAX_ATTEMPTS = 5
/** The wait after the first failed attempt; it doubles after each one (30 s, 1, 2, 4 minutes). */
export const MAIL_RETRY_BASE_SECONDS = 30
/** How long a claim keeps other instances off a row: longer than one SMTP attempt may take. */
export const MAIL_LEASE_SECONDS = 120

export interface OutgoingMail {
  id: string
  kind: MailKind
  userId: string
  email: string
  redirectTo: string
  invitedBy: string | null
  attempts: number
}

export async function queueMail({
  kind,
  userId,
  email,
  redirectTo = '/',
  invitedBy = null,
}: {
  kind: MailKind
  userId: string
  email: string
  redirectTo?: string
  invitedBy?: string | null
}): Promise<string> {
  const [row] = await db
    .insert(mailOutbox)
    .values({ kind, userId, email, redirectTo, invitedBy })
    .returning({ id: mailOutbox.id })
  return row!.id
}

/** Due rows nobody else holds, leased to the caller; each claim counts as an attempt. */
export async function claimDueMail({ limit = 10 }: { limit?: number } = {}): Promise<OutgoingMail[]> {
  const due = db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(
      and(
        isNull(mailOutbox.sentAt),
        isNull(mailOutbox.failedAt),
        sql`${mailOutbox.nextAttemptAt} <= now()`,
        or(isNull(mailOutbox.leasedUntil), lt(mailOutbox.leasedUntil, sql`now()`)),
      ),
    )
    .orderBy(asc(mailOutbox.nextAttemptAt))
    .limit(limit)
    .for('update', { skipLocked: true })
  return db
    .update(mailOutbox)
    .set({
      attempts: sql`${mailOutbox.attempts} + 1`,
      leasedUntil: sql`now() + make_interval(secs => ${MAIL_LEASE_SECONDS})`,
    })
    .where(sql`${mailOutbox.id} in ${due}`)
    .returning({
      id: mailOutbox.id,
      kind: mailOutbox.kind,
      userId: mailOutbox.userId,
      email: mailOutbox.email,
      redirectTo: mailOutbox.redirectTo,
      invitedBy: mailOutbox.invitedBy,
      attempts: mailOutbox.attempts,
    })
}

export async function markMailSent(id: string): Promise<void> {
  await db
    .update(mailOutbox)
    .set({ sentAt: sql`now()`, leasedUntil: null, lastError: null })
    .where(eq(mailOutbox.id, id))
}

/**
 * One attempt failed with `error` (an SMTP code). Tried again later with backoff, unless this
 * was the last attempt or the failure is `permanent` (the server refused the recipient): then
 * the mail is given up and shows on /users.
 */
export async function markMailFailed({
  id,
  error,
  permanent = false,
}: {
  id: string
  error: string
  permanent?: boolean
}): Promise<'retry' | 'failed'> {
  const [row] = await db
    .update(mailOutbox)
    .set({
      lastError: error.slice(0, 200),
      leasedUntil: null,
      failedAt: sql`case when ${permanent}::boolean or ${mailOutbox.attempts} >= ${MAIL_MAX_ATTEMPTS} then now() end`,
      nextAttemptAt: sql`now() + make_interval(secs => ${MAIL_RETRY_BASE_SECONDS}::float8 * power(2, greatest(${mailOutbox.attempts} - 1, 0)))`,
    })
    .where(eq(mailOutbox.id, id))
    .returning({ failed: sql<boolean>`${mailOutbox.failedAt} is not null` })
  return row?.failed ? 'failed' : 'retry'
}

/** A queued mail that must not go out after all (its user was disabled, or their email changed). */
export async function dropMail(id: string): Promise<void> {
  await db.delete(mailOutbox).where(eq(mailOutbox.id, id))
}

/** Mail that was given up, newest first: for admins on /users. */
export async function listUndeliveredMail({ limit = 50 }: { limit?: number } = {}) {
  return db
    .select({
      id: mailOutbox.id,
      kind: mailOutbox.kind,
      email: mailOutbox.email,
      name: users.name,
      attempts: mailOutbox.attempts,
      lastError: mailOutbox.lastError,
      createdAt: mailOutbox.createdAt,
      failedAt: mailOutbox.failedAt,
    })
    .from(mailOutbox)
    .innerJoin(users, eq(users.id, mailOutbox.userId))
    .where(isNotNull(mailOutbox.failedAt))
    .orderBy(desc(mailOutbox.failedAt))
    .limit(limit)
}

/** "Send again": a given-up mail is due now, with its attempts counted afresh. False if it is not given up. */
export async function retryMail(id: string): Promise<{ ok: true; email: string } | { ok: false }> {
  const [row] = await db
    .update(mailOutbox)
    .set({ failedAt: null, attempts: 0, nextAttemptAt: sql`now()`, leasedUntil: null })
    .where(and(eq(mailOutbox.id, id), isNotNull(mailOutbox.failedAt)))
    .returning({ email: mailOutbox.email })
  return row ? { ok: true, email: row.email } : { ok: false }
}

/**
 * Deletes sent mail older than a day and given-up mail older than a week (periodic cleanup).
 * Returns how many rows were deleted.
 */
export async function pruneMailOutbox(): Promise<number> {
  const [result] = await rows<{ deleted: number }>(
    db,
    sql`with gone as (
      delete from ${mailOutbox}
      where ${mailOutbox.sentAt} < now() - interval '1 day' or ${mailOutbox.failedAt} < now() - interval '7 days'
      returning 1
    ) select count(*)::int as deleted from gone`,
  )
  return Number(result?.deleted ?? 0)
}

// Sign-in mail goes out after the answer, from the durable outbox (mail_outbox), so that the
// answer to /login never tells who is staff: not by its status or page, not by how long it takes,
// whether the mail server is slow, down or fine. Mail that cannot be sent is retried, then shown
// to admins on /users, who can send it again. Through the /login and /users route modules, on the
// real PostgreSQL (as app_user), with a real SMTP server (smtp-server) on one fixed port that the
// test slows down, takes away and brings back.
import { sql } from 'drizzle-orm'
import { afterAll, describe, expect, it } from 'vitest'
import { MAIL_MAX_ATTEMPTS } from '~/models/mail-outbox.server'
import { createLoginToken } from '~/models/session.server'
import { createUser } from '~/models/user.server'
import type { UserRole } from '~/models/schema'
import { action as loginAction } from '~/routes/login._index'
import { action as usersAction, loader as usersLoader } from '~/routes/users._index'
import { deliverPendingMail, signInWithLink } from '~/auth/auth.server'
import { rows } from '~/services/db.server'
import { freePort } from '../../scripts/free-port'
import { useMigratedDatabase } from '../setup/databases'
import { startSmtpSink } from '../setup/smtp-sink'

// Read by env() on first use: this file's mail server, always on this port; rate limits in the database.
const SMTP_PORT = await freePort()
process.env.SMTP_URL = `smtp://127.0.0.1:${SMTP_PORT}`
delete process.env.REDIS_URL

const APP = 'http://localhost:3000'
let counter = 0
const unique = () => `${Date.now().toString(36)}-${++counter}`
const nextIp = () => `mail-test-ip-${unique()}`

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

/** What an action gave back: its status and its data as JSON (a `data()` result or a plain object). */
function answer(result: unknown): { status: number; body: string } {
  if (result instanceof Response) return { status: result.status, body: `Response ${result.headers.get('Location')}` }
  if (result && typeof result === 'object' && 'init' in result && 'data' in result) {
    const { init, data } = result as { init?: { status?: number } | null; data: unknown }
    return { status: init?.status ?? 200, body: JSON.stringify(data) }
  }
  return { status: 200, body: JSON.stringify(result) }
}

/** POST /login through the route's action, from a fresh client address; how long it took. */
async function askForLink(email: string) {
  const request = new Request(`${APP}/login`, {
    method: 'POST',
    body: new URLSearchParams({ email, redirectTo: '/' }),
  })
  const start = performance.now()
  const result = await loginAction({ request, context: { clientIp: nextIp() }, params: {} })
  const ms = performance.now() - start
  const { status, body } = answer(result)
  return { status, body: body.replaceAll(email, 'EMAIL'), ms }
}

describe('sign-in mail from the outbox', () => {
  const database = useMigratedDatabase('postgres')
  let sink: Awaited<ReturnType<typeof startSmtpSink>> | undefined
  afterAll(async () => {
    await sink?.close()
  })

  async function newUser(role: UserRole = 'user', prefix = 'staff') {
    const email = `${prefix}.${unique()}@example.com`
    const created = await createUser({ email, name: `Name ${prefix}`, role })
    if (!created.ok) throw new Error(`could not create ${email}`)
    return { id: created.id, email }
  }

  const linkPost = (token: string) =>
    new Request(`${APP}/login/link`, { method: 'POST', body: new URLSearchParams({ token }) })

  /** An admin's session cookie, signed in through a link of their own. */
  async function adminCookie() {
    const admin = await newUser('admin', 'admin')
    const response = await signInWithLink(linkPost(await createLoginToken({ ...admin, userId: admin.id, redirectTo: '/' })))
    if (!(response instanceof Response)) throw new Error(`sign-in refused: ${response.problem}`)
    return response.headers.get('Set-Cookie')!.split(';')[0]!
  }

  const sunkTo = (email: string) => sink?.messages.filter((m) => m.to.includes(email)) ?? []
  const tokenIn = (text: string) => /\/login\/link\?token=([\w-]+)/.exec(text)?.[1] ?? ''

  const pending = async (email: string) =>
    (
      await rows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from mail_outbox where email = ${email} and sent_at is null and failed_at is null`,
      )
    )[0]!.n

  /** Makes every retry due now: time moves by rewriting stored timestamps, not by waiting. */
  const retriesDueNow = () =>
    database.db.execute(sql`update mail_outbox set next_attempt_at = now() where sent_at is null and failed_at is null`)

  /**
   * Asks for links for a user's address and for unknown addresses, in turns: the answers must
   * be the same page with the same status, and take the same time (medians, within 150 ms).
   */
  async function expectSameAnswers(knownEmail: string, rounds = 4) {
    const known: Awaited<ReturnType<typeof askForLink>>[] = []
    const unknown: typeof known = []
    for (let i = 0; i < rounds; i++) {
      known.push(await askForLink(knownEmail))
      unknown.push(await askForLink(`nobody.${unique()}@example.com`))
    }
    const all = [...known, ...unknown]
    expect(all.map((a) => a.status)).toEqual(all.map(() => 200))
    expect(new Set(all.map((a) => a.body)).size).toBe(1)
    expect(all[0]!.body).toContain('"sentTo":"EMAIL"')
    const knownMs = median(known.map((a) => a.ms))
    const unknownMs = median(unknown.map((a) => a.ms))
    expect(Math.abs(knownMs - unknownMs), `known ${knownMs.toFixed(0)} ms, unknown ${unknownMs.toFixed(0)} ms`).toBeLessThan(150)
    return { knownMs, unknownMs }
  }

  it('answers a known and an unknown address alike while the mail server takes 1.5 s per mail, then delivers', async () => {
    sink = await startSmtpSink({ smtpPort: SMTP_PORT, delayMs: 1500 })
    const user = await newUser()
    const timings = await expectSameAnswers(user.email)
    console.info(`slow mail server: known ${timings.knownMs.toFixed(0)} ms, unknown ${timings.unknownMs.toFixed(0)} ms`)
    await deliverPendingMail()
    expect(sunkTo(user.email)).toHaveLength(4)
    expect(sink.messages.filter((m) => m.to.some((to) => to.startsWith('nobody.')))).toHaveLength(0)
    expect(await pending(user.email)).toBe(0)
  })

  it('answers alike while the mail server is down; the mail is retried, then shown to admins on /users', async () => {
    await sink?.close()
    sink = undefined
    const user = await newUser()
    const timings = await expectSameAnswers(user.email)
    console.info(`mail server down: known ${timings.knownMs.toFixed(0)} ms, unknown ${timings.unknownMs.toFixed(0)} ms`)

    // Each delivery round is one attempt; after the last one the mail is given up.
    for (let attempt = 1; attempt <= MAIL_MAX_ATTEMPTS; attempt++) {
      await deliverPendingMail()
      await retriesDueNow()
    }
    expect(await pending(user.email)).toBe(0)

    const cookie = await adminCookie()
    const page = await usersLoader({ request: new Request(`${APP}/users`, { headers: { Cookie: cookie } }), context: {}, params: {} })
    const shown = page.undelivered.filter((m) => m.email === user.email)
    expect(shown).toHaveLength(4)
    for (const mail of shown) {
      expect(mail).toMatchObject({ kind: 'sign-in', attempts: MAIL_MAX_ATTEMPTS })
      expect(mail.lastError).toMatch(/^E[A-Z]+/)
      expect(mail.lastError).not.toContain('@')
      expect(mail.failedAt).toBeInstanceOf(Date)
    }
    // The outbox never holds a link or a token.
    const stored = await rows<{ whole: string }>(database.db, sql`select row_to_json(m)::text as whole from mail_outbox m`)
    for (const row of stored) expect(row.whole).not.toMatch(/token|\/login\/link/)
  })

  it('delivers a retry once the mail server is back, and "Send again" sends a given-up mail', async () => {
    const user = await newUser()
    expect((await askForLink(user.email)).status).toBe(200)
    await deliverPendingMail() // the server is still down: attempt 1 fails, a retry is due later
    expect(await pending(user.email)).toBe(1)

    sink = await startSmtpSink({ smtpPort: SMTP_PORT })
    await retriesDueNow()
    await deliverPendingMail()
    expect(sunkTo(user.email)).toHaveLength(1)
    const signedIn = await signInWithLink(linkPost(tokenIn(sunkTo(user.email)[0]!.text)))
    expect(signedIn).toBeInstanceOf(Response)

    // An admin sends one of the mails given up in the previous test again.
    const cookie = await adminCookie()
    const request = (body?: URLSearchParams) =>
      new Request(`${APP}/users`, { method: body ? 'POST' : 'GET', body, headers: { Cookie: cookie } })
    const before = await usersLoader({ request: request(), context: {}, params: {} })
    const failed = before.undelivered[0]!
    const resent = answer(
      await usersAction({ request: request(new URLSearchParams({ intent: 'resend', mailId: failed.id })), context: {}, params: {} }),
    )
    expect(resent.status).toBe(302)
    await deliverPendingMail()
    expect(sunkTo(failed.email)).toHaveLength(1)
    const after = await usersLoader({ request: request(), context: {}, params: {} })
    expect(after.undelivered.map((m) => m.id)).not.toContain(failed.id)
  })

  it('answers six requests for one address alike; five links go out and the first still works', async () => {
    const user = await newUser()
    const answers = []
    for (let i = 0; i < 6; i++) answers.push(await askForLink(user.email))
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200))
    expect(new Set(answers.map((a) => a.body)).size).toBe(1)
    await deliverPendingMail()
    const mails = sunkTo(user.email)
    expect(mails).toHaveLength(5)
    const first = await signInWithLink(linkPost(tokenIn(mails[0]!.text)))
    expect(first).toBeInstanceOf(Response)
    const last = await signInWithLink(linkPost(tokenIn(mails.at(-1)!.text)))
    expect(last).toBeInstanceOf(Response)
  })
})

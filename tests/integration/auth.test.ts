// Sign-in by emailed link, server-side sessions and the last-admin rule, on every database driver:
// the models (app/models/session.server.ts, user.server.ts) and the auth service on top of them.
// Mail goes through the mail outbox to the in-memory dev outbox (deliverPendingMail sends what is
// queued, at once); rate limits use the database store. Time is moved by rewriting stored
// timestamps, never by sleeping (except to measure requestSignInLink's floor).
import { sql } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  checkLoginToken,
  consumeLoginToken,
  createLoginToken,
  createSession,
  deleteSession,
  findSessionUser,
  LINK_TTL_MINUTES,
  pruneSessionsAndTokens,
  SESSION_ABSOLUTE_DAYS,
} from '~/models/session.server'
import { changeRole, createUser, findEnabledUserByEmail, setUserEnabled } from '~/models/user.server'
import type { UserRole } from '~/models/schema'
import {
  deliverPendingMail,
  getUser,
  inviteStaff,
  requestSignInLink,
  requireAdmin,
  requireUser,
  signInWithLink,
  signOut,
  takeSignInRequest,
} from '~/auth/auth.server'
import { rows } from '~/services/db.server'
import { outbox } from '~/services/email.server'
import { env } from '~/services/env.server'
import { sha256Hex } from '~/utils/crypto.server'
import { TARGETS, useMigratedDatabase } from '../setup/databases'

// Read by env() on first use: rate limits in the database, mail in the dev outbox.
delete process.env.REDIS_URL
delete process.env.SMTP_URL

let counter = 0
const unique = () => `${Date.now().toString(36)}-${++counter}`
/** A fresh client address, so that the per-address limit only trips where a test means it to. */
const nextIp = () => `test-ip-${unique()}`

const DAY_S = 24 * 3600

describe.each(TARGETS)('sign-in on %s', (target) => {
  const database = useMigratedDatabase(target)

  /** A new enabled user with a unique lower-case email. */
  async function newUser(role: UserRole = 'user', prefix = 'staff') {
    const email = `${prefix}.${unique()}@example.com`
    const created = await createUser({ email, name: `Name ${prefix}`, role })
    if (!created.ok) throw new Error(`could not create ${email}`)
    return { id: created.id, email }
  }

  const mailsTo = (email: string) => outbox().filter((m) => m.to === email)

  /** The link in the newest mail to `email`. */
  function lastLink(email: string): URL {
    const mail = mailsTo(email).at(-1)
    if (!mail) throw new Error(`no mail to ${email}`)
    const link = /https?:\/\/\S+/.exec(mail.text)?.[0]
    if (!link) throw new Error(`no link in the mail to ${email}`)
    return new URL(link)
  }

  /** Asks for a link through the service and returns the token it mailed. */
  async function mailedToken(email: string, redirectTo = '/'): Promise<string> {
    await requestSignInLink({ email, redirectTo, minMs: 0 })
    await deliverPendingMail()
    const token = lastLink(email).searchParams.get('token')
    if (!token) throw new Error('no token in the link')
    return token
  }

  /** The link page's "Sign in" POST, with an optional Cookie header. */
  const linkPost = (token: string, cookie?: string) =>
    new Request('http://localhost:3000/login/link', {
      method: 'POST',
      body: new URLSearchParams({ token }),
      headers: cookie ? { Cookie: cookie } : {},
    })

  /** The name=value part of the session cookie a response sets. */
  function sessionCookie(response: Response): string {
    const header = response.headers.get('Set-Cookie')
    if (!header) throw new Error('no Set-Cookie')
    const pair = header.split(';')[0]!
    expect(pair.startsWith('tara_session=')).toBe(true)
    return pair
  }

  /** Signs in through the whole service path; returns the redirect and the cookie it sets. */
  async function signIn(email: string, { redirectTo = '/', cookie }: { redirectTo?: string; cookie?: string } = {}) {
    const token = await mailedToken(email, redirectTo)
    const response = await signInWithLink(linkPost(token, cookie))
    if (!(response instanceof Response)) throw new Error(`sign-in refused: ${response.problem}`)
    return { response, cookie: sessionCookie(response) }
  }

  const pageRequest = (url: string, cookie?: string) =>
    new Request(url, { headers: cookie ? { Cookie: cookie } : {} })

  async function tokenRow(token: string) {
    const [row] = await rows<{ used: boolean; ttl: number; lifetime: number; redirect_to: string }>(
      database.db,
      sql`select used_at is not null as used, redirect_to,
                 extract(epoch from expires_at - now())::float8 as ttl,
                 extract(epoch from expires_at - created_at)::float8 as lifetime
          from login_tokens where token_hash = ${sha256Hex(token)}`,
    )
    return row
  }

  async function sessionRow(id: string) {
    const [row] = await rows<{ lifetime: number; seen_ago: number; user_id: string }>(
      database.db,
      sql`select user_id::text as user_id,
                 extract(epoch from expires_at - created_at)::float8 as lifetime,
                 extract(epoch from now() - last_seen_at)::float8 as seen_ago
          from sessions where id_hash = ${sha256Hex(id)}`,
    )
    return row
  }

  const sessionCount = async (userId: string) =>
    Number(
      (await rows<{ n: number }>(database.db, sql`select count(*)::int as n from sessions where user_id = ${userId}`))[0]?.n,
    )

  const tokenCount = async (userId: string) =>
    Number(
      (await rows<{ n: number }>(database.db, sql`select count(*)::int as n from login_tokens where user_id = ${userId}`))[0]
        ?.n,
    )

  const allTokens = async () =>
    Number((await rows<{ n: number }>(database.db, sql`select count(*)::int as n from login_tokens`))[0]?.n)

  describe('sign-in links', () => {
    it('stores only the SHA-256 hex of the mailed token, never the token itself', async () => {
      const user = await newUser()
      const token = await mailedToken(user.email)
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)

      const stored = await rows<{ token_hash: string; user_id: string; email: string; whole: string }>(
        database.db,
        sql`select token_hash, user_id::text as user_id, email, row_to_json(t)::text as whole
            from login_tokens t where user_id = ${user.id}`,
      )
      expect(stored).toHaveLength(1)
      expect(stored[0]!.token_hash).toBe(sha256Hex(token))
      expect(stored[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/)
      expect(stored[0]!.email).toBe(user.email)

      // The token appears in no column of any row.
      const all = await rows<{ whole: string }>(database.db, sql`select row_to_json(t)::text as whole from login_tokens t`)
      expect(all.length).toBeGreaterThan(0)
      for (const row of all) expect(row.whole).not.toContain(token)
    })

    it('lasts 15 minutes, and is refused as expired once expires_at has passed', async () => {
      const user = await newUser()
      const token = await mailedToken(user.email)
      const fresh = await tokenRow(token)
      expect(fresh!.lifetime).toBe(LINK_TTL_MINUTES * 60)
      expect(fresh!.ttl).toBeGreaterThan(LINK_TTL_MINUTES * 60 - 30)
      expect(fresh!.ttl).toBeLessThanOrEqual(LINK_TTL_MINUTES * 60)
      expect(await checkLoginToken(token)).toEqual({ ok: true, email: user.email })

      await database.db.execute(
        sql`update login_tokens set expires_at = now() - interval '1 second' where token_hash = ${sha256Hex(token)}`,
      )
      expect(await checkLoginToken(token)).toEqual({ ok: false, problem: 'expired' })
      expect(await consumeLoginToken(token)).toEqual({ ok: false, problem: 'expired' })
      expect((await tokenRow(token))!.used).toBe(false)
    })

    it('checking does not use the token up; consuming it does, once', async () => {
      const user = await newUser()
      const token = await mailedToken(user.email, '/orders?status=pending')
      expect(await checkLoginToken(token)).toEqual({ ok: true, email: user.email })
      expect(await checkLoginToken(token)).toEqual({ ok: true, email: user.email })

      const consumed = await consumeLoginToken(token)
      expect(consumed).toEqual({
        ok: true,
        user: { id: user.id, email: user.email, name: 'Name staff', role: 'user' },
        redirectTo: '/orders?status=pending',
      })
      expect((await tokenRow(token))!.used).toBe(true)
      expect(await checkLoginToken(token)).toEqual({ ok: false, problem: 'used' })
    })

    it('is used up by exactly one of two concurrent consumes; later ones say used', async () => {
      const user = await newUser()
      const token = await mailedToken(user.email)
      const results = await Promise.all([consumeLoginToken(token), consumeLoginToken(token)])
      expect(results.filter((r) => r.ok)).toHaveLength(1)
      expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, problem: 'used' }])
      expect(await consumeLoginToken(token)).toEqual({ ok: false, problem: 'used' })
    })

    it('calls unknown, malformed and tampered tokens invalid, without throwing', async () => {
      const user = await newUser()
      const token = await mailedToken(user.email)
      const last = token.at(-1)!
      const tampered = token.slice(0, -1) + (last === 'A' ? 'B' : 'A')
      const candidates = [
        tampered,
        'A'.repeat(43), // the right shape, never issued
        '',
        'short',
        token + 'x',
        token.slice(1),
        `${token.slice(0, 42)}!`,
        "' or 1=1 --",
        sha256Hex(token), // the stored hash is not a token
        'ü'.repeat(43),
      ]
      for (const candidate of candidates) {
        expect(await checkLoginToken(candidate)).toEqual({ ok: false, problem: 'invalid' })
        expect(await consumeLoginToken(candidate)).toEqual({ ok: false, problem: 'invalid' })
      }
      // None of that touched the real token.
      expect(await consumeLoginToken(token)).toMatchObject({ ok: true, user: { id: user.id } })
    })

    it('is refused when the user is disabled after it was sent', async () => {
      // Through setUserEnabled (which also deletes the unused token)…
      const first = await newUser()
      const firstToken = await mailedToken(first.email)
      expect(await setUserEnabled({ id: first.id, enabled: false })).toEqual({ ok: true })
      expect(await tokenRow(firstToken)).toBeUndefined()
      expect(await checkLoginToken(firstToken)).toEqual({ ok: false, problem: 'invalid' })
      expect(await consumeLoginToken(firstToken)).toEqual({ ok: false, problem: 'invalid' })

      // …and by the token's own binding, should the row survive (disabled_at set directly).
      const second = await newUser()
      const secondToken = await mailedToken(second.email)
      await database.db.execute(sql`update users set disabled_at = now() where id = ${second.id}`)
      expect(await checkLoginToken(secondToken)).toEqual({ ok: false, problem: 'invalid' })
      expect(await consumeLoginToken(secondToken)).toEqual({ ok: false, problem: 'invalid' })
      expect((await tokenRow(secondToken))!.used).toBe(false)
    })

    it("is refused when the user's email changed after it was sent", async () => {
      const user = await newUser()
      const token = await mailedToken(user.email)
      const moved = `moved.${unique()}@example.com`
      await database.db.execute(sql`update users set email = ${moved} where id = ${user.id}`)
      expect(await checkLoginToken(token)).toEqual({ ok: false, problem: 'invalid' })
      expect(await consumeLoginToken(token)).toEqual({ ok: false, problem: 'invalid' })
      expect((await tokenRow(token))!.used).toBe(false)
    })

    it('prunes tokens expired more than a day ago, and keeps recent ones', async () => {
      const user = await newUser()
      const old = await createLoginToken({ userId: user.id, email: user.email, redirectTo: '/' })
      const recent = await createLoginToken({ userId: user.id, email: user.email, redirectTo: '/' })
      await database.db.execute(
        sql`update login_tokens set expires_at = now() - interval '2 days' where token_hash = ${sha256Hex(old)}`,
      )
      const pruned = await pruneSessionsAndTokens()
      expect(pruned.tokens).toBeGreaterThanOrEqual(1)
      expect(await tokenRow(old)).toBeUndefined()
      expect(await tokenRow(recent)).toBeDefined()
    })
  })

  describe('sessions', () => {
    it('stores the SHA-256 of the session id, not the id, and finds its user', async () => {
      const user = await newUser()
      const session = await createSession({ userId: user.id })
      expect(session.id).toMatch(/^[A-Za-z0-9_-]{43}$/)
      const stored = await rows<{ id_hash: string; whole: string }>(
        database.db,
        sql`select id_hash, row_to_json(s)::text as whole from sessions s where user_id = ${user.id}`,
      )
      expect(stored).toHaveLength(1)
      expect(stored[0]!.id_hash).toBe(sha256Hex(session.id))
      expect(stored[0]!.whole).not.toContain(session.id)

      expect(await findSessionUser(session.id)).toEqual({
        id: user.id,
        email: user.email,
        name: 'Name staff',
        role: 'user',
      })
      expect(await findSessionUser(sha256Hex(session.id))).toBeNull()
      expect(await findSessionUser('A'.repeat(43))).toBeNull()
      expect(await findSessionUser('not a session')).toBeNull()

      const [signedIn] = await rows<{ last: boolean; verified: boolean }>(
        database.db,
        sql`select last_sign_in_at is not null as last, email_verified is not null as verified
            from users where id = ${user.id}`,
      )
      expect(signedIn).toEqual({ last: true, verified: true })
    })

    it('expires 30 days after it starts', async () => {
      const user = await newUser()
      const session = await createSession({ userId: user.id })
      const row = await sessionRow(session.id)
      expect(row!.lifetime).toBe(SESSION_ABSOLUTE_DAYS * DAY_S)
      const days = (session.expiresAt.getTime() - Date.now()) / (DAY_S * 1000)
      expect(days).toBeGreaterThan(SESSION_ABSOLUTE_DAYS - 0.01)
      expect(days).toBeLessThan(SESSION_ABSOLUTE_DAYS + 0.01)
    })

    it('ends after 7 idle days; 6 idle days still count, and refresh last_seen_at', async () => {
      const user = await newUser()
      const idle = await createSession({ userId: user.id })
      const active = await createSession({ userId: user.id })
      await database.db.execute(
        sql`update sessions set last_seen_at = now() - interval '8 days' where id_hash = ${sha256Hex(idle.id)}`,
      )
      await database.db.execute(
        sql`update sessions set last_seen_at = now() - interval '6 days' where id_hash = ${sha256Hex(active.id)}`,
      )
      expect(await findSessionUser(idle.id)).toBeNull()
      expect(await findSessionUser(active.id)).toMatchObject({ id: user.id })
      const refreshed = await sessionRow(active.id)
      expect(refreshed!.seen_ago).toBeLessThan(60)
    })

    it('ends at expires_at even when it was used just now', async () => {
      const user = await newUser()
      const session = await createSession({ userId: user.id })
      await database.db.execute(
        sql`update sessions set expires_at = now() - interval '1 second', last_seen_at = now()
            where id_hash = ${sha256Hex(session.id)}`,
      )
      expect(await findSessionUser(session.id)).toBeNull()
    })

    it('ends with deleteSession', async () => {
      const user = await newUser()
      const session = await createSession({ userId: user.id })
      const other = await createSession({ userId: user.id })
      await deleteSession(session.id)
      expect(await findSessionUser(session.id)).toBeNull()
      expect(await sessionRow(session.id)).toBeUndefined()
      expect(await findSessionUser(other.id)).toMatchObject({ id: user.id })
      await expect(deleteSession('not a session')).resolves.toBeUndefined()
    })

    it("ends every session of a disabled user, and nobody else's", async () => {
      const user = await newUser()
      const bystander = await newUser()
      const first = await createSession({ userId: user.id })
      const second = await createSession({ userId: user.id })
      const theirs = await createSession({ userId: bystander.id })
      expect(await findSessionUser(first.id)).not.toBeNull()

      expect(await setUserEnabled({ id: user.id, enabled: false })).toEqual({ ok: true })
      expect(await findSessionUser(first.id)).toBeNull()
      expect(await findSessionUser(second.id)).toBeNull()
      expect(await sessionCount(user.id)).toBe(0)
      expect(await findSessionUser(theirs.id)).toMatchObject({ id: bystander.id })
    })

    it('prunes idle and expired sessions, and keeps live ones', async () => {
      const user = await newUser()
      const idle = await createSession({ userId: user.id })
      const expired = await createSession({ userId: user.id })
      const live = await createSession({ userId: user.id })
      await database.db.execute(
        sql`update sessions set last_seen_at = now() - interval '8 days' where id_hash = ${sha256Hex(idle.id)}`,
      )
      await database.db.execute(
        sql`update sessions set expires_at = now() - interval '1 second' where id_hash = ${sha256Hex(expired.id)}`,
      )
      const pruned = await pruneSessionsAndTokens()
      expect(pruned.sessions).toBeGreaterThanOrEqual(2)
      expect(await sessionRow(idle.id)).toBeUndefined()
      expect(await sessionRow(expired.id)).toBeUndefined()
      expect(await sessionRow(live.id)).toBeDefined()
    })
  })

  describe('signing in through the service', () => {
    it('starts a new session at every sign-in and ends the one the browser had', async () => {
      const user = await newUser()
      const first = await signIn(user.email)
      expect(first.response.status).toBe(302)
      expect(await getUser(pageRequest('http://localhost:3000/', first.cookie))).toMatchObject({ id: user.id })
      expect(await sessionCount(user.id)).toBe(1)
      const [before] = await rows<{ id_hash: string }>(database.db, sql`select id_hash from sessions where user_id = ${user.id}`)

      const second = await signIn(user.email, { redirectTo: '/orders?status=pending', cookie: first.cookie })
      expect(second.response.status).toBe(302)
      expect(second.response.headers.get('Location')).toBe('/orders?status=pending')
      expect(second.cookie).not.toBe(first.cookie)

      // The old cookie no longer signs anyone in; the new one does; one session row, a new one.
      expect(await getUser(pageRequest('http://localhost:3000/', first.cookie))).toBeNull()
      expect(await getUser(pageRequest('http://localhost:3000/', second.cookie))).toMatchObject({
        id: user.id,
        email: user.email,
        role: 'user',
      })
      const after = await rows<{ id_hash: string }>(database.db, sql`select id_hash from sessions where user_id = ${user.id}`)
      expect(after).toHaveLength(1)
      expect(after[0]!.id_hash).not.toBe(before!.id_hash)
    })

    it('redirects only to local paths', async () => {
      const user = await newUser()
      for (const [redirectTo, location] of [
        ['/fabrics/new', '/fabrics/new'],
        ['https://evil.example/', '/'],
        ['//evil.example', '/'],
        ['/\\evil.example', '/'],
        ['javascript:alert(1)', '/'],
      ] as const) {
        const { response } = await signIn(user.email, { redirectTo })
        expect(response.headers.get('Location'), redirectTo).toBe(location)
      }
    })

    it('answers a used, expired or unknown link with its problem and sets no cookie', async () => {
      const user = await newUser()
      const token = await mailedToken(user.email)
      expect(await signInWithLink(linkPost(token))).toBeInstanceOf(Response)
      expect(await signInWithLink(linkPost(token))).toEqual({ problem: 'used' })

      const late = await mailedToken(user.email)
      await database.db.execute(
        sql`update login_tokens set expires_at = now() - interval '1 second' where token_hash = ${sha256Hex(late)}`,
      )
      expect(await signInWithLink(linkPost(late))).toEqual({ problem: 'expired' })
      expect(await signInWithLink(linkPost('A'.repeat(43)))).toEqual({ problem: 'invalid' })
      expect(await signInWithLink(linkPost('nonsense'))).toEqual({ problem: 'invalid' })
      expect(await sessionCount(user.id)).toBe(1)
    })

    it('signs out: the session row and the cookie are gone', async () => {
      const user = await newUser()
      const { cookie } = await signIn(user.email)
      const response = await signOut(pageRequest('http://localhost:3000/logout', cookie))
      expect(response.status).toBe(302)
      expect(response.headers.get('Location')).toBe('/login')
      expect(response.headers.get('Set-Cookie')).toMatch(/^tara_session=;.*Expires=Thu, 01 Jan 1970/i)
      expect(await sessionCount(user.id)).toBe(0)
      expect(await getUser(pageRequest('http://localhost:3000/', cookie))).toBeNull()
    })

    it('invites a staff member with a link that signs them in', async () => {
      const admin = await newUser('admin', 'inviter')
      const email = `invited.${unique()}@example.com`
      const invited = await inviteStaff({
        email: email.toUpperCase(),
        name: 'Invited',
        role: 'user',
        invitedBy: { id: admin.id, email: admin.email, name: 'Priya', role: 'admin' },
      })
      expect(invited).toMatchObject({ ok: true })
      await deliverPendingMail()
      expect(mailsTo(email)).toHaveLength(1)
      expect(mailsTo(email)[0]!.text).toContain('Priya has invited you')
      const token = lastLink(email).searchParams.get('token')!
      const response = await signInWithLink(linkPost(token))
      if (!(response instanceof Response)) throw new Error(`sign-in refused: ${response.problem}`)
      expect(await getUser(pageRequest('http://localhost:3000/', sessionCookie(response)))).toMatchObject({ email })
      const again = await inviteStaff({
        email,
        name: 'Again',
        role: 'user',
        invitedBy: { ...admin, name: null, role: 'admin' },
      })
      expect(again).toEqual({ ok: false, problem: 'exists' })
    })
  })

  describe('requestSignInLink', () => {
    it('mails a known user exactly one link from APP_URL that says when it expires', async () => {
      const user = await newUser()
      await requestSignInLink({ email: user.email, redirectTo: '/', minMs: 0 })
      await deliverPendingMail()
      const mails = mailsTo(user.email)
      expect(mails).toHaveLength(1)
      const [link] = mails[0]!.text.match(/https?:\/\/\S+/) ?? []
      expect(link?.startsWith(`${env().APP_URL}/login/link?token=`)).toBe(true)
      expect(mails[0]!.html).toContain(`${env().APP_URL}/login/link?token=`)
      expect(mails[0]!.text).toContain(`${LINK_TTL_MINUTES} minutes`)
      expect(mails[0]!.text).toMatch(/works once/)
      expect(mails[0]!.text).toMatch(/did not ask for this, ignore this email/)
      expect(await tokenCount(user.id)).toBe(1)
    })

    it('answers an unknown email and a disabled user the same, but sends nothing and stores nothing', async () => {
      const disabled = await newUser()
      expect(await setUserEnabled({ id: disabled.id, enabled: false })).toEqual({ ok: true })
      const unknown = `nobody.${unique()}@example.com`
      const tokensBefore = await allTokens()

      for (const email of [unknown, disabled.email]) {
        await requestSignInLink({ email, redirectTo: '/', minMs: 0 })
        await deliverPendingMail()
        expect(mailsTo(email)).toHaveLength(0)
      }
      expect(await tokenCount(disabled.id)).toBe(0)
      expect(await allTokens()).toBe(tokensBefore)
    })

    it('takes at least minMs whether or not the address belongs to a user', async () => {
      const user = await newUser()
      const minMs = 150
      const timed = async (email: string) => {
        const start = performance.now()
        await requestSignInLink({ email, redirectTo: '/', minMs })
        return { ms: performance.now() - start }
      }
      const known = await timed(user.email)
      const unknown = await timed(`nobody.${unique()}@example.com`)
      await deliverPendingMail()
      expect(mailsTo(user.email)).toHaveLength(1)
      // Timers may fire up to a millisecond before performance.now() says so.
      expect(known.ms).toBeGreaterThanOrEqual(minMs - 2)
      expect(unknown.ms).toBeGreaterThanOrEqual(minMs - 2)
    })

    it('mails at most 5 links per email in 15 minutes, whatever the case; earlier links keep working', async () => {
      const user = await newUser('user', 'ann')
      const shouted = user.email.toUpperCase()
      for (const email of [shouted, user.email, shouted, user.email, shouted, user.email]) {
        // Past the limit the request is answered as any other: it just queues nothing.
        await expect(requestSignInLink({ email, redirectTo: '/', minMs: 0 })).resolves.toBeUndefined()
      }
      await deliverPendingMail()
      expect(mailsTo(user.email)).toHaveLength(5)
      expect(await tokenCount(user.id)).toBe(5)
      // A new link does not void the earlier ones: the first and the last both work.
      const first = new URL(/https?:\/\/\S+/.exec(mailsTo(user.email)[0]!.text)![0]).searchParams.get('token')!
      expect(await checkLoginToken(first)).toEqual({ ok: true, email: user.email })
      expect(await checkLoginToken(lastLink(user.email).searchParams.get('token')!)).toEqual({
        ok: true,
        email: user.email,
      })

      // Another address is not affected.
      const other = await newUser()
      await requestSignInLink({ email: other.email, redirectTo: '/', minMs: 0 })
      await deliverPendingMail()
      expect(mailsTo(other.email)).toHaveLength(1)
    })

    it('limits requests per client address to 20 in 15 minutes', async () => {
      const ip = nextIp()
      const results = []
      for (let i = 0; i < 20; i++) results.push(await takeSignInRequest(ip))
      expect(results.every((r) => r.allowed)).toBe(true)
      const refused = await takeSignInRequest(ip)
      expect(refused.allowed).toBe(false)
      expect(refused.retryAfterSeconds).toBeGreaterThan(0)
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(15 * 60)
      // Another address is not affected.
      expect((await takeSignInRequest(nextIp())).allowed).toBe(true)
    })
  })

  describe('the last enabled admin', () => {
    const enabledAdmins = async () =>
      Number(
        (
          await rows<{ n: number }>(
            database.db,
            sql`select count(*)::int as n from users where role = 'admin' and disabled_at is null`,
          )
        )[0]?.n,
      )
    const state = async (id: string) =>
      (
        await rows<{ role: UserRole; disabled: boolean }>(
          database.db,
          sql`select role::text as role, disabled_at is not null as disabled from users where id = ${id}`,
        )
      )[0]

    // Every test starts from no admin at all (earlier tests made some) and adds its own.
    beforeEach(async () => {
      await database.db.execute(sql`update users set role = 'user' where role = 'admin'`)
    })

    it('cannot be demoted or disabled, and nothing changes', async () => {
      const admin = await newUser('admin', 'admin')
      // A disabled admin does not count.
      const dormant = await newUser('admin', 'dormant')
      await database.db.execute(sql`update users set disabled_at = now() where id = ${dormant.id}`)
      const session = await createSession({ userId: admin.id })
      expect(await enabledAdmins()).toBe(1)

      expect(await changeRole({ id: admin.id, from: 'admin', to: 'user' })).toEqual({
        ok: false,
        problem: 'last-admin',
        current: { role: 'admin', disabled: false },
      })
      expect(await setUserEnabled({ id: admin.id, enabled: false })).toEqual({
        ok: false,
        problem: 'last-admin',
        current: { role: 'admin', disabled: false },
      })
      expect(await state(admin.id)).toEqual({ role: 'admin', disabled: false })
      expect(await findSessionUser(session.id)).toMatchObject({ id: admin.id, role: 'admin' })
      expect(await enabledAdmins()).toBe(1)
    })

    it('with two admins, one can be demoted, then not the other', async () => {
      const first = await newUser('admin', 'admin')
      const second = await newUser('admin', 'admin')
      expect(await changeRole({ id: first.id, from: 'admin', to: 'user' })).toEqual({ ok: true })
      expect(await state(first.id)).toEqual({ role: 'user', disabled: false })
      expect(await changeRole({ id: second.id, from: 'admin', to: 'user' })).toMatchObject({
        ok: false,
        problem: 'last-admin',
      })
      expect(await setUserEnabled({ id: second.id, enabled: false })).toMatchObject({
        ok: false,
        problem: 'last-admin',
      })
      expect(await state(second.id)).toEqual({ role: 'admin', disabled: false })
      // Promoting someone back makes room again.
      expect(await changeRole({ id: first.id, from: 'user', to: 'admin' })).toEqual({ ok: true })
      expect(await setUserEnabled({ id: second.id, enabled: false })).toEqual({ ok: true })
      expect(await enabledAdmins()).toBe(1)
    })

    it('survives two admins demoting each other at once', async () => {
      const demote = (id: string) => changeRole({ id, from: 'admin', to: 'user' })
      // Several rounds, so that the two transactions really overlap at least once.
      for (let round = 0; round < 5; round++) {
        await database.db.execute(sql`update users set role = 'user' where role = 'admin'`)
        const first = await newUser('admin', 'admin')
        const second = await newUser('admin', 'admin')
        // PGlite has one connection: its transactions run one after the other anyway.
        const results =
          target === 'pglite'
            ? [await demote(first.id), await demote(second.id)]
            : await Promise.all([demote(first.id), demote(second.id)])
        expect(results.filter((r) => r.ok)).toHaveLength(1)
        expect(results.filter((r) => !r.ok)).toMatchObject([{ ok: false, problem: 'last-admin' }])
        expect(await enabledAdmins()).toBe(1)
      }
    })

    it('survives one admin being demoted while the other is disabled, at once', async () => {
      const first = await newUser('admin', 'admin')
      const second = await newUser('admin', 'admin')
      const results = await Promise.all([
        changeRole({ id: first.id, from: 'admin', to: 'user' }),
        setUserEnabled({ id: second.id, enabled: false }),
      ])
      expect(results.filter((r) => r.ok)).toHaveLength(1)
      expect(await enabledAdmins()).toBe(1)
    })

    it('refuses a change made from a stale role', async () => {
      const admin = await newUser('admin', 'admin')
      const user = await newUser('user')
      expect(await changeRole({ id: user.id, from: 'admin', to: 'user' })).toEqual({
        ok: false,
        problem: 'changed',
        current: { role: 'user', disabled: false },
      })
      expect(await changeRole({ id: admin.id, from: 'user', to: 'admin' })).toEqual({
        ok: false,
        problem: 'changed',
        current: { role: 'admin', disabled: false },
      })
      expect(await state(user.id)).toEqual({ role: 'user', disabled: false })
      expect(await changeRole({ id: '00000000-0000-4000-8000-000000000000', from: 'user', to: 'admin' })).toEqual({
        ok: false,
        problem: 'not-found',
      })
    })

    it('re-enables a disabled user, who can then sign in again', async () => {
      await newUser('admin', 'admin')
      const user = await newUser()
      expect(await setUserEnabled({ id: user.id, enabled: false })).toEqual({ ok: true })
      expect(await state(user.id)).toEqual({ role: 'user', disabled: true })
      expect(await findEnabledUserByEmail(user.email)).toBeNull()

      expect(await setUserEnabled({ id: user.id, enabled: true })).toEqual({ ok: true })
      expect(await state(user.id)).toEqual({ role: 'user', disabled: false })
      expect(await findEnabledUserByEmail(user.email)).toMatchObject({ id: user.id })
      const { cookie } = await signIn(user.email)
      expect(await getUser(pageRequest('http://localhost:3000/', cookie))).toMatchObject({ id: user.id })
    })
  })

  describe('requireUser and requireAdmin', () => {
    async function thrown(promise: Promise<unknown>): Promise<Response> {
      try {
        await promise
      } catch (error) {
        if (error instanceof Response) return error
        throw error
      }
      throw new Error('expected a Response to be thrown')
    }

    it('send a visitor without a session to the sign-in page, then back', async () => {
      for (const check of [requireUser, requireAdmin]) {
        const response = await thrown(check(pageRequest('http://localhost:3000/orders?status=pending')))
        expect(response.status).toBe(302)
        const location = response.headers.get('Location')!
        expect(location).toBe(`/login?${new URLSearchParams({ redirectTo: '/orders?status=pending' })}`)
        expect(new URL(location, 'http://x').searchParams.get('redirectTo')).toBe('/orders?status=pending')
      }
      const home = await thrown(requireUser(pageRequest('http://localhost:3000/')))
      expect(home.headers.get('Location')).toBe('/login')
      // A cookie for a session that does not exist is no better.
      const stale = await thrown(requireUser(pageRequest('http://localhost:3000/fabrics', 'tara_session=forged')))
      expect(stale.headers.get('Location')).toBe('/login?redirectTo=%2Ffabrics')
    })

    it('let a signed-in user through requireUser, and stop them at requireAdmin with a 403', async () => {
      const user = await newUser()
      const { cookie } = await signIn(user.email)
      expect(await requireUser(pageRequest('http://localhost:3000/fabrics', cookie))).toMatchObject({
        id: user.id,
        role: 'user',
      })
      const forbidden = await thrown(requireAdmin(pageRequest('http://localhost:3000/users', cookie)))
      expect(forbidden.status).toBe(403)
    })

    it('let an admin through requireAdmin', async () => {
      const admin = await newUser('admin', 'admin')
      const { cookie } = await signIn(admin.email)
      expect(await requireAdmin(pageRequest('http://localhost:3000/users', cookie))).toEqual({
        id: admin.id,
        email: admin.email,
        name: 'Name admin',
        role: 'admin',
      })
    })

    it('stop a user whose role was taken away since they signed in', async () => {
      await newUser('admin', 'keeper')
      const admin = await newUser('admin', 'admin')
      const { cookie } = await signIn(admin.email)
      expect(await changeRole({ id: admin.id, from: 'admin', to: 'user' })).toEqual({ ok: true })
      const forbidden = await thrown(requireAdmin(pageRequest('http://localhost:3000/users', cookie)))
      expect(forbidden.status).toBe(403)
    })
  })
})

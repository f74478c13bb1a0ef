// Sign-in by emailed link (remix-auth + remix-auth-email-link, hardened), server-side sessions,
// and the role checks every loader and action starts with: requireUser / requireAdmin.
//
// What the hardening changes from remix-auth-email-link's defaults (DESIGN.md §5):
//  - the link is built from APP_URL; the library reads the Host / X-Forwarded-Host header;
//  - the token is 256 random bits kept only as a SHA-256 in `login_tokens`, used up by one
//    conditional UPDATE, bound to the user and email it was sent to, valid 15 minutes; the
//    library's token is the email AES-encrypted with the secret, reusable until it expires;
//  - nothing about the link is put in a cookie, and a bad link never reaches console.error;
//  - the link opens a page with a "Sign in" button, and only that POST uses the token up, so
//    a mail scanner that fetches links cannot spend it;
//  - sessions live in the `sessions` table (the cookie is a signed random id, new at every
//    sign-in), with a 7-day idle and a 30-day absolute limit.
import { parseWithZod } from '@conform-to/zod/v4'
import {
  createCookie,
  createSessionStorage,
  redirect,
  type AppLoadContext,
  type SessionStorage,
} from '@remix-run/node'
import { Authenticator } from 'remix-auth'
import { EmailLinkStrategy } from 'remix-auth-email-link'
import { z } from 'zod'
import {
  claimDueMail,
  dropMail,
  MAIL_QUEUE,
  markMailFailed,
  markMailSent,
  pruneMailOutbox,
  queueMail,
  retryMail,
  type OutgoingMail,
} from '~/models/mail-outbox.server'
import {
  consumeLoginToken,
  createLoginToken,
  deleteLoginToken,
  createSession,
  deleteSession,
  findSessionUser,
  LINK_TTL_MINUTES,
  pruneSessionsAndTokens,
  SESSION_ABSOLUTE_DAYS,
  type SessionUser,
  type TokenProblem,
} from '~/models/session.server'
import { pruneRateLimits } from '~/models/rate-limit.server'
import type { UserRole } from '~/models/schema'
import { createUser, findEnabledUserByEmail, type CreateUserResult } from '~/models/user.server'
import { safeRedirect } from '~/utils/redirect'
import { text } from '~/utils/validation'
import { MailNotSentError, sendMail, signInMail } from '~/services/email.server'
import { errorSummary } from '~/services/db.server'
import { queueStarted, sendJob } from '~/services/queue.server'
import { cookieSecret, env } from '~/services/env.server'
import { logger } from '~/services/logger.server'
import { LOGIN_LIMITS, takeRateLimit, type RateLimitResult } from './rate-limit.server'
import { oncePerRequest } from '~/services/request-scope.server'

export type { SessionUser }

export const SIGN_IN_PATH = '/login'
export const LINK_PATH = '/login/link'
/**
 * Every answer to a link request takes at least this long, so that an address that belongs to
 * a user (a token is written, a mail is sent) cannot be told apart by timing.
 */
export const LINK_REQUEST_MIN_MS = 800

interface SignIn {
  user: SessionUser
  redirectTo: string
}

export class SignInLinkError extends Error {
  constructor(readonly problem: TokenProblem) {
    super(`sign-in link ${problem}`)
  }
}

/** The "Sign in" button's form on the link's page. */
const SignInLinkForm = z.object({ token: text() })

class SignInLinkStrategy extends EmailLinkStrategy<SignIn> {
  /** The link to mail: APP_URL + a fresh single-use token; `domainUrl` (from the request) is ignored. */
  override async getMagicLink(email: string, _domainUrl: string, form: FormData): Promise<string> {
    const token = await createLoginToken({
      userId: String(form.get('userId')),
      email,
      redirectTo: safeRedirect(form.get('redirectTo')),
    })
    const url = new URL(LINK_PATH, env().APP_URL)
    url.searchParams.set('token', token)
    return url.toString()
  }

  /** The link's "Sign in" button: uses the token up, then asks `verify` for the user. */
  override async authenticate(request: Request): Promise<SignIn> {
    const submission = parseWithZod(await request.formData(), { schema: SignInLinkForm })
    // No token, or not text: the same answer as a wrong one.
    const consumed = await consumeLoginToken(submission.status === 'success' ? submission.value.token : '')
    if (!consumed.ok) throw new SignInLinkError(consumed.problem)
    const verified = new FormData()
    verified.set('redirectTo', consumed.redirectTo)
    return this.verify({ email: consumed.user.email, form: verified, magicLinkVerify: true })
  }
}

// Built on first use, as module state: the server loads the app once, from its build (server/).
let state: { storage: SessionStorage; authenticator: Authenticator<SignIn>; strategy: SignInLinkStrategy } | undefined

function auth() {
  if (state) return state
  const secret = cookieSecret()
  const storage = createSessionStorage({
    cookie: createCookie('tara_session', {
      httpOnly: true,
      sameSite: 'lax',
      secure: env().NODE_ENV === 'production',
      path: '/',
      secrets: [secret],
      maxAge: SESSION_ABSOLUTE_DAYS * 24 * 60 * 60,
    }),
    async createData(data) {
      return (await createSession({ userId: String(data.userId) })).id
    },
    async readData(id) {
      const user = await findSessionUser(id)
      return user ? { userId: user.id, user } : null
    },
    // The session holds nothing but its user, set once at sign-in.
    async updateData() {},
    async deleteData(id) {
      await deleteSession(id)
    },
  })
  const strategy = new SignInLinkStrategy(
    {
      secret,
      callbackURL: LINK_PATH,
      linkExpirationTime: LINK_TTL_MINUTES * 60_000,
      // Mail goes out from requestSignInLink, only to users who exist and are enabled.
      sendEmail: async () => {},
    },
    async ({ email, form }) => {
      const user = await findEnabledUserByEmail(email)
      if (!user) throw new SignInLinkError('invalid')
      return { user, redirectTo: safeRedirect(form.get('redirectTo')) }
    },
  )
  const authenticator = new Authenticator<SignIn>(storage)
  authenticator.use(strategy, 'email-link')
  state = { storage, authenticator, strategy }
  return state
}

/** A fresh sign-in link for a user (APP_URL + a single-use token). */
function linkFor(user: { id: string; email: string }, redirectTo = '/'): Promise<string> {
  const form = new FormData()
  form.set('userId', user.id)
  form.set('redirectTo', redirectTo)
  return auth().strategy.getMagicLink(user.email, env().APP_URL, form)
}

declare module '@remix-run/node' {
  interface AppLoadContext {
    /** Express's `req.ip` (server/app.ts), which honours TRUST_PROXY. */
    clientIp?: string
  }
}

/** The client's address, for per-address rate limits. */
export function clientAddress(context: AppLoadContext): string {
  return context.clientIp || 'unknown'
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The per-address limit on link requests: 20 per client address in 15 minutes. The /login
 * action asks this before it reads the request's body.
 */
export function takeSignInRequest(ip: string): Promise<RateLimitResult> {
  return takeRateLimit(LOGIN_LIMITS.perIp, ip)
}

/**
 * Someone asked for a sign-in link (after takeSignInRequest allowed their address). Only an
 * existing, enabled user gets one, and at most 5 in 15 minutes per email: past that, nothing
 * more is queued, but the links already sent keep working and the answer does not change. The
 * mail is queued in the outbox and sent after the answer, so the answer is the same, and takes
 * as long, whoever asks and whatever the mail server does.
 */
export async function requestSignInLink({
  email,
  redirectTo,
  minMs = LINK_REQUEST_MIN_MS,
}: {
  email: string
  redirectTo: string
  minMs?: number
}): Promise<void> {
  const floor = delay(minMs)
  try {
    const address = email.toLowerCase()
    const limit = await takeRateLimit(LOGIN_LIMITS.perEmail, address)
    const user = await findEnabledUserByEmail(address)
    if (user && limit.allowed) {
      await queueMail({ kind: 'sign-in', userId: user.id, email: user.email, redirectTo: safeRedirect(redirectTo) })
      kickMailDelivery()
    }
  } finally {
    await floor
  }
}

/** An admin adds a staff member, who gets a sign-in link by email (through the outbox). */
export async function inviteStaff({
  email,
  name,
  role,
  invitedBy,
}: {
  email: string
  name: string
  role: UserRole
  invitedBy: SessionUser
}): Promise<CreateUserResult> {
  const created = await createUser({ email, name, role })
  if (!created.ok) return created
  await queueMail({
    kind: 'invitation',
    userId: created.id,
    email: email.toLowerCase(),
    invitedBy: invitedBy.name ?? invitedBy.email,
  })
  kickMailDelivery()
  return created
}

/** "Send again" on /users: a mail that was given up is due again now. */
export async function resendMail(id: string): Promise<{ ok: true; email: string } | { ok: false }> {
  const result = await retryMail(id)
  if (result.ok) kickMailDelivery()
  return result
}

// ---------------------------------------------------------------------------------------------
// Delivery from the outbox, by the job queue: right after a mail is queued (kickMailDelivery)
// and every minute, for retries that fell due. Rows are claimed with a lease, so two instances
// never send the same mail; within one instance, rounds run one after another.

export interface DeliveryReport {
  sent: number
  retrying: number
  failed: number
}

/** Sends one claimed mail: a fresh link (token) made now, then SMTP or the dev outbox. */
async function deliverOne(mail: OutgoingMail): Promise<keyof DeliveryReport | null> {
  const user = await findEnabledUserByEmail(mail.email)
  if (!user || user.id !== mail.userId) {
    // Disabled, or their email changed, since the mail was queued: it must not go out.
    await dropMail(mail.id)
    return null
  }
  const link = await linkFor(user, mail.redirectTo)
  try {
    await sendMail(
      signInMail({
        to: mail.email,
        link,
        expiresInMinutes: LINK_TTL_MINUTES,
        shopName: env().SHOP_NAME,
        invitedBy: mail.kind === 'invitation' ? (mail.invitedBy ?? undefined) : undefined,
      }),
    )
  } catch (error) {
    if (!(error instanceof MailNotSentError)) throw error
    // The link was never seen by anyone: it is deleted with the failed attempt.
    await deleteLoginToken(new URL(link).searchParams.get('token') ?? '')
    const outcome = await markMailFailed({ id: mail.id, error: error.smtpCode, permanent: error.permanent })
    return outcome === 'failed' ? 'failed' : 'retrying'
  }
  await markMailSent(mail.id)
  return 'sent'
}

async function deliveryRound(): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0 }
  for (;;) {
    const claimed = await claimDueMail({ limit: 10 })
    if (claimed.length === 0) return report
    const outcomes = await Promise.all(claimed.map((mail) => deliverOne(mail)))
    for (const outcome of outcomes) if (outcome) report[outcome] += 1
  }
}

let round: Promise<DeliveryReport> | null = null
let again: Promise<DeliveryReport> | null = null

/**
 * Sends the mail that is due now and resolves when it is done, including a round already
 * running in this process (so tests can read the mail right after). Rounds never overlap within
 * one instance: a call during a round asks for one more round after it.
 */
export function deliverPendingMail(): Promise<DeliveryReport> {
  if (!round) {
    round = deliveryRound().finally(() => {
      round = null
    })
    return round
  }
  again ??= round
    .catch(() => undefined)
    .then(() => {
      again = null
      return deliverPendingMail()
    })
  return again
}

/**
 * Has the outbox delivered by the job queue (MAIL_QUEUE), right away by this instance's worker
 * when it has one, else by another instance's; a failure to queue is logged, never thrown (the
 * queue's every-minute run sends the mail then). Without a started queue (a script, a test)
 * nothing is queued: deliverPendingMail sends.
 */
function kickMailDelivery() {
  if (!queueStarted()) return
  sendJob(MAIL_QUEUE, {}).catch((error: unknown) => logger().warn(`mail delivery not queued: ${errorSummary(error)}`))
}

/** Deletes what can no longer be used: ended sessions, old links, old rate-limit hits. */
export async function pruneSignInData() {
  const { sessions, tokens } = await pruneSessionsAndTokens()
  return { sessions, tokens, rateLimitHits: await pruneRateLimits(), mail: await pruneMailOutbox() }
}

/** A link for `npm start` to print on the embedded demo (no mail is sent). */
export async function startupSignInLink(email: string): Promise<string | null> {
  const user = await findEnabledUserByEmail(email)
  return user ? linkFor(user) : null
}

/**
 * The link page's "Sign in" button: uses the token up and starts a new session (any session
 * the browser had before is deleted, so the id always changes at sign-in).
 */
export async function signInWithLink(request: Request): Promise<Response | { problem: TokenProblem }> {
  let signIn: SignIn
  try {
    signIn = await auth().authenticator.authenticate('email-link', request)
  } catch (error) {
    if (error instanceof SignInLinkError) return { problem: error.problem }
    throw error
  }
  const storage = auth().storage
  const previous = await storage.getSession(request.headers.get('Cookie'))
  if (previous.id) await storage.destroySession(previous)
  const session = await storage.getSession()
  session.set('userId', signIn.user.id)
  return redirect(signIn.redirectTo, { headers: { 'Set-Cookie': await storage.commitSession(session) } })
}

/** Deletes the session and its cookie. */
export async function signOut(request: Request): Promise<Response> {
  const storage = auth().storage
  const session = await storage.getSession(request.headers.get('Cookie'))
  return redirect(SIGN_IN_PATH, { headers: { 'Set-Cookie': await storage.destroySession(session) } })
}

/** The signed-in user, or null. The loaders of one request share one lookup. */
export function getUser(request: Request): Promise<SessionUser | null> {
  const cookie = request.headers.get('Cookie')
  if (!cookie?.includes('tara_session=')) return Promise.resolve(null)
  return oncePerRequest(`user:${cookie}`, () =>
    auth()
      .storage.getSession(cookie)
      .then((session) => (session.get('user') as SessionUser | undefined) ?? null),
  )
}

/** The signed-in user; anyone else is sent to the sign-in page, then back here. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request)
  if (user) return user
  const url = new URL(request.url)
  const here = `${url.pathname}${url.search}`
  throw redirect(here === '/' ? SIGN_IN_PATH : `${SIGN_IN_PATH}?${new URLSearchParams({ redirectTo: here })}`)
}

/** A signed-in admin; a signed-in `user` gets the 403 page. */
export async function requireAdmin(request: Request): Promise<SessionUser> {
  const user = await requireUser(request)
  if (user.role !== 'admin') throw new Response('Admins only', { status: 403, statusText: 'Forbidden' })
  return user
}

// Outgoing mail. With SMTP_URL, through nodemailer to that server; without it (development,
// tests, a demo on the embedded database) into the dev outbox: printed to the console and kept
// in memory so tests can read it.
import { remember } from '@epic-web/remember'
import nodemailer from 'nodemailer'
import { env } from './env.server'
import { logger } from './logger.server'

export interface Mail {
  to: string
  subject: string
  text: string
  html: string
}

export class MailNotSentError extends Error {
  override name = 'MailNotSentError'
  constructor(
    message: string,
    /** What went wrong, as SMTP says it: nodemailer's code and the server's reply code ("EENVELOPE 550"). */
    readonly smtpCode: string,
    /** The server refused for good (a 5xx reply): trying again will not help. */
    readonly permanent: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

const transport = (url: string) =>
  remember(`tara-hub.smtp:${url}`, () =>
    nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 }),
  )

const devOutbox = remember('tara-hub.dev-outbox', () => [] as (Mail & { from: string; at: Date })[])

/** Mail the dev outbox holds (newest last); empty when SMTP_URL is set. */
export function outbox(): readonly (Mail & { from: string; at: Date })[] {
  return devOutbox
}

/**
 * Sends one mail. An SMTP failure throws MailNotSentError; what is logged names the failure,
 * never the recipient or the body (which holds a sign-in link).
 */
export async function sendMail(mail: Mail, { smtpUrl = env().SMTP_URL }: { smtpUrl?: string } = {}): Promise<void> {
  const { MAIL_FROM } = env()
  if (!smtpUrl) {
    devOutbox.push({ ...mail, from: MAIL_FROM, at: new Date() })
    if (devOutbox.length > 100) devOutbox.shift()
    // Printed, not logged: without SMTP_URL the console is the mailbox (the demo's, and tests read it).
    console.log(`[dev outbox] To: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.text}\n`)
    return
  }
  try {
    await transport(smtpUrl).sendMail({ from: MAIL_FROM, ...mail })
  } catch (error) {
    const code = (error as { code?: string; responseCode?: number }).code ?? 'unknown'
    const status = (error as { responseCode?: number }).responseCode
    const smtpCode = `${code}${status ? ` ${status}` : ''}`
    logger().error(`mail not sent: SMTP ${smtpCode}`)
    throw new MailNotSentError('The email could not be sent.', smtpCode, status !== undefined && status >= 500, {
      cause: error,
    })
  }
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** The sign-in mail: the link, when it stops working, and what to do if it was not asked for. */
export function signInMail({
  to,
  link,
  expiresInMinutes,
  shopName,
  invitedBy,
}: {
  to: string
  link: string
  expiresInMinutes: number
  shopName: string
  invitedBy?: string
}): Mail {
  const intro = invitedBy
    ? `${invitedBy} has invited you to the back office of ${shopName}.`
    : `Here is your link to sign in to the back office of ${shopName}.`
  const expiry = `The link works once, for ${expiresInMinutes} minutes. After that, ask for a new one on the sign-in page.`
  const ignore = 'If you did not ask for this, ignore this email: nobody can sign in without the link.'
  return {
    to,
    subject: invitedBy ? `You are invited to ${shopName}` : `Sign in to ${shopName}`,
    text: `${intro}\n\nSign in: ${link}\n\n${expiry}\n\n${ignore}\n`,
    html:
      `<p>${escapeHtml(intro)}</p>` +
      `<p><a href="${escapeHtml(link)}">Sign in to ${escapeHtml(shopName)}</a></p>` +
      `<p>${escapeHtml(expiry)}</p><p>${escapeHtml(ignore)}</p>`,
  }
}

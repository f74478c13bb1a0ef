// Mail through a real SMTP server (smtp-server on a free port), and the dev outbox without one.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { MailNotSentError, outbox, sendMail, signInMail } from '~/services/email.server'
import { captureLogs } from '../setup/logs'
import { startSmtpSink } from '../setup/smtp-sink'

const LINK = 'http://localhost:3000/login/link?token=A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v'

describe('sending mail', () => {
  let sink: Awaited<ReturnType<typeof startSmtpSink>>
  beforeAll(async () => {
    sink = await startSmtpSink()
  })
  afterAll(() => sink.close())

  it('delivers the sign-in mail over SMTP, as text and HTML', async () => {
    await sendMail(signInMail({ to: 'ana@example.com', link: LINK, expiresInMinutes: 15, shopName: 'Tara' }), {
      smtpUrl: sink.url,
    })
    const mail = sink.messages.find((m) => m.to.includes('ana@example.com'))
    expect(mail?.subject).toBe('Sign in to Tara')
    expect(mail?.text).toContain(LINK)
    expect(mail?.html).toContain(`href="${LINK}"`)
  })

  it('turns a refused delivery into MailNotSentError and logs neither the address nor the link', async () => {
    const logs = captureLogs()
    try {
      const sending = sendMail(
        signInMail({ to: 'bounce-me@example.com', link: LINK, expiresInMinutes: 15, shopName: 'Tara' }),
        { smtpUrl: sink.url },
      )
      await expect(sending).rejects.toThrow(MailNotSentError)
      expect(logs.lines()).toEqual([expect.objectContaining({ level: 'error', msg: expect.stringMatching(/^mail not sent: SMTP/) })])
      expect(logs.text()).not.toContain('bounce-me')
      expect(logs.text()).not.toContain('token=')
    } finally {
      logs.restore()
    }
  })

  it('fails the same way when no mail server answers', async () => {
    const closed = await startSmtpSink()
    await closed.close()
    const logs = captureLogs()
    try {
      await expect(
        sendMail({ to: 'a@example.com', subject: 's', text: LINK, html: LINK }, { smtpUrl: closed.url }),
      ).rejects.toThrow(MailNotSentError)
      expect(logs.lines()).toHaveLength(1)
      expect(logs.text()).not.toContain('token=')
    } finally {
      logs.restore()
    }
  })

  it('without SMTP_URL keeps the mail in the dev outbox and prints it', async () => {
    const printed = vi.spyOn(console, 'log').mockImplementation(() => {})
    try {
      await sendMail({ to: 'dev@example.com', subject: 'Hello', text: `Sign in: ${LINK}`, html: '' }, { smtpUrl: undefined })
      expect(outbox().at(-1)).toMatchObject({ to: 'dev@example.com', subject: 'Hello' })
      expect(printed.mock.calls.flat().join('\n')).toContain(LINK)
    } finally {
      printed.mockRestore()
    }
  })
})

// A real SMTP server for tests (smtp-server), with the mail it received readable over HTTP:
//   GET /messages?to=ADDRESS → [{ to, subject, text, html }] oldest first;   GET /health → ok
// Recipients whose address starts with "bounce" are refused (550), as a failing mail server would.
// `delayMs` makes the server take that long to accept each mail, as a slow mail server would; a
// mail is listed once accepted.
// Run as a process by the e2e config, or in-process with startSmtpSink() by integration tests.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface SunkMail {
  to: string[]
  subject: string
  text: string
  html: string
}

export async function startSmtpSink({
  smtpPort = 0,
  httpPort,
  delayMs = 0,
}: { smtpPort?: number; httpPort?: number; delayMs?: number } = {}) {
  const messages: SunkMail[] = []
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.toLowerCase().startsWith('bounce')) {
        return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }))
      }
      callback()
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          // Kept when it is accepted (after `delayMs`): from then on the mail server has it.
          const accept = () => {
            messages.push({
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
            })
            callback()
          }
          if (delayMs > 0) setTimeout(accept, delayMs)
          else accept()
        },
        (error: Error) => callback(error),
      )
    },
  })
  await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve))
  const port = (smtp.server.address() as AddressInfo).port

  let web: http.Server | undefined
  if (httpPort !== undefined) {
    web = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://sink')
      if (url.pathname === '/health') return res.end('ok')
      if (url.pathname !== '/messages') return res.writeHead(404).end()
      const to = url.searchParams.get('to')?.toLowerCase()
      res.setHeader('Content-Type', 'application/json')
      res.end(JSON.stringify(to ? messages.filter((m) => m.to.includes(to)) : messages))
    })
    await new Promise<void>((resolve) => web!.listen(httpPort, '127.0.0.1', resolve))
  }
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()))
      if (web) await new Promise<void>((resolve) => web!.close(() => resolve()))
    },
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const smtpPort = Number(process.env.SMTP_SINK_PORT)
  const httpPort = Number(process.env.SMTP_SINK_HTTP_PORT)
  await startSmtpSink({ smtpPort, httpPort })
  console.log(`SMTP sink on ${smtpPort}, messages on http://127.0.0.1:${httpPort}/messages`)
}

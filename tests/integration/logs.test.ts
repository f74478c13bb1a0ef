// The logs of the real server (server/index.ts, the built app) over HTTP: JSON lines on stdout,
// one per request with the id sent back as X-Request-Id, that id on what the app logs while it
// handles the request, and never an email address, a searched term or a token. An invalid
// LOG_LEVEL stops the start with one line naming it.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../scripts/free-port'
import { logLines, type LogLine } from '../setup/logs'
import { runToEnd, signInWithToken } from '../setup/processes'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('the server logs, through npm start', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tara-logs-'))
  let appUrl = ''
  let cookie = ''
  let output = ''
  let stop = () => {}
  const waiting = new Set<() => void>()

  /** What `check` finds in the server's output once it finds something, looked for at each new chunk (at most 10 s). */
  function until<T>(check: () => T | undefined): Promise<T> {
    return new Promise((resolve, reject) => {
      const look = () => {
        const found = check()
        if (found === undefined) return
        waiting.delete(look)
        clearTimeout(timer)
        resolve(found)
      }
      const timer = setTimeout(() => {
        waiting.delete(look)
        reject(new Error(`not found within 10 s in:\n${output}`))
      }, 10_000)
      waiting.add(look)
      look()
    })
  }
  const lineWhere = (match: (line: LogLine) => boolean) => until(() => logLines(output).find(match))
  const lineOf = (requestId: string) => lineWhere((line) => line.requestId === requestId && 'status' in line)

  beforeAll(async () => {
    const port = await freePort()
    appUrl = `http://127.0.0.1:${port}`
    // A Redis that is not there: the sign-in rate limits fall back to the database, and say so
    // in a warning logged deep inside the request (app/services/redis.server.ts).
    const noRedis = await freePort()
    // An empty NODE_ENV is what a bare machine has: `npm start` defaults it to production (JSON lines).
    const env: Record<string, string | undefined> = {
      ...process.env,
      NODE_ENV: '',
      LOG_LEVEL: '',
      DATABASE_URL: '',
      SESSION_SECRET: '',
      SMTP_URL: '',
      REDIS_URL: `redis://127.0.0.1:${noRedis}`,
      PORT: String(port),
      APP_URL: appUrl,
      PGLITE_DIR: path.join(dir, 'pglite'),
      UPLOAD_DIR: path.join(dir, 'uploads'),
    }
    // Its own process group, so that stopping it stops npx, tsx and the app together.
    const child = spawn('npx', ['tsx', 'server/index.ts'], { env: env as NodeJS.ProcessEnv, detached: true })
    stop = () => process.kill(-child.pid!, 'SIGTERM')
    const started = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        if (/one-time link \(15 minutes\):\s+(\S+)\n/.test(output)) resolve()
        for (const look of [...waiting]) look()
      })
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
      child.once('exit', (code) => reject(new Error(`start exited with ${code}: ${output}`)))
    })
    await started
    const token = new URL(/one-time link \(15 minutes\):\s+(\S+)/.exec(output)![1]!).searchParams.get('token')!
    cookie = await signInWithToken(appUrl, token)
  }, 120_000)

  afterAll(() => {
    stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('says what it does at start in JSON lines, outside any request; the sign-in link stays plain text', () => {
    const lines = logLines(output)
    const ready = lines.find((line) => line.msg.includes(`Tara Hub is ready at ${appUrl} (pglite database)`))
    expect(ready).toMatchObject({ level: 'info', time: expect.any(String), pid: expect.any(Number) })
    expect(ready).not.toHaveProperty('requestId')
    expect(lines.find((line) => line.msg.startsWith('Loaded the demo:'))).toMatchObject({ level: 'info' })
    // The link is for the person at the console, as documented: a line of its own, not JSON.
    expect(output).toMatch(/^Sign in as admin@tara-hub\.local with this one-time link \(15 minutes\):$/m)
  })

  it('logs one line per request with the id it sent back as X-Request-Id', async () => {
    const page = await fetch(`${appUrl}/login`)
    expect(page.status).toBe(200)
    const requestId = page.headers.get('x-request-id')!
    expect(requestId).toMatch(UUID)
    const line = await lineOf(requestId)
    expect(line).toMatchObject({ level: 'info', method: 'GET', path: '/login', status: 200, requestId })
    expect(line.durationMs).toEqual(expect.any(Number))
    expect(line.msg).toMatch(/^GET \/login 200 in [\d.]+ ms$/)
    // Each request its own id.
    const again = await fetch(`${appUrl}/login`)
    expect(again.headers.get('x-request-id')).toMatch(UUID)
    expect(again.headers.get('x-request-id')).not.toBe(requestId)
  })

  it('logs a search without its query string', async () => {
    const search = await fetch(`${appUrl}/fabrics?q=secret-term&sort=name`, { headers: { Cookie: cookie } })
    expect(search.status).toBe(200)
    expect(await search.text()).toContain('secret-term')
    const line = await lineOf(search.headers.get('x-request-id')!)
    expect(line).toMatchObject({ method: 'GET', path: '/fabrics', status: 200 })
    expect(output).not.toContain('secret-term')
    expect(output).not.toContain('q=')
  })

  it('never logs the email of a sign-in; what the app logs meanwhile carries the request id', async () => {
    const signIn = (email: string) =>
      fetch(`${appUrl}/login`, {
        method: 'POST',
        headers: { Origin: appUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email }),
        redirect: 'manual',
      })
    const unknown = await signIn('someone.secret@example.com')
    expect(unknown.status).toBe(200)
    const requestId = unknown.headers.get('x-request-id')!
    expect(await lineOf(requestId)).toMatchObject({ method: 'POST', path: '/login', status: 200 })
    // Logged by the rate limits, which know nothing of requests: the context gave it the id.
    const fellBack = await lineWhere((line) => line.msg.startsWith('rate limits: Redis failed'))
    expect(fellBack).toMatchObject({ level: 'warn', requestId })
    // A known address gets a mail: the dev outbox prints it to the console (that is the demo's
    // mailbox), but no log line holds the address.
    const known = await signIn('admin@tara-hub.local')
    expect(known.status).toBe(200)
    await lineOf(known.headers.get('x-request-id')!)
    await until(() => (output.includes('[dev outbox] To: admin@tara-hub.local') ? true : undefined))
    expect(output).not.toContain('someone.secret')
    const logged = logLines(output)
    expect(logged.length).toBeGreaterThan(5)
    expect(JSON.stringify(logged)).not.toMatch(/admin@tara-hub\.local|@example\.com/)
  })

  it('scrubs a secret token from a path, and logs static files only at debug', async () => {
    const token = 'A'.repeat(43)
    const feed = await fetch(`${appUrl}/calendar/${token}.ics`)
    expect(feed.status).toBe(404)
    expect(await lineOf(feed.headers.get('x-request-id')!)).toMatchObject({ path: '/calendar/<token>.ics', status: 404 })
    expect(output).not.toContain(token)

    const file = await fetch(`${appUrl}/robots.txt`)
    expect(file.status).toBe(200)
    const fileId = file.headers.get('x-request-id')!
    expect(fileId).toMatch(UUID)
    await file.text()
    // A page requested after it is logged; the file, at debug, is not (LOG_LEVEL is info).
    const page = await fetch(`${appUrl}/login`)
    await lineOf(page.headers.get('x-request-id')!)
    expect(logLines(output).filter((line) => line.requestId === fileId)).toEqual([])
  })
})

describe('LOG_LEVEL', () => {
  it('refuses to start with a level it does not know, naming LOG_LEVEL in one line', async () => {
    const { status, output } = await runToEnd(['npx', 'tsx', 'server/index.ts'], {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'verbose',
      SESSION_SECRET: 'x'.repeat(40),
      DATABASE_URL: '',
      PGLITE_DIR: 'memory://',
    })
    expect(status).toBe(1)
    expect(output.trim()).toBe('Invalid environment: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent')
  })
})

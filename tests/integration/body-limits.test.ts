// Request bodies over real HTTP against the real server (server/index.ts): each route takes
// what it needs and no more, an oversized body is refused before it is read (the app's own
// 413 page, naming the limit), the server stays responsive meanwhile, and uploads of a normal
// size still work; a large body from another site gets the Origin check's 403 page, unread.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../scripts/free-port'
import { signInWithToken } from '../setup/processes'

const MB = 1024 * 1024

/** The answer to a request whose head says `headers` and whose body is sent as fast as the server takes it. */
function sendLarge(url: string, headers: http.OutgoingHttpHeaders, total: number) {
  return new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers })
    const chunk = Buffer.alloc(MB, 'a')
    let sent = 0
    let answered = false
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length
        if (!request.write(chunk)) {
          request.once('drain', pump)
          return
        }
      }
    }
    const deadline = setTimeout(() => {
      request.destroy()
      reject(new Error(`no answer within 5 s (${sent / MB} MB sent): the server is reading the body`))
    }, 5_000)
    request.on('response', (response) => {
      answered = true
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (text: string) => (body += text))
      response.on('end', () => {
        clearTimeout(deadline)
        request.destroy()
        resolve({ status: response.statusCode!, type: String(response.headers['content-type']), body })
      })
    })
    request.on('error', (error) => {
      if (!answered) {
        clearTimeout(deadline)
        reject(error)
      }
    })
    pump()
  })
}

describe('request body limits, through npm start', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tara-body-limits-'))
  let appUrl = ''
  let cookie = ''
  let stop = () => {}

  beforeAll(async () => {
    const port = await freePort()
    appUrl = `http://127.0.0.1:${port}`
    // An empty NODE_ENV is what a bare machine has: `npm start` defaults it.
    const env: Record<string, string | undefined> = {
      ...process.env,
      NODE_ENV: '',
      DATABASE_URL: '',
      SESSION_SECRET: '',
      SMTP_URL: '',
      SHOP_CURRENCY: 'USD',
      PORT: String(port),
      APP_URL: appUrl,
      PGLITE_DIR: path.join(dir, 'pglite'),
      UPLOAD_DIR: path.join(dir, 'uploads'),
    }
    // Its own process group, so that stopping it stops npx, tsx and the app together.
    const child = spawn('npx', ['tsx', 'server/index.ts'], { env: env as NodeJS.ProcessEnv, detached: true })
    stop = () => process.kill(-child.pid!, 'SIGTERM')
    const output = await new Promise<string>((resolve, reject) => {
      let text = ''
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString()
        const link = /one-time link \(15 minutes\):\s+(\S+)\n/.exec(text)
        if (link) resolve(text)
      })
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()))
      child.once('exit', (code) => reject(new Error(`start exited with ${code}: ${text}`)))
    })
    const token = new URL(/one-time link \(15 minutes\):\s+(\S+)/.exec(output)![1]!).searchParams.get('token')!
    cookie = await signInWithToken(appUrl, token)
  }, 120_000)

  afterAll(() => {
    stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('refuses a 256 MB sign-in form at once with the 413 page, and /healthz answers meanwhile', async () => {
    const refused = sendLarge(
      `${appUrl}/login`,
      { Origin: appUrl, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': 256 * MB },
      256 * MB,
    )
    const started = performance.now()
    const health = await fetch(`${appUrl}/healthz`)
    const healthMs = performance.now() - started
    expect(health.status).toBe(200)
    expect(healthMs).toBeLessThan(2_000)
    const answer = await refused
    expect(answer.status).toBe(413)
    expect(answer.type).toMatch(/^text\/html/)
    // The app's own page (its layout and stylesheet), saying what the limit is.
    expect(answer.body).toContain('<section class="error-page"><h1>What you sent is too large</h1>')
    expect(answer.body).toContain('This page takes at most 64 KB')
    expect(answer.body).toMatch(/<style nonce=/)
  })

  it("refuses a large body from another site's page with the Origin check's 403 page, without reading it", async () => {
    const answer = await sendLarge(
      `${appUrl}/login`,
      { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': 256 * MB },
      256 * MB,
    )
    expect(answer.status).toBe(403)
    expect(answer.type).toMatch(/^text\/html/)
    expect(answer.body).toContain('<h1>Not saved: this came from another address</h1>')
    expect(answer.body).toContain(`but the app is set up for <strong>${appUrl}</strong>`)
  })

  it('refuses a body of unknown length (chunked) with 411, without reading it', async () => {
    const answer = await sendLarge(
      `${appUrl}/login`,
      { Origin: appUrl, 'Content-Type': 'application/x-www-form-urlencoded', 'Transfer-Encoding': 'chunked' },
      256 * MB,
    )
    expect(answer.status).toBe(411)
    expect(answer.body).toContain('This page takes at most 64 KB')
  })

  it('holds an upload route to its documented size: the Etsy listings file, 20 MB', async () => {
    const answer = await sendLarge(
      `${appUrl}/fabrics/import`,
      { Origin: appUrl, Cookie: cookie, 'Content-Type': 'multipart/form-data; boundary=x', 'Content-Length': 21 * MB },
      21 * MB,
    )
    expect(answer.status).toBe(413)
    expect(answer.body).toContain('This page takes at most 20.1 MB')
    // The same with JavaScript on (single fetch posts to the route's .data address).
    const enhanced = await sendLarge(
      `${appUrl}/fabrics/import.data`,
      { Origin: appUrl, Cookie: cookie, 'Content-Type': 'multipart/form-data; boundary=x', 'Content-Length': 21 * MB },
      21 * MB,
    )
    expect(enhanced.status).toBe(413)
  })

  it('still takes an upload of a normal size, larger than a plain form', async () => {
    const fixture = readFileSync('tests/fixtures/etsy/EtsyListingsDownload.csv', 'utf8')
    const [header, ...lines] = fixture.split(/\r?\n/).filter(Boolean)
    const file = [header, ...Array.from({ length: 100 }, () => lines).flat()].join('\r\n')
    expect(file.length).toBeGreaterThan(MB / 2)
    const form = new FormData()
    form.append('file', new Blob([file], { type: 'text/csv' }), 'EtsyListingsDownload.csv')
    const response = await fetch(`${appUrl}/fabrics/import`, {
      method: 'POST',
      headers: { Origin: appUrl, Cookie: cookie },
      body: form,
    })
    expect([200, 422]).toContain(response.status)
    expect(await response.text()).toContain('<h2 id="preview-title">Preview</h2>')
  })
})

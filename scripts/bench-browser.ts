// The budgets of DESIGN.md §8 that only a browser can measure: the real app (`npm start` on a
// fresh embedded database) in Chromium, on slow 3G as Chrome's preset applies it (400 kbit/s,
// 2 s latency on every request), emulated with the DevTools protocol.
//   - the sign-in page, first visit: until its form is visible and can be submitted (≤ 5 s);
//   - the fabric list, repeat visit, signed in (≤ 3 s);
//   - the fabric list's first visit with JavaScript off (≤ 30 KB over the wire) and on (≤ 120 KB);
// and the bytes each of them took over the wire (headers and gzip body, as sent), and its first
// contentful paint (the one deferred script must not delay it).
import { spawn } from 'node:child_process'
import { chromium, type BrowserContext, type Page } from '@playwright/test'
import { freePort } from './free-port'

const SLOW_3G = { offline: false, latency: 2000, downloadThroughput: 50_000, uploadThroughput: 50_000 }

/** `npm start` on a fresh in-memory embedded database; resolves with the one-time sign-in link. */
async function startApp(port: number) {
  const appUrl = `http://127.0.0.1:${port}`
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: '',
    DATABASE_URL: '',
    SMTP_URL: '',
    PGLITE_DIR: 'memory://',
    SESSION_SECRET: 'bench-only-session-secret-0123456789abcdef',
    PORT: String(port),
    APP_URL: appUrl,
  }
  // Its own process group, so that stopping it stops npx, tsx and the app together.
  const child = spawn('npx', ['tsx', 'server/index.ts'], { env: env as NodeJS.ProcessEnv, detached: true })
  let output = ''
  const link = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const found = output.match(/one-time link[^\n]*\n\s+(\S+)/)?.[1]
      if (found) resolve(found)
    })
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('exit', (code) => reject(new Error(`the app exited with ${code}: ${output}`)))
  })
  return { appUrl, link, stop: () => process.kill(-child.pid!, 'SIGTERM') }
}

/** A page on emulated slow 3G, counting the bytes it receives. */
async function slowPage(context: BrowserContext) {
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', SLOW_3G)
  let bytes = 0
  let requests = 0
  cdp.on('Network.loadingFinished', (event) => {
    bytes += event.encodedDataLength
    requests += 1
  })
  return {
    page,
    /** Loads `url` and waits for `ready`; the time it took and what crossed the wire. */
    async visit(url: string, ready: (page: Page) => Promise<void>) {
      bytes = 0
      requests = 0
      const started = performance.now()
      await page.goto(url, { waitUntil: 'commit' })
      await ready(page)
      const ms = performance.now() - started
      await page.waitForLoadState('load')
      // First paint, from the navigation's start: the deferred script must not delay it.
      const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null)
      return { ms, bytes, requests, paint }
    },
  }
}

export async function benchInBrowser() {
  const app = await startApp(await freePort())
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  })
  try {
    console.log('\nIn Chromium on slow 3G (400 kbit/s, 2 s latency per request), JavaScript on:')
    const visitor = await browser.newContext()
    const login = await (await slowPage(visitor)).visit(`${app.appUrl}/login`, (page) =>
      page.getByRole('button', { name: 'Email me a sign-in link' }).waitFor(),
    )
    await visitor.close()
    const line = (name: string, r: { ms: number; bytes: number; requests: number; paint: number | null }, budget: string) =>
      console.log(
        `  ${name.padEnd(34)} ${`${(r.ms / 1000).toFixed(2)} s`.padStart(7)}   ${`${(r.bytes / 1024).toFixed(1)} KB`.padStart(8)} in ${r.requests} request(s)   first paint ${r.paint === null ? '—' : `${(r.paint / 1000).toFixed(2)} s`}   budget ${budget}`,
      )
    line('sign-in page, first visit', login, '5 s')

    const staff = await browser.newContext()
    const setup = await staff.newPage()
    await setup.goto(app.link)
    await setup.getByRole('button', { name: 'Sign in' }).click()
    await setup.getByRole('button', { name: 'Sign out' }).waitFor()
    await setup.close()
    const slow = await slowPage(staff)
    const table = (page: Page) => page.getByRole('table').waitFor()
    await slow.visit(`${app.appUrl}/fabrics`, table)
    const repeat = await slow.visit(`${app.appUrl}/fabrics`, table)
    line('fabric list, repeat visit', repeat, '3 s')

    const signedIn = await staff.storageState()
    const noJs = await browser.newContext({ storageState: signedIn, javaScriptEnabled: false })
    const first = await (await slowPage(noJs)).visit(`${app.appUrl}/fabrics`, table)
    line('fabric list, first visit, JS off', first, '30 KB')
    await noJs.close()
    const fresh = await browser.newContext({ storageState: signedIn })
    line('fabric list, first visit, JS on', await (await slowPage(fresh)).visit(`${app.appUrl}/fabrics`, table), '120 KB')
    await fresh.close()
    await staff.close()
  } finally {
    await browser.close()
    app.stop()
  }
}

// Every e2e test fails on a console error it did not expect, comes from its own client address
// (X-Forwarded-For, trusted by the e2e apps), and can sign in through the real form and mail.
import { randomInt } from 'node:crypto'
import { test as base, expect, type Page } from '@playwright/test'
import pg from 'pg'
import { servers } from '../../playwright.config'

export const test = base.extend<{ expectedConsoleErrors: RegExp[]; consoleGuard: void }>({
  expectedConsoleErrors: [[], { option: true }],
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a fixture needs from this pattern
  extraHTTPHeaders: async ({}, provide) => {
    await provide({ 'X-Forwarded-For': `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}` })
  },
  consoleGuard: [
    async ({ page, expectedConsoleErrors }, use) => {
      const errors: string[] = []
      page.on('console', (message) => {
        if (message.type() !== 'error') return
        const text = message.text()
        if (!expectedConsoleErrors.some((re) => re.test(text))) errors.push(text)
      })
      page.on('pageerror', (error) => errors.push(error.message))
      await use()
      expect(errors, 'unexpected console errors').toEqual([])
    },
    { auto: true },
  ],
})

export { expect }

/** No cookies: a visitor who is not signed in. */
export const signedOut = { cookies: [], origins: [] }

export interface SunkMail {
  to: string[]
  subject: string
  text: string
  html: string
}

/** The mail the SMTP sink received for an address, oldest first. */
export async function mailTo(address: string): Promise<SunkMail[]> {
  const response = await fetch(`${servers.mailbox.url}/messages?to=${encodeURIComponent(address)}`)
  return (await response.json()) as SunkMail[]
}

/**
 * The mail to an address once at least `count` have arrived (the app sends after it answers,
 * from its outbox): polls the sink for up to 15 s.
 */
export async function waitForMail(address: string, count = 1): Promise<SunkMail[]> {
  let mails: SunkMail[] = []
  await expect
    .poll(async () => (mails = await mailTo(address)).length, {
      message: `${count} mail(s) to ${address}`,
      timeout: 15_000,
      intervals: [50, 100, 250, 500],
    })
    .toBeGreaterThanOrEqual(count)
  return mails
}

/** The sign-in link in the newest mail to an address, once at least `count` mails have arrived. */
export async function latestLink(address: string, count = 1): Promise<string> {
  const mails = await waitForMail(address, count)
  const link = mails.at(-1)?.text.match(/https?:\/\/\S+\/login\/link\?token=[\w-]+/)?.[0]
  if (!link) throw new Error(`no sign-in link was mailed to ${address}`)
  return link
}

/** Asks for a link on the sign-in form (already open), and waits for "Check your email". */
export async function askForLink(page: Page, email: string) {
  await page.getByLabel('Email').fill(email)
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible()
}

/** Signs in through the form and the mailed link; ends on `path` (or where it redirects). */
export async function signIn(page: Page, baseUrl: string, email: string, path = '/') {
  const before = (await mailTo(email)).length
  await page.goto(`${baseUrl}${path}`)
  await askForLink(page, email)
  await page.goto(await latestLink(email, before + 1))
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
}

/** Runs one statement on the PostgreSQL e2e app's database; returns its rows. */
export async function onDatabase<T extends pg.QueryResultRow>(text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: servers.postgres.databaseUrl })
  await client.connect()
  try {
    return (await client.query<T>(text, values)).rows
  } finally {
    await client.end()
  }
}

// The jobs page with JavaScript off, on the PostgreSQL app (which runs its jobs: JOBS=on): an admin
// sees every kind of job with its schedule and next run in the shop's time zone; "Run now" runs
// one and its run shows as done with its result; a backup that cannot write fails, shows its error
// on /admin/jobs and a warning on the admins' dashboard (not on staff's), and "Retry" runs it again
// once the backup directory is back. Staff who are not admins get the 403 page.
import { randomInt } from 'node:crypto'
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Page } from '@playwright/test'
import { common, servers } from '../../playwright.config'
import { expect, onDatabase, signedOut, signIn, test } from './fixtures'
import { axeOf, describeViolations, twinPage } from './tablet-helpers'

const app = servers.postgres.url

// Each kind's title and schedule in words, with BACKUP_AT and ROLLUP_EVERY at their defaults.
const KINDS: [string, string][] = [
  ['Backup', 'Every day at 03:30'],
  ['Analytics of today', 'Every 15 minutes'],
  ['Analytics of yesterday', 'Every day at 00:05'],
  ['Analytics after a change', 'None: the app sends it when something needs it'],
  ['Sign-in and invitation mail', 'Every minute'],
  ['Clean-up', 'Every hour at :17'],
]

const kind = (page: Page, title: string) => page.getByRole('region', { name: title, exact: true })
const lastRun = (page: Page, title: string) => kind(page, title).locator('tbody tr').first()

/**
 * Opens /admin/jobs again until the last run of `title` reads `state` (the queue picks a job sent
 * here up at once and polls every 2 s): no fixed waits.
 */
async function waitForLastRun(page: Page, title: string, state: string) {
  await expect(async () => {
    await page.goto(`${app}/admin/jobs`)
    await expect(lastRun(page, title).locator('td').nth(1)).toHaveText(new RegExp(`^${state}`), { timeout: 500 })
  }).toPass({ timeout: 30_000, intervals: [250, 500, 1000] })
}

test('an admin sees every kind of job, with its schedule and its next run in the shop’s time zone', async ({ page }) => {
  await page.goto(`${app}/`)
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click()
  await expect(page).toHaveURL(`${app}/admin/jobs`)
  await expect(page.getByRole('heading', { level: 1, name: 'Jobs' })).toBeVisible()
  await expect(page.getByText("Times are the shop's (America/New_York).")).toBeVisible()
  await expect(page.locator('main section h2')).toHaveText(KINDS.map(([title]) => title))
  for (const [title, schedule] of KINDS) {
    const section = kind(page, title)
    await expect(section.locator('dd').first()).toHaveText(schedule)
    await expect(section.locator('dd').nth(2)).toHaveText(/^\d+ waiting, \d+ running, \d+ failed$/)
  }
  // 03:30 in New York (08:30 or 07:30 UTC), the day it next comes.
  await expect(kind(page, 'Backup').locator('dd').nth(1)).toHaveText(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2}( \d{4})?, 03:30$/)
  await expect(kind(page, 'Analytics after a change').locator('dd').nth(1)).toHaveText('—')
  // Run now for every scheduled kind; the analytics of a change's days has nothing to run by hand.
  for (const [title] of KINDS.filter(([title]) => title !== 'Analytics after a change')) {
    await expect(page.getByRole('button', { name: `Run ${title} now`, exact: true })).toBeVisible()
  }
  await expect(kind(page, 'Analytics after a change').getByRole('button')).toHaveCount(0)
})

test('Run now runs a job at once, and its run shows as done with its result', async ({ page }) => {
  await page.goto(`${app}/admin/jobs`)
  await page.getByRole('button', { name: 'Run Clean-up now', exact: true }).click()
  await expect(page.getByRole('status')).toHaveText('Clean-up queued.')
  await waitForLastRun(page, 'Clean-up', 'Done')
  const run = lastRun(page, 'Clean-up').locator('td')
  await expect(run.nth(4)).toHaveText(/^Deleted \d+ ended session\(s\), \d+ sign-in link\(s\), .* \d+ stale upload\(s\)\.$/)
  await expect(run.nth(0)).toHaveText(/^\d{1,2} [A-Z][a-z]{2}( \d{4})?, \d{2}:\d{2}$/)
  await expect(run.nth(2)).toHaveText(/^\d+ ms$|^[\d.]+ s$/)
  await expect(run.nth(3)).toHaveText('1')
})

test('a form that names no job or no run is refused with a message, never a server error', async ({ page }) => {
  const post = (form: Record<string, string>) => page.request.post(`${app}/admin/jobs`, { form, headers: { Origin: app } })
  const cases: [Record<string, string>, string][] = [
    [{ intent: 'run', kind: 'no-such-job' }, 'There is no such job to run now.'],
    [{ intent: 'run', kind: 'analytics-days' }, 'There is no such job to run now.'],
    [{ intent: 'retry', kind: 'backup', id: 'not-a-uuid' }, 'There is no such job run to retry.'],
    [{ intent: 'retry', kind: 'backup; drop table users', id: '00000000-0000-4000-8000-000000000000' }, 'There is no such job.'],
    [{ intent: 'nothing' }, 'Choose Run now or Retry.'],
  ]
  for (const [form, message] of cases) {
    const response = await post(form)
    expect(response.status(), JSON.stringify(form)).toBe(400)
    expect(await response.text()).toContain(message)
  }
  // A run that is not a failed one (or no longer kept): nothing to retry.
  const unknown = await post({ intent: 'retry', kind: 'backup', id: '00000000-0000-4000-8000-000000000000' })
  expect(unknown.status()).toBe(409)
  expect(await unknown.text()).toContain('has not failed, or is no longer kept')
})

test('a backup that cannot write fails with its error and a dashboard warning; Retry runs it once it can', async ({ page, browser }) => {
  // Two sign-ins, two accessibility scans and three runs of the queue: more than the usual 30 s on a busy machine.
  test.setTimeout(60_000)
  // Staff who are not admins, signed in before anything breaks: they must not see the warning.
  const staffEmail = `jobs-${randomInt(1_000_000_000)}@example.com`
  await onDatabase("insert into users (email, name, role) values ($1, 'Shop helper', 'user')", [staffEmail])
  const staff = await browser.newContext({
    storageState: signedOut,
    javaScriptEnabled: false,
    extraHTTPHeaders: { 'X-Forwarded-For': `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}` },
  })
  // The accessibility scan's page (axe needs scripts: tablet-helpers.ts).
  const twinContext = await browser.newContext({ storageState: signedOut, javaScriptEnabled: true })
  const dir = common.BACKUP_DIR
  const aside = `${dir}.aside-${process.pid}`
  const hadDir = existsSync(dir)
  try {
    const staffPage = await staff.newPage()
    await signIn(staffPage, app, staffEmail)

    // The backup directory's path holds a plain file: no backup can be written there.
    mkdirSync(path.dirname(dir), { recursive: true })
    if (hadDir) renameSync(dir, aside)
    writeFileSync(dir, 'not a directory\n')

    await page.goto(`${app}/admin/jobs`)
    await page.getByRole('button', { name: 'Run Backup now', exact: true }).click()
    await expect(page.getByRole('status')).toHaveText('Backup queued.')
    await waitForLastRun(page, 'Backup', 'Failed')
    const failed = lastRun(page, 'Backup').locator('td')
    // The error as the job summed it up: its kind and cause, no stack.
    await expect(failed.nth(4)).toHaveText(/^BackupError: Cannot write the backup to \S+: .*\(E(EXIST|NOTDIR)\)\.$/)
    await expect(failed.nth(4)).not.toContainText('    at ')
    await expect(failed.nth(3)).toHaveText('1')
    await expect(kind(page, 'Backup').locator('dd').nth(2)).toHaveText(/, [1-9]\d* failed$/)
    // What only a failure shows (the Retry button, the warning) passes the accessibility scan too.
    const twin = await twinPage(twinContext)
    expect(describeViolations(await axeOf(page, twin)).join('\n')).toBe('')

    // The admins' dashboard says which job, what is wrong, and where to look.
    await page.goto(`${app}/`)
    const warning = page.getByRole('region', { name: 'Background jobs need attention' })
    await expect(warning).toContainText(/Backup: its last run failed \(\d{1,2} [A-Z][a-z]{2}( \d{4})?, \d{2}:\d{2}\): .*Error/)
    expect(describeViolations(await axeOf(page, twin)).join('\n')).toBe('')
    await warning.getByRole('link', { name: 'See the jobs page' }).click()
    await expect(page).toHaveURL(`${app}/admin/jobs`)
    // Staff's dashboard has no such warning: the jobs page is not theirs.
    await staffPage.goto(`${app}/`)
    await expect(staffPage.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
    await expect(staffPage.getByText('Background jobs need attention')).toHaveCount(0)

    // The directory back, Retry runs the same run again: done on its second try.
    rmSync(dir)
    if (hadDir) renameSync(aside, dir)
    await page.goto(`${app}/admin/jobs`)
    await kind(page, 'Backup').getByRole('button', { name: /^Retry Backup run of / }).first().click()
    await expect(page.getByRole('status')).toHaveText('Backup: the failed run is queued again.')
    await waitForLastRun(page, 'Backup', 'Done')
    const done = lastRun(page, 'Backup').locator('td')
    await expect(done.nth(4)).toHaveText(/^(Backup tara-\S+\.dump \([\d.]+ (KB|MB)\)\.|No new backup: .*)$/)
    await expect(done.nth(3)).toHaveText('2')
    await expect(kind(page, 'Backup').getByRole('button', { name: /^Retry/ })).toHaveCount(0)
    await page.goto(`${app}/`)
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
    await expect(page.getByText('Backup: its last run failed')).toHaveCount(0)
  } finally {
    // Other specs back up into this directory: leave it as it was found.
    if (existsSync(dir) && !statSync(dir).isDirectory()) rmSync(dir)
    if (hadDir && existsSync(aside)) renameSync(aside, dir)
    await staff.close()
    await twinContext.close()
  }
})

test.describe('staff who are not admins', () => {
  test.use({ storageState: signedOut, expectedConsoleErrors: [/status of 403/] })

  test('cannot see the jobs page nor run or retry a job', async ({ page }) => {
    const email = `jobs-staff-${randomInt(1_000_000_000)}@example.com`
    await onDatabase("insert into users (email, name, role) values ($1, 'Shop helper', 'user')", [email])
    await signIn(page, app, email)
    await expect(page.getByRole('link', { name: 'Jobs' })).toHaveCount(0)
    expect((await page.goto(`${app}/admin/jobs`))?.status()).toBe(403)
    await expect(page.getByRole('heading', { level: 1, name: 'You do not have access to this page' })).toBeVisible()
    for (const form of [
      { intent: 'run', kind: 'backup' } as Record<string, string>,
      { intent: 'retry', kind: 'backup', id: '00000000-0000-4000-8000-000000000000' },
    ]) {
      const post = await page.request.post(`${app}/admin/jobs`, { form, headers: { Origin: app } })
      expect(post.status()).toBe(403)
    }
  })
})

// Backups with JavaScript off, on the PostgreSQL app: an admin takes one from /admin/backups, sees
// it listed with its size, age and "Not yet restored", and downloads it (a pg_dump custom-format
// file); staff who are not admins get a 403 and cannot start one. The page tells each kind of shop
// how to back up every day: cron on PostgreSQL, the button on the embedded database.
import { randomInt } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { servers } from '../../playwright.config'
import { expect, onDatabase, signedOut, signIn, test } from './fixtures'

const app = servers.postgres.url

test('an admin backs up the shop, sees the backup listed and downloads it', async ({ page }) => {
  await page.goto(`${app}/admin/backups`)
  await expect(page.getByRole('heading', { level: 1, name: 'Backups' })).toBeVisible()
  const rowsBefore = await page.locator('tbody tr').count()

  await page.getByRole('button', { name: 'Back up now' }).click()
  const flash = page.getByRole('status')
  await expect(flash).toHaveText(/^Backed up: tara-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z(-\d+)?\.dump \([\d.]+ KB\)\.$/)
  const name = /(tara-[^ ]+\.dump)/.exec((await flash.textContent()) ?? '')![1]!
  await expect(page.locator('tbody tr')).toHaveCount(rowsBefore + 1)
  const row = page.locator('tbody tr').first()
  await expect(row).toContainText('Daily')
  await expect(row).toContainText('Not yet restored')
  await expect(row.locator('td').nth(1)).toHaveText('0 min')
  await expect(row.locator('td').nth(2)).toHaveText(/^[\d.]+ KB$/)

  const download = page.waitForEvent('download')
  await row.getByRole('link', { name: `Download ${name}` }).click()
  const file = await download
  expect(file.suggestedFilename()).toBe(name)
  // pg_dump's custom format starts with "PGDMP".
  expect(readFileSync((await file.path())!).subarray(0, 5).toString()).toBe('PGDMP')

  const missing = await page.request.get(`${app}/admin/backups/..%2F..%2Fetc%2Fpasswd`)
  expect(missing.status()).toBe(404)
})

test('on PostgreSQL, the page says when the app backs up by itself, and gives the command to take one by hand', async ({ page }) => {
  await page.goto(`${app}/admin/backups`)
  const schedule = page.getByRole('region', { name: 'Backing up every day' })
  // The e2e shop is in New York, with the default BACKUP_AT and BACKUP_WEEKLY_ON.
  await expect(schedule).toContainText("The app backs up by itself every day at 03:30 (the shop's time); on Sundays the backup is the weekly one.")
  await expect(schedule).toContainText(/The next: .*03:30/)
  await expect(schedule.getByRole('link', { name: 'Jobs' })).toHaveAttribute('href', '/admin/jobs')
  await expect(schedule.locator('pre')).toHaveText(/^cd \S+ && npm run db:backup$/)
  await expect(schedule).not.toContainText('crontab')
  await expect(schedule).not.toContainText('postgres://')
  await expect(schedule).toContainText('It needs pg_dump at least as new as the database server')
})

test('on the embedded database, the page says the button works while the app runs, and the command only once it is stopped', async ({
  page,
}) => {
  const embedded = servers.embedded.url
  await page.goto(`${embedded}/admin/backups`)
  const schedule = page.getByRole('region', { name: 'Backing up every day' })
  await expect(schedule).toContainText('The app backs up by itself every day at 03:30')
  await expect(schedule).toContainText('This shop keeps its data in the built-in database')
  await expect(schedule).toContainText('While the app is running, Back up now above takes one more at once.')
  await expect(schedule).toContainText('The command npm run db:backup works only while the app is stopped')
  await expect(schedule.locator('pre')).toHaveText(/^cd \S+ && npm run db:backup$/)
  // No advice that cannot work here: no db:backup on a timer while the app runs.
  await expect(schedule.locator('pre')).toHaveCount(1)
  await expect(schedule).not.toContainText('--if-older-than')
  await expect(schedule).not.toContainText('crontab')

  // What the page advises works: a backup of the running app's embedded database (as SQL).
  await page.getByRole('button', { name: 'Back up now' }).click()
  await expect(page.getByRole('status')).toHaveText(/^Backed up: tara-[\dT-]+Z(-\d+)?\.sql \([\d.]+ (KB|MB)\)\.$/)
})

test.describe('staff who are not admins', () => {
  test.use({ storageState: signedOut, expectedConsoleErrors: [/status of 403/] })

  test('cannot see, start or download backups', async ({ page }) => {
    const email = `backups-${randomInt(1_000_000_000)}@example.com`
    await onDatabase("insert into users (email, name, role) values ($1, 'Shop helper', 'user')", [email])
    await signIn(page, app, email)
    await expect(page.getByRole('link', { name: 'Backups' })).toHaveCount(0)
    expect((await page.goto(`${app}/admin/backups`))?.status()).toBe(403)
    const post = await page.request.post(`${app}/admin/backups`, { headers: { Origin: app } })
    expect(post.status()).toBe(403)
  })
})

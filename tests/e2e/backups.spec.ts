// Backups with JavaScript off, on the PostgreSQL app: an admin takes one from /admin/backups, sees
// it listed with its size, age and "Not yet restored", and downloads it (a pg_dump custom-format
// file); staff who are not admins get a 403 and cannot start one.
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

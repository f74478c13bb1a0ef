// Destructive actions ask first (components/confirm.tsx), with JavaScript on: the link opens the
// question as a modal <dialog> (showModal) without leaving the page; Escape and the cancel link
// close it without acting; the real button acts. A question the page renders open (the ?flag
// address, or the fabric list's bulk archive) becomes a modal one too.
import { randomBytes } from 'node:crypto'
import { servers } from '../../playwright.config'
import { expect, onDatabase, test } from './fixtures'
import type { Locator, Page } from '@playwright/test'

const app = servers.postgres.url

const mark = (page: Page) => page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 1))
const marked = (page: Page) => page.evaluate(() => (window as unknown as { __marker?: number }).__marker ?? null)
const isModal = (dialog: Locator) => dialog.evaluate((d) => d.matches(':modal'))

test('deleting a calendar entry: Escape and “Keep it” do nothing, the named button deletes', async ({ page }) => {
  const title = `Enhanced giveaway ${randomBytes(3).toString('hex')}`
  await page.goto(`${app}/calendar/entries/new`)
  await page.getByLabel('Title').fill(title)
  await page.getByRole('button', { name: 'Add to calendar' }).click()
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible()
  const entryUrl = page.url()
  await mark(page)

  const ask = page.getByRole('link', { name: `Delete entry “${title}”…` })
  const dialog = page.getByRole('dialog', { name: `Delete “${title}”?` })
  await ask.click()
  await expect(dialog).toBeVisible()
  expect(await isModal(dialog)).toBe(true)
  await expect(page).toHaveURL(entryUrl)
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(ask).toBeFocused()

  await ask.click()
  await dialog.getByRole('link', { name: 'Keep it' }).click()
  await expect(dialog).toBeHidden()
  await expect(page).toHaveURL(entryUrl)
  expect(await onDatabase('select id from content_calendar where title = $1', [title])).toHaveLength(1)

  await ask.click()
  await dialog.getByRole('button', { name: `Delete entry “${title}”` }).click()
  await expect(page.getByRole('status')).toHaveText('Entry deleted.')
  await expect(page).toHaveURL(`${app}/calendar`)
  expect(await onDatabase('select id from content_calendar where title = $1', [title])).toHaveLength(0)
  expect(await marked(page)).toBe(1)
})

test('archiving a fabric, one or ticked in the list, asks in a dialog', async ({ page }) => {
  const word = randomBytes(3).toString('hex')
  const names = [`Teal ${word} Corduroy`, `Rust ${word} Corduroy`]
  for (const name of names) await onDatabase("insert into fabrics (name, price, stock_quantity, in_stock) values ($1, '14.00', 3, true)", [name])
  const [one, two] = names as [string, string]

  // From the fabric's page.
  await page.goto(`${app}/fabrics?q=${word}`)
  await page.getByRole('link', { name: one }).click()
  await mark(page)
  await page.getByRole('link', { name: `Archive “${one}”…` }).click()
  const dialog = page.getByRole('dialog', { name: `Archive “${one}”?` })
  expect(await isModal(dialog)).toBe(true)
  await dialog.getByRole('button', { name: `Archive “${one}”` }).click()
  await expect(page.getByRole('status')).toHaveText('Fabric archived.')
  await expect(page.getByRole('heading', { level: 1 })).toContainText('archived')

  // Ticked in the list: the server asks, the question opens as a modal, the tick stays.
  await page.goto(`${app}/fabrics?q=${word}`)
  await mark(page)
  await page.getByLabel(`Tick ${two}`).check()
  await page.getByLabel('With the ticked fabrics').selectOption({ label: 'Archive' })
  await page.getByRole('button', { name: 'Apply to ticked' }).click()
  const bulk = page.getByRole('dialog', { name: `Archive “${two}”?` })
  await expect(bulk).toBeVisible()
  expect(await isModal(bulk)).toBe(true)
  await bulk.getByRole('link', { name: 'Keep it' }).click()
  await expect(bulk).toBeHidden()
  await expect(page).toHaveURL(`${app}/fabrics?q=${word}`)
  await expect(page.getByLabel(`Tick ${two}`)).toBeChecked()
  expect(await onDatabase('select id from fabrics where name = $1 and archived_at is null', [two])).toHaveLength(1)

  await page.getByRole('button', { name: 'Apply to ticked' }).click()
  await page.getByRole('dialog', { name: `Archive “${two}”?` }).getByRole('button', { name: `Archive “${two}”` }).click()
  await expect(page.getByRole('status').first()).toHaveText('Archived: 1 of 1 fabrics changed.')
  await expect(page.getByRole('link', { name: two })).toHaveCount(0)
  expect(await marked(page)).toBe(1)
})

test('a question fetched with its page (a figure’s delete) opens as a modal; Escape puts the address back', async ({ page }) => {
  const metric = `enh_${randomBytes(3).toString('hex')}`
  await page.goto(`${app}/analytics/metrics`)
  await mark(page)
  await page.getByLabel('Metric').fill(metric)
  await page.getByLabel('Figure', { exact: true }).fill('42')
  await page.getByRole('button', { name: 'Save figure' }).click()
  await expect(page.getByRole('status')).toHaveText(/^Saved /)
  const row = page.getByRole('row').filter({ hasText: metric.replaceAll('_', ' ') })
  await row.getByRole('link', { name: /^Delete / }).click()
  const dialog = page.getByRole('dialog', { name: /^Delete the figure / })
  await expect(dialog).toBeVisible()
  expect(await isModal(dialog)).toBe(true)
  await expect(page).toHaveURL(/\?delete=/)
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(page).toHaveURL(`${app}/analytics/metrics`)

  await row.getByRole('link', { name: /^Delete / }).click()
  await page.getByRole('dialog').getByRole('button', { name: /^Delete / }).click()
  await expect(page.getByRole('status')).toHaveText('Figure deleted.')
  await expect(row).toHaveCount(0)
  expect(await marked(page)).toBe(1)
})

test('cancelling an order and disabling a user ask in a dialog too', async ({ page }) => {
  const email = `enh-${randomBytes(4).toString('hex')}@example.com`
  await onDatabase("insert into users (email, name, role) values ($1, 'Dialog Test', 'user')", [email])
  await page.goto(`${app}/users`)
  await page.getByRole('link', { name: `Disable ${email}…` }).click()
  const disable = page.getByRole('dialog', { name: `Disable ${email}?` })
  expect(await isModal(disable)).toBe(true)
  await disable.getByRole('button', { name: `Disable ${email}` }).click()
  await expect(page.getByRole('status')).toHaveText('User disabled and signed out.')
  await expect(page.getByRole('button', { name: `Enable ${email}` })).toBeVisible()

  const [order] = await onDatabase<{ id: string; number: number }>(
    "select id, number from orders where status in ('pending', 'processing') order by created_at desc limit 1",
  )
  await page.goto(`${app}/orders/${order!.id}`)
  await page.getByRole('link', { name: `Cancel order #${order!.number}…` }).click()
  const cancel = page.getByRole('dialog', { name: `Cancel order #${order!.number}?` })
  expect(await isModal(cancel)).toBe(true)
  await cancel.getByRole('link', { name: 'Keep the order' }).click()
  await expect(cancel).toBeHidden()
  expect((await onDatabase<{ status: string }>('select status from orders where id = $1', [order!.id]))[0]!.status).not.toBe('cancelled')
})

// Destructive actions ask first with JavaScript off (components/confirm.tsx): the link naming the
// target opens the same page with a flag, which shows the question in the page with the real
// button; its cancel link goes back without acting. (The calendar entry, the order, the images,
// the users, the feed and the fabric list's bulk archive are tested in their own files.)
import { randomBytes } from 'node:crypto'
import { servers } from '../../playwright.config'
import { expect, onDatabase, test } from './fixtures'

const app = servers.postgres.url

test('archiving a fabric asks on the page first, naming it', async ({ page }) => {
  const name = `Teal ${randomBytes(3).toString('hex')} Corduroy`
  const [fabric] = await onDatabase<{ id: string }>(
    "insert into fabrics (name, price, stock_quantity, in_stock) values ($1, '14.00', 3, true) returning id",
    [name],
  )
  const here = `${app}/fabrics/${fabric!.id}`
  await page.goto(here)
  await page.getByRole('link', { name: `Archive “${name}”…` }).click()
  await expect(page).toHaveURL(`${here}?archive`)
  const question = page.getByRole('dialog', { name: `Archive “${name}”?` })
  await expect(question).toBeVisible()
  await question.getByRole('link', { name: 'Keep it' }).click()
  await expect(page).toHaveURL(here)
  await expect(page.getByRole('dialog')).toHaveCount(0)
  expect(await onDatabase('select id from fabrics where id = $1 and archived_at is null', [fabric!.id])).toHaveLength(1)

  await page.getByRole('link', { name: `Archive “${name}”…` }).click()
  await page.getByRole('button', { name: `Archive “${name}”` }).click()
  await expect(page.getByRole('status')).toHaveText('Fabric archived.')
  await expect(page.getByRole('heading', { level: 1 })).toContainText('archived')
  // Restoring is no loss: it asks nothing.
  await page.getByRole('button', { name: 'Restore' }).click()
  await expect(page.getByRole('status')).toHaveText('Fabric restored.')
})

test('deleting a figure asks on the page first, naming it', async ({ page }) => {
  const metric = `ask_${randomBytes(3).toString('hex')}`
  await page.goto(`${app}/analytics/metrics`)
  await page.getByLabel('Metric').fill(metric)
  await page.getByLabel('Platform').selectOption({ label: 'Instagram' })
  await page.getByLabel('Figure', { exact: true }).fill('7')
  await page.getByRole('button', { name: 'Save figure' }).click()
  await expect(page.getByRole('status')).toHaveText(/^Saved /)
  const label = new RegExp(`^Delete ${metric.replaceAll('_', ' ')} on Instagram, `)
  await page.getByRole('link', { name: label }).click()
  await expect(page).toHaveURL(/\?delete=/)
  const question = page.getByRole('dialog', { name: /^Delete the figure / })
  await expect(question).toBeVisible()
  await question.getByRole('link', { name: 'Keep it' }).click()
  await expect(page).toHaveURL(`${app}/analytics/metrics`)
  await expect(page.getByRole('dialog')).toHaveCount(0)

  await page.getByRole('link', { name: label }).click()
  await page.getByRole('button', { name: label }).click()
  await expect(page.getByRole('status')).toHaveText('Figure deleted.')
  expect(await onDatabase('select 1 from analytics where metric_type = $1', [metric])).toHaveLength(0)
})

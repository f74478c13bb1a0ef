// The keyboard alone, with JavaScript off: signing in, a new order and a new calendar entry with
// Tab, Shift+Tab, Enter, Space, typing and arrow keys (no clicks), and a focus ring to follow.
import { randomBytes } from 'node:crypto'
import type { Locator, Page } from '@playwright/test'
import { servers } from '../../playwright.config'
import { expect, latestLink, mailTo, onDatabase, signedOut, test } from './fixtures'

const app = servers.postgres.url

const isFocused = (target: Locator) => target.evaluate((el) => el === document.activeElement)

/** Presses Tab (or Shift+Tab) until the target has the focus; fails if it never comes. */
async function tabTo(page: Page, target: Locator, { back = false, max = 80 } = {}) {
  for (let i = 0; i < max; i++) {
    if (await isFocused(target)) return
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab')
  }
  throw new Error(`${target} is not reached with ${back ? 'Shift+Tab' : 'Tab'}`)
}

/** The focused control shows a ring: it matches :focus-visible and has a solid outline of 2 px or more. */
async function expectFocusRing(target: Locator) {
  const ring = await target.evaluate((el) => {
    const style = getComputedStyle(el)
    return { visible: el.matches(':focus-visible'), style: style.outlineStyle, width: parseFloat(style.outlineWidth) }
  })
  expect(ring.visible, `${target} matches :focus-visible`).toBe(true)
  expect(ring.style, `${target} outline`).not.toBe('none')
  expect(ring.width, `${target} outline width`).toBeGreaterThanOrEqual(2)
}

async function makeFabric(name: string) {
  await onDatabase(`insert into fabrics (name, price, stock_quantity, in_stock) values ($1, '9.50', 20, true)`, [name])
}

test.describe('signed out', () => {
  test.use({ storageState: signedOut })

  test('signing in with the keyboard alone', async ({ page }) => {
    const email = `keys-${randomBytes(4).toString('hex')}@example.com`
    await onDatabase("insert into users (email, name, role) values ($1, 'Keyboard user', 'user')", [email])
    const before = (await mailTo(email)).length
    await page.goto(`${app}/login`)
    // The first Tab reaches the skip link, which is shown when focused.
    await page.keyboard.press('Tab')
    const skip = page.getByRole('link', { name: 'Skip to content' })
    expect(await isFocused(skip)).toBe(true)
    await expectFocusRing(skip)
    await expect(skip).toBeInViewport()

    const field = page.getByLabel('Email')
    await tabTo(page, field)
    await expectFocusRing(field)
    await page.keyboard.type(email)
    await page.keyboard.press('Enter')
    await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible()

    await page.goto(await latestLink(email, before + 1))
    const signInButton = page.getByRole('button', { name: 'Sign in' })
    await tabTo(page, signInButton)
    await expectFocusRing(signInButton)
    await page.keyboard.press('Space')
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
  })
})

test.describe('signed in', () => {
  // The shop's forms answer a refusal with 400.
  test.use({ expectedConsoleErrors: [/status of 400/] })

  test('a new order with the keyboard alone', async ({ page }) => {
    const word = randomBytes(3).toString('hex')
    const fabric = `Keyboard cotton ${word}`
    await makeFabric(fabric)
    await page.goto(`${app}/orders/new`)

    await tabTo(page, page.getByLabel('Customer name'))
    await page.keyboard.type('Ines Keys')
    await tabTo(page, page.getByLabel('Find a fabric by name or SKU'))
    await page.keyboard.type(`keyboard ${word}`)
    const find = page.getByRole('button', { name: 'Find fabrics' })
    await tabTo(page, find)
    await expectFocusRing(find)
    await page.keyboard.press('Enter')
    await expect(page.getByRole('status')).toContainText('Found 1 fabric')

    await tabTo(page, page.getByLabel('Quantity to add'))
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.type('3')
    const add = page.getByRole('button', { name: `Add ${fabric}` })
    await tabTo(page, add)
    await page.keyboard.press('Space')
    await expect(page.getByRole('status')).toHaveText(`Added 3 × ${fabric}.`)

    await tabTo(page, page.getByLabel('Address line 1'))
    await page.keyboard.type('1 Key Street')
    await tabTo(page, page.getByLabel('Town or city'))
    await page.keyboard.type('Leeds')
    await tabTo(page, page.getByLabel('Postcode or ZIP'))
    await page.keyboard.type('LS1 1AA')
    const country = page.getByLabel('Country')
    await tabTo(page, country)
    await expectFocusRing(country)
    await page.keyboard.type('United Kingdom')
    await expect(country).toHaveValue('GB')

    // Back up with Shift+Tab to check the name, then on to the button.
    await tabTo(page, page.getByLabel('Customer name'), { back: true })
    await expect(page.getByLabel('Customer name')).toHaveValue('Ines Keys')
    const place = page.getByRole('button', { name: 'Place order' })
    await tabTo(page, place)
    await page.keyboard.press('Enter')
    await expect(page.getByRole('status')).toContainText('Placed order #')
    await expect(page.getByText(fabric)).toBeVisible()
  })

  test('a new calendar entry with the keyboard alone, from the month’s Add link', async ({ page }) => {
    const title = `Keyboard post ${randomBytes(3).toString('hex')}`
    await page.goto(`${app}/calendar`)
    const add = page.getByRole('link', { name: /^Add an entry on / }).last()
    await tabTo(page, add)
    await expectFocusRing(add)
    await page.keyboard.press('Enter')
    await expect(page.getByRole('heading', { level: 1 })).toContainText(/new/i)
    await expect(page.getByLabel(/^Scheduled for/)).toHaveValue(/T10:00$/)

    // The platform with the arrow keys: Facebook is the next after Instagram.
    const platform = page.getByLabel('Platform')
    await tabTo(page, platform)
    await page.keyboard.press('ArrowDown')
    await expect(platform).not.toHaveValue('instagram')
    const picked = await platform.inputValue()
    await tabTo(page, page.getByLabel('Title'))
    await page.keyboard.type(title)
    await tabTo(page, page.getByLabel('Description (caption)'))
    await page.keyboard.type('Cotton by the metre, typed without a mouse.')
    const save = page.getByRole('button', { name: 'Add to calendar', exact: true })
    await tabTo(page, save)
    await expectFocusRing(save)
    await page.keyboard.press('Enter')
    await expect(page.getByRole('status')).toHaveText(`Added “${title}” to the calendar.`)
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible()
    const [stored] = await onDatabase<{ platform: string }>('select platform::text from content_calendar where title = $1', [title])
    expect(stored?.platform).toBe(picked)
  })
})

// The shop's tablets (820 × 1180 and 1024 × 768), with JavaScript off: figures that stay apart,
// forms and their errors that stay in their boxes, targets a finger can hit, platforms told apart,
// and chart labels big enough to read.
import { randomBytes } from 'node:crypto'
import type { Locator, Page } from '@playwright/test'
import { servers } from '../../playwright.config'
import { submitAsTyped } from './a11y-pages'
import { expect, onDatabase, signedOut, signIn, test } from './fixtures'
import { fabricWithImage, sidewaysScroll } from './tablet-helpers'

const app = servers.postgres.url
const WIDE = { width: 1024, height: 768 }
const NARROW = { width: 820, height: 1180 }

async function box(locator: Locator) {
  const b = await locator.boundingBox()
  if (!b) throw new Error(`${locator} is not shown`)
  return b
}

/** The control lies inside its container, left and right (a pixel of rounding allowed). */
async function expectInside(control: Locator, container: Locator) {
  const [c, o] = [await box(control), await box(container)]
  expect(c.x, `${control} starts inside ${container}`).toBeGreaterThanOrEqual(o.x - 1)
  expect(c.x + c.width, `${control} ends inside ${container}`).toBeLessThanOrEqual(o.x + o.width + 1)
}

async function expectNoSidewaysScroll(page: Page) {
  const { scrollWidth, innerWidth } = await sidewaysScroll(page)
  expect(scrollWidth, `${page.url()} is no wider than the screen`).toBeLessThanOrEqual(innerWidth)
}

type Rect = { x: number; y: number; width: number; height: number }
const overlap = (a: Rect, b: Rect) =>
  a.x < b.x + b.width - 1 && b.x < a.x + a.width - 1 && a.y < b.y + b.height - 1 && b.y < a.y + a.height - 1

test.describe('layout on the tablet', () => {
  // Forms sent with mistakes answer 400.
  test.use({ expectedConsoleErrors: [/status of 400/] })

  test('analytics at 1024 px: each figure stays in its own column, its number and note are separate', async ({ page }) => {
    await page.setViewportSize(WIDE)
    await page.goto(`${app}/analytics?range=365`)
    const figures = page.locator('.analytics-figures .figure')
    await expect(figures).toHaveCount(6)
    const boxes: Rect[] = []
    for (const figure of await figures.all()) {
      const value = figure.locator('.figure-value')
      await expectInside(value, figure)
      // Its text does not spill out of its own box either.
      expect(await value.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true)
      boxes.push(await box(figure))
    }
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(overlap(a, b)).toBe(false)
    // Structure, not only looks: the number and its note are each a <dd> of their own.
    const revenue = figures.filter({ has: page.getByText('Revenue', { exact: true }) })
    await expect(revenue.locator('dd')).toHaveCount(2)
    await expect(revenue.locator('dd').first()).toHaveText(/^\$[\d,]+\.\d\d$/)
    await expect(revenue.locator('dd').last()).toHaveText(/^\$[\d,]+\.\d\d before$/)
    await expectNoSidewaysScroll(page)
  })

  test('the engagement form at 1024 px fits, and its errors sit under their own fields', async ({ page }) => {
    const [entry] = await onDatabase<{ id: string }>(
      'select id from content_calendar where published order by scheduled_date desc limit 1',
    )
    await page.setViewportSize(WIDE)
    await page.goto(`${app}/calendar/entries/${entry!.id}`)
    const form = page.locator('form', { has: page.locator('input[name="intent"][value="engagement"]') })
    await expectNoSidewaysScroll(page)
    const likes = form.getByLabel('Likes')
    const heightBefore = (await box(form.getByLabel('Comments'))).height

    await likes.fill('a great many, more than we could ever count')
    await submitAsTyped(form, 'Record engagement')
    await expect(likes).toHaveAttribute('aria-invalid', 'true')
    await expectNoSidewaysScroll(page)
    const fields = form.locator('.field-row > .field')
    for (const field of await fields.all()) {
      await expectInside(field.locator('input'), field)
      const error = field.locator('.field-error')
      if (await error.count()) await expectInside(error, field)
    }
    // The errors (and inputs) of the row never lie over one another.
    const rects = [...(await form.locator('.field-error').all()), ...(await form.locator('input:visible').all())]
    const placed = await Promise.all(rects.map(box))
    for (const [i, a] of placed.entries()) for (const b of placed.slice(i + 1)) expect(overlap(a, b)).toBe(false)
    // A field with an error does not stretch its neighbours' inputs.
    expect((await box(form.getByLabel('Comments'))).height).toBe(heightBefore)
  })

  test('at 820 px the alt-text fields, the feed address and the figures file picker stay in their boxes', async ({
    page,
    browser,
  }) => {
    await page.setViewportSize(NARROW)
    const fabric = await fabricWithImage(page)
    await page.goto(`${app}/fabrics/${fabric}/images`)
    const card = page.locator('.image-card').first()
    await expectInside(card.getByLabel(/^Alt text of image/), card)
    await expectNoSidewaysScroll(page)

    await page.goto(`${app}/analytics/metrics`)
    const picker = page.getByLabel('CSV file', { exact: true })
    await expectInside(picker, page.locator('form', { has: picker }))
    await expectNoSidewaysScroll(page)

    // The feed address is shown once, to whoever makes a link: a helper of their own, not the admin.
    const context = await browser.newContext({ viewport: NARROW, javaScriptEnabled: false, storageState: signedOut })
    const staff = await context.newPage()
    const email = `tablet-${randomBytes(4).toString('hex')}@example.com`
    await onDatabase("insert into users (email, name, role) values ($1, 'Tablet helper', 'user')", [email])
    await signIn(staff, app, email, '/calendar/feed')
    await staff.getByRole('button', { name: 'Create subscribe link' }).click()
    const url = staff.getByLabel('Subscribe URL')
    await expect(url).toHaveValue(/\/calendar\/.+/)
    await expectInside(url, staff.locator('section', { has: url }))
    await expectNoSidewaysScroll(staff)
    await context.close()
  })
})

test.describe('targets a finger can hit', () => {
  async function expectTarget(target: Locator, min: number) {
    const b = await box(target)
    expect(b.width, `${target} width`).toBeGreaterThanOrEqual(min)
    expect(b.height, `${target} height`).toBeGreaterThanOrEqual(min)
  }

  for (const [list, path, name] of [
    ['orders', '/orders', /^Select order #\d+$/],
    ['fabrics', '/fabrics', /^Tick /],
  ] as const) {
    test(`each row of the ${list} list has a labelled tick; a tap on the label ticks it`, async ({ page }) => {
      await page.setViewportSize(NARROW)
      await page.goto(`${app}${path}`)
      const ticks = page.locator('tbody input[type="checkbox"]')
      expect(await ticks.count()).toBeGreaterThan(3)
      for (const tick of (await ticks.all()).slice(0, 5)) {
        // A real <label> around it names the row (not only an aria-label).
        const label = tick.locator('xpath=ancestor::label')
        await expect(label).toHaveCount(1)
        await expect(label).toHaveText(name)
        await expect(tick).toHaveAccessibleName(name)
        expect(await tick.getAttribute('aria-label')).toBeNull()
        await expectTarget(label, 44)
        await expectTarget(tick, 24)
        // A tap near the corner of the label, off the box itself, ticks the row.
        await label.click({ position: { x: 3, y: 3 } })
        await expect(tick).toBeChecked()
      }
    })
  }

  test('radio buttons and their labels, and the calendar’s Add links', async ({ page }) => {
    await page.setViewportSize(NARROW)
    const [fabric] = await onDatabase<{ id: string }>('select id from fabrics where archived_at is null order by name limit 1')
    await page.goto(`${app}/fabrics/${fabric!.id}`)
    const radios = page.locator('input[type="radio"]')
    expect(await radios.count()).toBeGreaterThan(1)
    for (const radio of await radios.all()) {
      await expectTarget(radio, 24)
      await expectTarget(radio.locator('xpath=ancestor::label'), 44)
    }
    await page.getByText('Take away', { exact: true }).click()
    await expect(page.getByRole('radio', { name: 'Take away' })).toBeChecked()

    await page.goto(`${app}/calendar`)
    const adds = page.getByRole('link', { name: /^Add an entry on / })
    expect(await adds.count()).toBeGreaterThan(27)
    for (const add of (await adds.all()).slice(0, 7)) await expectTarget(add, 44)
  })
})

test.describe('platforms and charts', () => {
  test('Instagram and Pinterest are told apart by colour and by name', async ({ page }) => {
    await page.setViewportSize(WIDE)
    await page.goto(`${app}/calendar?view=list`)
    const colours = async (selector: string) => {
      const element = page.locator(selector).first()
      await expect(element).toBeVisible()
      return element.evaluate((el) => {
        const style = getComputedStyle(el)
        return { colour: style.color, text: el.textContent ?? '' }
      })
    }
    const instagram = await colours('.tag-instagram')
    const pinterest = await colours('.tag-pinterest')
    expect(instagram.text).toBe('Instagram')
    expect(pinterest.text).toBe('Pinterest')
    expect(Math.abs(hueDistance(hue(instagram.colour), hue(pinterest.colour)))).toBeGreaterThanOrEqual(60)
    for (const tag of [instagram, pinterest]) expect(contrast(tag.colour, 'rgb(255, 255, 255)')).toBeGreaterThanOrEqual(4.5)

    await page.goto(`${app}/calendar`)
    const chip = async (platform: string) =>
      page
        .locator(`.chip-${platform}`)
        .first()
        .evaluate((el) => ({ edge: getComputedStyle(el).borderLeftColor, text: el.textContent ?? '' }))
    const [ig, pin] = [await chip('instagram'), await chip('pinterest')]
    expect(ig.text).toContain('Instagram')
    expect(pin.text).toContain('Pinterest')
    expect(Math.abs(hueDistance(hue(ig.edge), hue(pin.edge)))).toBeGreaterThanOrEqual(60)
  })

  for (const viewport of [NARROW, WIDE]) {
    test(`chart labels are at least 11 px at ${viewport.width} px`, async ({ page }) => {
      await page.setViewportSize(viewport)
      await page.goto(`${app}/analytics?range=90`)
      const sizes = await page.locator('svg.chart-svg').evaluateAll((svgs) =>
        svgs.flatMap((svg) => {
          // The SVG is scaled by its viewBox: a label's size on screen is its font size times that scale.
          const scale = (svg as SVGSVGElement).getScreenCTM()!.a
          return [...svg.querySelectorAll('text')].map((t) => ({
            text: t.textContent ?? '',
            px: parseFloat(getComputedStyle(t).fontSize) * scale,
          }))
        }),
      )
      expect(sizes.length).toBeGreaterThan(20)
      const small = sizes.filter((s) => s.px < 11)
      expect(small, `labels under 11 px: ${small.map((s) => `${s.text} (${s.px.toFixed(1)} px)`).join(', ')}`).toEqual([])
    })
  }
})

/** The hue (0–360) of an "rgb(r, g, b)" colour. */
function hue(colour: string) {
  const [r, g, b] = colour.match(/\d+(\.\d+)?/g)!.slice(0, 3).map((n) => Number(n) / 255) as [number, number, number]
  const max = Math.max(r, g, b)
  const d = max - Math.min(r, g, b)
  if (d === 0) return 0
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4
  return (h * 60 + 360) % 360
}

const hueDistance = (a: number, b: number) => Math.min(Math.abs(a - b), 360 - Math.abs(a - b))

/** WCAG contrast ratio of two "rgb(…)" colours. */
function contrast(a: string, b: string) {
  const luminance = (colour: string) => {
    const [r, g, bl] = colour
      .match(/\d+(\.\d+)?/g)!
      .slice(0, 3)
      .map((n) => {
        const c = Number(n) / 255
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
      }) as [number, number, number]
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl
  }
  const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (l1 + 0.05) / (l2 + 0.05)
}

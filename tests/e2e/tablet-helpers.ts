// Helpers of the tablet checks (a11y.spec.ts, tablet.spec.ts): a fabric with an image, sideways
// scroll, and axe on a page as JavaScript-off visitors get it.
import AxeBuilder from '@axe-core/playwright'
import { expect, type BrowserContext, type Page } from '@playwright/test'
import sharp from 'sharp'
import { servers } from '../../playwright.config'
import { onDatabase } from './fixtures'

const app = servers.postgres.url

/** A fabric with an image: if none has one, the last demo fabric by name gets one through its images page. */
export async function fabricWithImage(page: Page) {
  const [has] = await onDatabase<{ id: string }>(
    'select id from fabrics where jsonb_array_length(images) > 0 order by name desc limit 1',
  )
  if (has) return has.id
  const [last] = await onDatabase<{ id: string }>('select id from fabrics where archived_at is null order by name desc limit 1')
  const pixels = Buffer.alloc(64 * 48 * 3, 180)
  const image = await sharp(pixels, { raw: { width: 64, height: 48, channels: 3 } }).png().toBuffer()
  await page.goto(`${app}/fabrics/${last!.id}/images`)
  const upload = page.getByRole('form', { name: 'Add images' })
  await upload.getByLabel('Images', { exact: true }).setInputFiles({ name: 'tablet.png', mimeType: 'image/png', buffer: image })
  await upload.getByRole('button', { name: 'Upload' }).click()
  await expect(page.getByRole('status')).toHaveText('1 image added.')
  return last!.id
}

export async function sidewaysScroll(page: Page) {
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }))
}

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

export type AxeViolations = Awaited<ReturnType<AxeBuilder['analyze']>>['violations']

/**
 * axe needs scripts (it waits on timers), which a JavaScript-off page cannot run. So the page as the
 * visitor has it (its DOM, no script ever run) is served, scripts taken out, at its own address to a
 * twin page with scripts on and of the same size, and axe runs there. The twin loads nothing else.
 */
export async function twinPage(context: BrowserContext) {
  const page = await context.newPage()
  const served = { url: '', html: '' }
  await page.route(/.*/, (route) =>
    route.request().url() === served.url
      ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: served.html })
      : route.abort(),
  )
  return { page, served }
}

export type Twin = Awaited<ReturnType<typeof twinPage>>

export async function axeOf(page: Page, twin: Twin): Promise<AxeViolations> {
  twin.served.url = page.url()
  twin.served.html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '')
  await twin.page.setViewportSize(page.viewportSize()!)
  await twin.page.goto(twin.served.url)
  return (await new AxeBuilder({ page: twin.page }).withTags(WCAG_TAGS).options({ resultTypes: ['violations'] }).analyze())
    .violations
}

/** One line per failing node: rule, impact, what it asks, where, and why. */
export function describeViolations(violations: AxeViolations) {
  return violations.flatMap((v) =>
    v.nodes.map(
      (n) =>
        `  [${v.impact ?? '?'}] ${v.id}: ${v.help}\n    at ${n.target.join(' ')}\n    ${(n.failureSummary ?? '').replace(/\n\s*/g, ' / ')}`,
    ),
  )
}

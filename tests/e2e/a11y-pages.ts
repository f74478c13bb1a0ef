// Every page of the app, as the accessibility and layout scan (tests/e2e/a11y.spec.ts) visits it:
// each route file with a page, and the states a person meets (forms shown with errors, import
// previews, confirmations, the 403 and 404 pages, sign-in signed out). tests/unit/a11y-pages.test.ts
// checks that every file in app/routes is named here or in NOT_PAGES, so a new page cannot escape.
import { readFileSync } from 'node:fs'
import type { Locator, Page } from '@playwright/test'

/** Ids of real rows on the e2e database, read once before the scan. */
export interface Ids {
  fabric: string
  /** A fabric with at least one image (the alt-text fields). */
  fabricWithImage: string
  order: string
  /** An order that can still be cancelled (its "?cancel" confirmation). */
  openOrder: string
  entry: string
  /** An entry that is published (its engagement form). */
  publishedEntry: string
}

export interface A11yPage {
  /** What the report calls it. */
  name: string
  /** The route file (in app/routes, without the extension) that answers it. */
  route: string
  /** Who looks: the signed-in admin (default), nobody signed in, or staff who are not admins. */
  as?: 'admin' | 'signedOut' | 'staff'
  path: (ids: Ids) => string
  /** What to do on the page before the checks (submit a form to see its errors, upload a file…). */
  act?: (page: Page) => Promise<unknown>
}

/** Route files that answer with no page of their own, each with its reason. */
export const NOT_PAGES: Record<string, string> = {
  'admin.backups.$name': 'a backup file download',
  'analytics.charts.$chart': 'an SVG image, scanned inside /analytics',
  'calendar.$feed': 'an iCalendar feed for calendar apps',
  'fabrics.export[.]csv': 'a CSV download',
  'orders.export[.]csv': 'a CSV download',
  healthz: 'a health check in plain text',
  logout: 'a POST that redirects',
}

/** Submits a form as typed, past the browser's own checks (required, type=email…), to see the server's errors. */
export async function submitAsTyped(form: Locator, button: string) {
  await form.evaluate((element) => element.setAttribute('novalidate', ''))
  await form.getByRole('button', { name: button, exact: true }).click()
}

const csv = (name: string, path: string) => ({ name, mimeType: 'text/csv', buffer: readFileSync(path) })

export const PAGES: A11yPage[] = [
  { name: 'dashboard', route: '_index', path: () => '/' },
  { name: 'a 404 page', route: '$', path: () => '/no-such-page' },
  { name: 'a refused request (its error page)', route: 'request-refused', path: () => '/request-refused' },
  { name: 'the 403 page (staff on an admin page)', route: 'users._index', as: 'staff', path: () => '/users' },
  { name: 'sign-in', route: 'login._index', as: 'signedOut', path: () => '/login' },
  {
    name: 'sign-in with an error',
    route: 'login._index',
    as: 'signedOut',
    path: () => '/login',
    act: (page) => submitAsTyped(page.locator('form', { hasText: 'Email' }), 'Email me a sign-in link'),
  },
  {
    name: 'sign-in: check your email',
    route: 'login._index',
    as: 'signedOut',
    path: () => '/login',
    act: async (page) => {
      await page.getByLabel('Email').fill('nobody-a11y@example.com')
      await page.getByRole('button', { name: 'Email me a sign-in link' }).click()
    },
  },
  { name: 'a sign-in link that is not valid', route: 'login.link', as: 'signedOut', path: () => '/login/link?token=nope' },

  { name: 'fabrics', route: 'fabrics._index', path: () => '/fabrics' },
  { name: 'fabrics, filtered to nothing', route: 'fabrics._index', path: () => '/fabrics?q=zzzz-no-such-fabric' },
  { name: 'a fabric', route: 'fabrics.$id._index', path: (ids) => `/fabrics/${ids.fabricWithImage}` },
  { name: 'a new fabric', route: 'fabrics.new', path: () => '/fabrics/new' },
  {
    name: 'a new fabric with errors',
    route: 'fabrics.new',
    path: () => '/fabrics/new',
    act: (page) => submitAsTyped(page.locator('main form').last(), 'Add fabric'),
  },
  { name: 'a fabric edited', route: 'fabrics.$id.edit', path: (ids) => `/fabrics/${ids.fabric}/edit` },
  {
    name: 'a fabric edited, with errors',
    route: 'fabrics.$id.edit',
    path: (ids) => `/fabrics/${ids.fabric}/edit`,
    act: async (page) => {
      await page.getByLabel('Name', { exact: true }).fill('')
      await submitAsTyped(page.locator('main form', { has: page.getByLabel('Name', { exact: true }) }), 'Save changes')
    },
  },
  { name: 'a fabric’s images', route: 'fabrics.$id.images', path: (ids) => `/fabrics/${ids.fabricWithImage}/images` },
  { name: 'fabric import', route: 'fabrics.import', path: () => '/fabrics/import' },
  {
    name: 'fabric import preview',
    route: 'fabrics.import',
    path: () => '/fabrics/import',
    act: async (page) => {
      await page
        .getByLabel('Etsy listings file (EtsyListingsDownload.csv)')
        .setInputFiles(csv('EtsyListingsDownload.csv', 'tests/fixtures/etsy/EtsyListingsDownload.csv'))
      await page.getByRole('button', { name: 'Upload and preview' }).click()
    },
  },

  { name: 'orders', route: 'orders._index', path: () => '/orders' },
  { name: 'orders, all', route: 'orders._index', path: () => '/orders?status=all' },
  { name: 'orders with a wrong day', route: 'orders._index', path: () => '/orders?from=banana' },
  { name: 'an order', route: 'orders.$id._index', path: (ids) => `/orders/${ids.order}` },
  { name: 'an order’s cancel confirmation', route: 'orders.$id._index', path: (ids) => `/orders/${ids.openOrder}?cancel` },
  { name: 'an order edited', route: 'orders.$id.edit', path: (ids) => `/orders/${ids.openOrder}/edit` },
  { name: 'a new order', route: 'orders.new/route', path: () => '/orders/new' },
  {
    name: 'a new order with errors',
    route: 'orders.new/route',
    path: () => '/orders/new',
    act: (page) => submitAsTyped(page.locator('main form', { hasText: 'Place order' }).last(), 'Place order'),
  },
  {
    name: 'a new order with fabrics found',
    route: 'orders.new/route',
    path: () => '/orders/new',
    act: async (page) => {
      await page.getByLabel('Find a fabric by name or SKU').fill('linen')
      await page.getByRole('button', { name: 'Find fabrics' }).click()
    },
  },
  { name: 'packing slips', route: 'orders.packing-slips', path: (ids) => `/orders/packing-slips?id=${ids.openOrder}` },
  { name: 'order import', route: 'orders.import', path: () => '/orders/import' },
  {
    name: 'order import preview',
    route: 'orders.import',
    path: () => '/orders/import',
    act: async (page) => {
      await page
        .getByLabel('Sold orders (EtsySoldOrders.csv)')
        .setInputFiles(csv('EtsySoldOrders.csv', 'tests/fixtures/etsy/EtsySoldOrders.csv'))
      await page
        .getByLabel('Sold order items (EtsySoldOrderItems.csv)')
        .setInputFiles(csv('EtsySoldOrderItems.csv', 'tests/fixtures/etsy/EtsySoldOrderItems.csv'))
      await page.getByRole('button', { name: 'Upload and preview' }).click()
    },
  },

  { name: 'calendar (month)', route: 'calendar._index', path: () => '/calendar' },
  { name: 'calendar (week)', route: 'calendar._index', path: () => '/calendar?view=week' },
  { name: 'calendar (list)', route: 'calendar._index', path: () => '/calendar?view=list' },
  { name: 'a calendar entry', route: 'calendar.entries.$id._index', path: (ids) => `/calendar/entries/${ids.entry}` },
  {
    name: 'a published entry with engagement errors',
    route: 'calendar.entries.$id._index',
    path: (ids) => `/calendar/entries/${ids.publishedEntry}`,
    act: async (page) => {
      const form = page.locator('form', { has: page.locator('input[name="intent"][value="engagement"]') })
      for (const input of await form.locator('input:not([type=hidden])').all()) await input.fill('lots')
      await submitAsTyped(form, 'Record engagement')
    },
  },
  {
    name: 'a calendar entry’s delete confirmation',
    route: 'calendar.entries.$id._index',
    path: (ids) => `/calendar/entries/${ids.entry}?delete`,
  },
  { name: 'a calendar entry edited', route: 'calendar.entries.$id.edit', path: (ids) => `/calendar/entries/${ids.entry}/edit` },
  { name: 'a new calendar entry', route: 'calendar.entries.new', path: () => '/calendar/entries/new' },
  {
    name: 'a new calendar entry with errors',
    route: 'calendar.entries.new',
    path: () => '/calendar/entries/new',
    act: (page) => submitAsTyped(page.locator('main form').last(), 'Add to calendar'),
  },
  { name: 'the calendar feed', route: 'calendar.feed', path: () => '/calendar/feed' },

  { name: 'analytics', route: 'analytics._index', path: () => '/analytics' },
  { name: 'analytics with a wrong day', route: 'analytics._index', path: () => '/analytics?from=banana' },
  { name: 'figures entered by hand', route: 'analytics.metrics', path: () => '/analytics/metrics' },
  {
    name: 'figures entered by hand, with errors',
    route: 'analytics.metrics',
    path: () => '/analytics/metrics',
    act: (page) => submitAsTyped(page.getByRole('region', { name: 'Enter a figure' }).locator('form'), 'Save figure'),
  },
  {
    name: 'a figures file with errors',
    route: 'analytics.metrics',
    path: () => '/analytics/metrics',
    act: async (page) => {
      await page.setInputFiles('#figures-file', {
        name: 'figures.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('date,metric_type,platform,value\n2026-13-40,visits,instagram,150\n'),
      })
      await page.getByRole('button', { name: 'Upload figures' }).click()
    },
  },

  { name: 'users', route: 'users._index', path: () => '/users' },
  {
    name: 'users: an invitation with errors',
    route: 'users._index',
    path: () => '/users',
    act: (page) => submitAsTyped(page.locator('form', { has: page.locator('input[value="invite"]') }), 'Send invitation'),
  },
  { name: 'backups', route: 'admin.backups._index', path: () => '/admin/backups' },
  { name: 'jobs', route: 'admin.jobs', path: () => '/admin/jobs' },
]

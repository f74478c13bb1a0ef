// The content calendar with JavaScript off, as the shop uses it: an entry made with a mistake
// and corrected, found in the month grid, duplicated to Pinterest, published, its engagement
// recorded; edits that collide; and what a user may do with someone else's entry.
import { randomBytes } from 'node:crypto'
import sharp from 'sharp'
import { servers } from '../../playwright.config'
import { expect, onDatabase, signIn, test } from './fixtures'

const app = servers.postgres.url

/** The shop's current year (America/New_York in these tests). */
const shopYear = () => Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric' }).format(new Date()))

/** A day some weeks ahead, so that it is in the future whenever the test runs. */
function dayAhead(days: number) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)
}

test.describe('content calendar', () => {
  // Refused forms answer 400/409, another user's entry 403, and a deleted one 404.
  test.use({ expectedConsoleErrors: [/status of (400|403|404|409)/] })

  test('an entry from a mistake to its engagement', async ({ page }) => {
    const word = randomBytes(3).toString('hex')
    const title = `Sage linen week ${word}`
    const day = dayAhead(40)
    const fabricName = `Sage e2e linen ${word}`
    await onDatabase(`insert into fabrics (name, price, stock_quantity, in_stock) values ($1, '18.00', 5, true)`, [fabricName])

    await page.goto(`${app}/calendar/entries/new?date=${day}`)
    await expect(page.getByLabel(/Scheduled for/)).toHaveValue(`${day}T10:00`)
    await page.getByLabel('Title').fill(title)
    await page.getByLabel('Description (caption)').fill('Washed linen in sage, 140 cm wide.')
    await page.getByLabel('Hashtags').fill('#Linen #sewing, linen')
    // 23:30 in the shop's time zone (America/New_York in these tests, 04:30 UTC the next day)
    // is still this day.
    await page.getByLabel(/Scheduled for/).fill(`${day}T23:30`)
    await page.getByLabel('Media addresses').fill('https://example.com/sage.jpg\nsage-photo.jpg')

    // Find a fabric to feature: the form comes back with it, and keeps what was typed.
    await page.getByLabel('Find fabrics').fill(`sage ${word}`)
    await page.getByRole('button', { name: 'Find fabrics' }).click()
    // The flash (the caption and hashtag counts are status outputs too).
    await expect(page.getByRole('status').first()).toContainText('Found 1 fabric')
    await page.getByLabel(fabricName).check()
    await expect(page.getByLabel('Title')).toHaveValue(title)

    await page.getByRole('button', { name: 'Add to calendar' }).click()
    const mediaError = page.locator('#new-entry-mediaUrls-error')
    await expect(mediaError).toHaveText(
      'Line 2 (“sage-photo.jpg”) is not a web address: it must start with http:// or https://.',
    )
    await expect(page.getByLabel('Media addresses')).toHaveAttribute('aria-invalid', 'true')
    await expect(page.getByLabel('Title')).toHaveValue(title)
    await expect(page.getByLabel('Hashtags')).toHaveValue('#Linen #sewing, linen')
    await expect(page.getByLabel(fabricName)).toBeChecked()

    await page.getByLabel('Media addresses').fill('https://example.com/sage.jpg\nhttps://example.com/sage-2.jpg')
    await page.getByRole('button', { name: 'Add to calendar' }).click()
    await expect(page.getByRole('status')).toHaveText(`Added “${title}” to the calendar.`)
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible()
    await expect(page.getByText('#linen #sewing')).toBeVisible()
    await expect(page.getByRole('link', { name: fabricName })).toBeVisible()
    const entryUrl = page.url()

    // In the month grid, on its own day, not the next (which it is in UTC).
    await page.goto(`${app}/calendar?view=month&date=${day}`)
    const cell = page.getByRole('cell').filter({ has: page.getByRole('link', { name: new RegExp(word) }) })
    await expect(cell).toHaveCount(1)
    await expect(cell.locator('time').first()).toHaveAttribute('datetime', day)
    await expect(cell.getByRole('link', { name: new RegExp(word) })).toContainText('23:30')
    await expect(cell.getByRole('link', { name: new RegExp(word) })).toContainText('Instagram')
    await cell.getByRole('link', { name: new RegExp(word) }).click()
    await expect(page).toHaveURL(entryUrl)

    // Duplicate to Pinterest: a new entry, same text and day, not published.
    await page.getByRole('button', { name: 'Duplicate to Pinterest' }).click()
    await expect(page.getByRole('status')).toHaveText('Duplicated to Pinterest.')
    expect(page.url()).not.toBe(entryUrl)
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible()
    await expect(page.getByText('Pinterest', { exact: true })).toBeVisible()
    await expect(page.getByRole('link', { name: fabricName })).toBeVisible()
    const copies = await onDatabase<{ platform: string; published: boolean }>(
      'select platform, published from content_calendar where title = $1 order by platform',
      [title],
    )
    expect(copies).toEqual([
      { platform: 'instagram', published: false },
      { platform: 'pinterest', published: false },
    ])

    // Publish the original, then record how it did.
    await page.goto(entryUrl)
    await page.getByRole('button', { name: 'Mark as published' }).click()
    await expect(page.getByRole('status')).toHaveText('Marked as published.')
    await expect(page.getByText('Published', { exact: true })).toBeVisible()
    await expect(page.getByText('No figures recorded yet.')).toBeVisible()

    await page.getByLabel('Likes').fill('120')
    await page.getByLabel('Comments').fill('-3')
    await page.getByLabel('Shares').fill('4')
    await page.getByLabel('Saves').fill('30')
    await page.getByLabel('Reach').fill('2400')
    await page.getByLabel('Impressions').fill('3100')
    await page.getByRole('button', { name: 'Record engagement' }).click()
    await expect(page.locator('#engagement-comments-error')).toHaveText('Enter a whole number of 0 or more.')
    await expect(page.getByLabel('Likes')).toHaveValue('120')
    await page.getByLabel('Comments').fill('9')
    await page.getByRole('button', { name: 'Record engagement' }).click()
    await expect(page.getByRole('status')).toHaveText('Engagement recorded.')
    const readings = page.getByRole('table', { name: 'Engagement readings, newest first' })
    await expect(readings.getByRole('row')).toHaveCount(2)
    await expect(readings.getByRole('row').nth(1)).toContainText('2,400')

    // A second reading keeps the first.
    await page.getByLabel('Likes').fill('150')
    for (const [label, value] of [['Comments', '12'], ['Shares', '5'], ['Saves', '41'], ['Reach', '3000'], ['Impressions', '3900']]) {
      await page.getByLabel(label!).fill(value!)
    }
    await page.getByRole('button', { name: 'Record engagement' }).click()
    await expect(readings.getByRole('row')).toHaveCount(3)
    const [metrics] = await onDatabase<{ m: { likes: number; history: { likes: number }[] } }>(
      `select engagement_metrics as m from content_calendar where title = $1 and platform = 'instagram'`,
      [title],
    )
    expect(metrics?.m.likes).toBe(150)
    expect(metrics?.m.history.map((r) => r.likes)).toEqual([120])
  })

  test('Enter in “Find fabrics” searches and keeps what was typed; Enter in the title saves', async ({ page }) => {
    const word = randomBytes(3).toString('hex')
    const title = `Moss twill story ${word}`
    const fabricName = `Moss e2e twill ${word}`
    await onDatabase(`insert into fabrics (name, price, stock_quantity, in_stock) values ($1, '16.00', 3, true)`, [fabricName])
    const saved = async (t: string) =>
      (await onDatabase<{ n: number }>('select count(*)::int as n from content_calendar where title = $1', [t]))[0]!.n

    await page.goto(`${app}/calendar/entries/new`)
    await page.getByLabel('Title').fill(title)
    await page.getByLabel('Description (caption)').fill('Moss green twill, heavy.')
    await page.getByLabel('Find fabrics').fill(`moss twill ${word}`)
    await page.getByLabel('Find fabrics').press('Enter')
    await expect(page.getByRole('status').first()).toContainText(`Found 1 fabric for “moss twill ${word}”`)
    await expect(page.getByRole('heading', { level: 1, name: 'New calendar entry' })).toBeVisible()
    await expect(page.getByLabel('Title')).toHaveValue(title)
    await expect(page.getByLabel('Description (caption)')).toHaveValue('Moss green twill, heavy.')
    expect(await saved(title)).toBe(0)

    // The search is done, so the box is empty again: Enter in the title now saves.
    await expect(page.getByLabel('Find fabrics')).toHaveValue('')
    await page.getByLabel(fabricName).check()
    await page.getByLabel('Title').press('Enter')
    await expect(page.getByRole('status')).toHaveText(`Added “${title}” to the calendar.`)
    await expect(page.getByRole('link', { name: fabricName })).toBeVisible()
    expect(await saved(title)).toBe(1)

    // The same on the edit page: Enter in "Find fabrics" searches, nothing is saved.
    await page.getByRole('link', { name: 'Edit' }).click()
    await page.getByLabel('Title').fill(`${title} (changed)`)
    await page.getByLabel('Find fabrics').fill(`nothing like this ${word}`)
    await page.getByLabel('Find fabrics').press('Enter')
    await expect(page.getByRole('status').first()).toHaveText(`No fabric matches “nothing like this ${word}”.`)
    await expect(page).toHaveURL(/\/edit$/)
    await expect(page.getByLabel('Title')).toHaveValue(`${title} (changed)`)
    await expect(page.getByLabel(fabricName)).toBeChecked()
    expect(await saved(title)).toBe(1)
  })

  test('engagement figures as people type them: "2,400", blanks not read, mistakes refused on the field', async ({ page }) => {
    const title = `Counted reel ${randomBytes(3).toString('hex')}`
    await page.goto(`${app}/calendar/entries/new`)
    await page.getByLabel('Title').fill(title)
    await page.getByRole('button', { name: 'Add to calendar' }).click()
    await page.getByRole('button', { name: 'Mark as published' }).click()
    await expect(page.getByRole('status')).toHaveText('Marked as published.')

    await page.getByLabel('Likes').fill('2,400')
    await page.getByLabel('Shares').fill('2 400')
    await page.getByLabel('Saves').fill('1.5')
    await page.getByLabel('Reach').fill('-40')
    await page.getByLabel('Impressions').fill('12,345')
    await page.getByRole('button', { name: 'Record engagement' }).click()
    await expect(page.locator('#engagement-saves-error')).toHaveText('Enter a whole number, without a fraction.')
    await expect(page.getByLabel('Saves')).toHaveAccessibleDescription(/without a fraction/)
    await expect(page.locator('#engagement-reach-error')).toHaveText('Enter a whole number of 0 or more.')
    await expect(page.locator('#engagement-likes-error')).toHaveCount(0)
    await expect(page.getByLabel('Likes')).toHaveValue('2,400')
    await expect(page.getByLabel('Saves')).toHaveValue('1.5')
    await expect(page.getByLabel('Reach')).toHaveValue('-40')

    await page.getByLabel('Saves').fill('')
    await page.getByLabel('Reach').fill('')
    await page.getByRole('button', { name: 'Record engagement' }).click()
    await expect(page.getByRole('status')).toHaveText('Engagement recorded.')
    const readings = page.getByRole('table', { name: 'Engagement readings, newest first' })
    await expect(readings.getByRole('row').nth(1).getByRole('cell')).toHaveText([
      '2,400',
      'not read',
      '2,400',
      'not read',
      'not read',
      '12,345',
    ])
    const [stored] = await onDatabase<{ m: Record<string, unknown> }>(
      'select engagement_metrics as m from content_calendar where title = $1',
      [title],
    )
    expect(stored?.m).toMatchObject({ likes: 2400, comments: null, shares: 2400, saves: null, reach: null, impressions: 12345 })

    // Nothing typed at all is not a reading.
    await page.getByRole('button', { name: 'Record engagement' }).click()
    await expect(page.getByText('Enter at least one figure (leave the ones you did not read blank).')).toBeVisible()
    await expect(readings.getByRole('row')).toHaveCount(2)
  })

  test('dates leave the year out this year and write it otherwise, the same on every page', async ({ page }) => {
    const word = randomBytes(3).toString('hex')
    const year = shopYear()
    const weekday = (y: number, m: number, d: number) =>
      ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][new Date(Date.UTC(y, m - 1, d)).getUTCDay()]
    for (const [when, shown] of [
      [`${year}-01-15T10:05`, `${weekday(year, 1, 15)} 15 Jan, 10:05`],
      ['2024-09-03T23:30', 'Tue 3 Sep 2024, 23:30'],
    ] as const) {
      const title = `Dated post ${word} ${when.slice(0, 4)}`
      await page.goto(`${app}/calendar/entries/new`)
      await page.getByLabel('Title').fill(title)
      await page.getByLabel(/Scheduled for/).fill(when)
      await page.getByRole('button', { name: 'Add to calendar' }).click()
      await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible()
      await expect(page.locator('dl.details')).toContainText(`Scheduled${shown}`)
      await page.goto(`${app}/calendar?view=list&date=${when.slice(0, 10)}`)
      await expect(page.getByRole('row').filter({ hasText: title })).toContainText(shown)
    }
    // A week across New Year names both years.
    await page.goto(`${app}/calendar?view=week&date=2026-12-31`)
    await expect(page.locator('#period')).toHaveText('28 December 2026 – 3 January 2027')
  })

  test('two people editing one entry: the second sees both versions and loses nothing', async ({ page, browser }) => {
    const title = `Swatch post ${randomBytes(3).toString('hex')}`
    await page.goto(`${app}/calendar/entries/new`)
    await page.getByLabel('Title').fill(title)
    await page.getByRole('button', { name: 'Add to calendar' }).click()
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible()
    const editUrl = `${page.url()}/edit`

    const other = await browser.newContext({ storageState: '.cache/e2e-admin.json', javaScriptEnabled: false })
    const second = await other.newPage()
    try {
      await page.goto(editUrl)
      await second.goto(editUrl)
      await page.getByLabel('Hashtags').fill('#swatches')
      await page.getByRole('button', { name: 'Save changes' }).click()
      await expect(page.getByRole('status')).toHaveText(`Saved “${title}”.`)

      await second.getByLabel('Description (caption)').fill('Every colour, in one box.')
      await second.getByRole('button', { name: 'Save changes' }).click()
      await expect(second.getByRole('heading', { name: 'Changed by someone else' })).toBeVisible()
      const hashtags = second.getByRole('row').filter({ has: second.getByRole('rowheader', { name: 'Hashtags' }) })
      await expect(hashtags).toContainText('#swatches')
      await expect(second.getByLabel('Description (caption)')).toHaveValue('Every colour, in one box.')
      const [saved] = await onDatabase<{ description: string | null }>(
        'select description from content_calendar where title = $1',
        [title],
      )
      expect(saved?.description).toBeNull()

      await second.getByRole('button', { name: 'Save mine over theirs' }).click()
      await expect(second.getByRole('status')).toHaveText(`Saved “${title}”.`)
      await expect(second.getByText('Every colour, in one box.')).toBeVisible()
    } finally {
      await other.close()
    }
  })

  test('a user sees everyone’s entries but changes only their own', async ({ page, browser }) => {
    const word = randomBytes(3).toString('hex')
    const title = `Admin's reel ${word}`
    await page.goto(`${app}/calendar/entries/new`)
    await page.getByLabel('Title').fill(title)
    await page.getByLabel('Type').selectOption('reel')
    await page.getByRole('button', { name: 'Add to calendar' }).click()
    const entryUrl = page.url()

    const email = `poster-${word}@example.com`
    await onDatabase('insert into users (email, name, role) values ($1, $2, $3)', [email, 'Social Staff', 'user'])
    const context = await browser.newContext({
      storageState: { cookies: [], origins: [] },
      javaScriptEnabled: false,
      extraHTTPHeaders: { 'X-Forwarded-For': `10.8.${randomBytes(1)[0]}.${(randomBytes(1)[0]! % 250) + 1}` },
    })
    const staff = await context.newPage()
    try {
      await signIn(staff, app, email, new URL(entryUrl).pathname)
      await expect(staff.getByRole('heading', { level: 1, name: title })).toBeVisible()
      await expect(staff.getByRole('link', { name: 'Edit' })).toHaveCount(0)
      await expect(staff.getByRole('button', { name: 'Mark as published' })).toHaveCount(0)
      const edit = await staff.goto(`${entryUrl}/edit`)
      expect(edit?.status()).toBe(403)

      // Duplicating makes the copy theirs, which they may then edit.
      await staff.goto(entryUrl)
      await staff.getByRole('button', { name: 'Duplicate to Facebook' }).click()
      await expect(staff.getByRole('status')).toHaveText('Duplicated to Facebook.')
      await staff.getByRole('link', { name: 'Edit' }).click()
      await staff.getByLabel('Title').fill(`${title} (Facebook)`)
      await staff.getByRole('button', { name: 'Save changes' }).click()
      await expect(staff.getByRole('heading', { level: 1, name: `${title} (Facebook)` })).toBeVisible()
      await expect(staff.locator('dl.details')).toContainText('Social Staff')
    } finally {
      await context.close()
    }
  })

  test('a duplicate too long for Pinterest opens as a form to shorten', async ({ page }) => {
    const title = `Long story ${randomBytes(3).toString('hex')}`
    await page.goto(`${app}/calendar/entries/new`)
    await page.getByLabel('Title').fill(title)
    await page.getByLabel('Description (caption)').fill('Linen. '.repeat(100))
    await page.getByRole('button', { name: 'Add to calendar' }).click()
    await page.getByRole('button', { name: 'Duplicate to Pinterest' }).click()

    await expect(page.getByRole('heading', { level: 1, name: 'New calendar entry' })).toBeVisible()
    await expect(page.getByLabel('Platform')).toHaveValue('pinterest')
    await expect(page.getByLabel('Title')).toHaveValue(title)
    await expect(page.locator('#new-entry-description-error')).toHaveText(
      'A Pinterest description can be at most 500 characters; this one has 699.',
    )
    await page.getByLabel('Description (caption)').fill('Linen, washed and soft.')
    await page.getByRole('button', { name: 'Add to calendar' }).click()
    await expect(page.getByRole('status')).toHaveText(`Added “${title}” to the calendar.`)
    await expect(page.getByText('Pinterest', { exact: true })).toBeVisible()
  })

  test('a post planned from a fabric features it, with one of its photos', async ({ page }) => {
    const name = `Rust corduroy ${randomBytes(3).toString('hex')}`
    const [fabric] = await onDatabase<{ id: string }>(
      `insert into fabrics (name, price, stock_quantity, in_stock) values ($1, '21.00', 4, true) returning id`,
      [name],
    )
    await page.goto(`${app}/fabrics/${fabric!.id}/images`)
    const upload = page.getByRole('form', { name: 'Add images' })
    await upload.getByLabel('Images', { exact: true }).setInputFiles({
      name: 'rust.png',
      mimeType: 'image/png',
      buffer: await sharp({ create: { width: 400, height: 300, channels: 3, background: '#a0522d' } }).png().toBuffer(),
    })
    await upload.getByRole('button', { name: 'Upload' }).click()
    await expect(page.getByRole('status')).toHaveText('1 image added.')

    await page.goto(`${app}/fabrics/${fabric!.id}`)
    await page.getByRole('link', { name: 'Plan a post about this fabric' }).click()
    await expect(page.getByLabel(name)).toBeChecked()
    await page.getByLabel('Title').fill(`${name} is back`)
    await page.getByLabel(/Use image/).check()
    await page.getByRole('button', { name: 'Add to calendar' }).click()
    await expect(page.getByRole('heading', { level: 1, name: `${name} is back` })).toBeVisible()
    await expect(page.getByRole('link', { name, exact: true })).toBeVisible()
    const media = page.getByRole('link', { name: new RegExp(`^${app}/uploads/fabrics/${fabric!.id}/`) })
    await expect(media).toHaveCount(1)
    expect((await page.request.get((await media.getAttribute('href'))!)).headers()['content-type']).toBe('image/webp')
  })

  test('deleting asks first, then the entry is gone from the calendar', async ({ page }) => {
    const title = `Old giveaway ${randomBytes(3).toString('hex')}`
    const day = dayAhead(50)
    await page.goto(`${app}/calendar/entries/new?date=${day}`)
    await page.getByLabel('Title').fill(title)
    await page.getByRole('button', { name: 'Add to calendar' }).click()
    const entryUrl = page.url()

    await page.getByRole('link', { name: `Delete entry “${title}”…` }).click()
    await expect(page.getByRole('heading', { name: `Delete “${title}”?` })).toBeVisible()
    await page.getByRole('link', { name: 'Keep it' }).click()
    await expect(page).toHaveURL(entryUrl)
    await expect(page.getByRole('button', { name: `Delete entry “${title}”` })).toHaveCount(0)

    await page.getByRole('link', { name: `Delete entry “${title}”…` }).click()
    await page.getByRole('button', { name: `Delete entry “${title}”` }).click()
    await expect(page.getByRole('status')).toHaveText('Entry deleted.')
    await expect(page.getByRole('heading', { level: 1, name: 'Content calendar' })).toBeVisible()
    await page.goto(`${app}/calendar?view=month&date=${day}`)
    await expect(page.getByRole('link', { name: new RegExp(title) })).toHaveCount(0)
    expect((await page.goto(entryUrl))?.status()).toBe(404)
  })

  test('the list of published entries says they are all before its days, and one link lists them', async ({ page }) => {
    // The coming week (other tests here publish entries weeks ahead): the demo's are all in the past.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date())
    const weekOn = new Date(Date.parse(`${today}T12:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10)
    await page.goto(`${app}/calendar?view=list&status=published&date=${today}&to=${weekOn}`)
    await expect(page.getByText(/^No published entries in these days\./)).toBeVisible()
    const widen = page.getByRole('link', { name: /^Show the \d+ earlier, from / })
    const shown = Number((await widen.textContent())!.match(/\d+/)![0])
    expect(shown).toBeGreaterThanOrEqual(12) // the demo's published posts
    await widen.click()
    await expect(page).toHaveURL(/status=published/)
    await expect(page.getByText(`${shown} entries match.`, { exact: true })).toBeVisible()
    await expect(page.getByRole('link', { name: /^Show the \d+ earlier/ })).toHaveCount(0)
  })
})

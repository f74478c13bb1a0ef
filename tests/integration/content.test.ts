// Calendar entries on every driver: the form's limits and time zone, edits guarded by a version,
// duplicates, publishing, engagement readings, and row-level security: the database itself
// refuses another user's rows to the app role, even for a query that forgets to check.
import { eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { contentFormSchema, engagementSchema, READING_MESSAGES } from '~/models/content-form'
import { isSearch } from '~/models/content-form.server'
import {
  createEntry,
  deleteEntry,
  duplicateEntry,
  getEntry,
  recordEngagement,
  setPublished,
  updateEntry,
  type Actor,
  type ContentFields,
} from '~/models/content.server'
import { contentCalendar, contentFabrics, fabrics, users } from '~/models/schema'
import { asAppUser } from '~/services/db.server'
import { expectPgError, TARGETS, useMigratedDatabase } from '../setup/databases'

function fields(overrides: Partial<ContentFields> = {}): ContentFields {
  return {
    platform: 'instagram',
    contentType: 'post',
    title: 'New linen in',
    description: 'Fresh bolts of washed linen.',
    mediaUrls: ['https://example.com/linen.jpg'],
    hashtags: ['linen', 'sewing'],
    scheduledDate: new Date('2026-12-01T10:00:00Z'),
    fabricIds: [],
    ...overrides,
  }
}

/** The form as a browser posts it. */
function form(values: Record<string, string | string[]>) {
  const data = new FormData()
  for (const [key, value] of Object.entries(values)) {
    for (const v of Array.isArray(value) ? value : [value]) data.append(key, v)
  }
  return Object.fromEntries([...new Set(data.keys())].map((k) => [k, data.getAll(k).length > 1 ? data.getAll(k) : data.get(k)]))
}

describe('the entry form', () => {
  const schema = contentFormSchema('Europe/London')
  const valid = { platform: 'instagram', contentType: 'post', title: 'Linen week' }

  it('refuses an Instagram caption over 2,200 characters and a Pinterest description over 500', () => {
    expect(schema.safeParse({ ...valid, description: 'a'.repeat(2200) }).success).toBe(true)
    const long = schema.safeParse({ ...valid, description: 'a'.repeat(2201) })
    expect(long.success).toBe(false)
    expect(long.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['description', 'A Instagram caption can be at most 2,200 characters; this one has 2,201.'],
    ])
    expect(schema.safeParse({ ...valid, platform: 'pinterest', description: 'a'.repeat(500) }).success).toBe(true)
    const pin = schema.safeParse({ ...valid, platform: 'pinterest', description: 'a'.repeat(501) })
    expect(pin.error?.issues[0]?.path).toEqual(['description'])
    // Facebook takes the long caption; characters, not bytes, are counted.
    expect(schema.safeParse({ ...valid, platform: 'facebook', description: 'a'.repeat(2201) }).success).toBe(true)
    expect(schema.safeParse({ ...valid, platform: 'pinterest', description: 'é🧵'.repeat(250) }).success).toBe(true)
  })

  it('normalises hashtags and holds Instagram to 30', () => {
    const parsed = schema.parse({ ...valid, hashtags: '#Linen #sewing, linen  #SEWING,#new_in' })
    expect(parsed.hashtags).toEqual(['linen', 'sewing', 'new_in'])
    const thirty = Array.from({ length: 30 }, (_, i) => `#tag${i}`).join(' ')
    expect(schema.safeParse({ ...valid, hashtags: thirty }).success).toBe(true)
    const over = schema.safeParse({ ...valid, hashtags: `${thirty} #one_more` })
    expect(over.error?.issues.map((i) => i.message)).toEqual(['Instagram allows at most 30 hashtags; there are 31.'])
    expect(schema.safeParse({ ...valid, platform: 'facebook', hashtags: `${thirty} #one_more` }).success).toBe(true)
    const bad = schema.safeParse({ ...valid, hashtags: '#ok #new-in #🧵' })
    expect(bad.error?.issues[0]?.message).toBe('Not a hashtag: “#new-in”, “#🧵”. Use letters, numbers and _ only.')
  })

  it('takes media addresses one per line, only http(s), and names the bad line', () => {
    const ok = schema.parse({ ...valid, mediaUrls: 'https://a.example/1.jpg\r\n\r\n  http://b.example/2.mp4  ' })
    expect(ok.mediaUrls).toEqual(['https://a.example/1.jpg', 'http://b.example/2.mp4'])
    const bad = schema.safeParse({ ...valid, mediaUrls: 'https://a.example/1.jpg\nftp://b.example/2.jpg\nnot a url' })
    expect(bad.error?.issues.map((i) => i.message)).toEqual([
      'Line 2 (“ftp://b.example/2.jpg”) is not a web address: it must start with http:// or https://.',
      'Line 3 (“not a url”) is not a web address: it must start with http:// or https://.',
    ])
    // Ticked fabric images join the typed addresses, once each.
    const picked = schema.parse(
      form({ ...valid, mediaUrls: 'https://a.example/1.jpg', mediaPicks: ['https://shop.example/u/f.webp', 'https://a.example/1.jpg'] }),
    )
    expect(picked.mediaUrls).toEqual(['https://shop.example/u/f.webp', 'https://a.example/1.jpg'])
  })

  it('reads the date and time in the shop’s time zone: 23:30 local stays on its day', () => {
    const london = contentFormSchema('Europe/London').parse({ ...valid, scheduledAt: '2026-07-01T23:30' })
    expect(london.scheduledDate?.toISOString()).toBe('2026-07-01T22:30:00.000Z')
    const newYork = contentFormSchema('America/New_York').parse({ ...valid, scheduledAt: '2026-07-01T23:30' })
    expect(newYork.scheduledDate?.toISOString()).toBe('2026-07-02T03:30:00.000Z')
    const tokyo = contentFormSchema('Asia/Tokyo').parse({ ...valid, scheduledAt: '2026-07-01T00:30' })
    expect(tokyo.scheduledDate?.toISOString()).toBe('2026-06-30T15:30:00.000Z')
    expect(schema.parse({ ...valid, scheduledAt: '' }).scheduledDate).toBeNull()
    expect(schema.safeParse({ ...valid, scheduledAt: '2026-02-30T10:00' }).error?.issues[0]?.message).toBe(
      'Enter a date and time, like 2026-12-01 14:30.',
    )
  })
})

describe('Enter in the entry form', () => {
  const sent = (values: Record<string, string>) => {
    const data = new FormData()
    for (const [k, v] of Object.entries(values)) data.append(k, v)
    return data
  }

  it('searches when the "Find fabrics" box holds text, and saves otherwise', () => {
    // Enter submits with the form's first (hidden) button, intent "enter".
    expect(isSearch(sent({ intent: 'enter', title: 'Linen week', fabricQuery: 'sage' }))).toBe(true)
    expect(isSearch(sent({ intent: 'enter', title: 'Linen week', fabricQuery: '   ' }))).toBe(false)
    expect(isSearch(sent({ intent: 'enter', title: 'Linen week' }))).toBe(false)
    // The buttons say what they do, whatever is in the box.
    expect(isSearch(sent({ intent: 'find', fabricQuery: '' }))).toBe(true)
    expect(isSearch(sent({ intent: 'save', fabricQuery: 'sage' }))).toBe(false)
  })
})

describe('an engagement reading as typed', () => {
  const now = new Date('2026-12-02T15:00:00Z')
  const schema = engagementSchema('America/New_York', now)
  const blank = { likes: '', comments: '', shares: '', saves: '', reach: '', impressions: '', readAt: '2026-12-02T09:30' }
  const errors = (values: Record<string, string>) =>
    schema.safeParse({ ...blank, ...values }).error?.issues.map((i) => [i.path.join('.'), i.message])

  it('reads "2,400", "2 400" and "2400" as 2400, and a blank figure as not read (null, not 0)', () => {
    const reading = schema.parse({ ...blank, likes: '2,400', comments: ' 2 400 ', shares: '2400', saves: '0', reach: '1,234,567', impressions: '2\u00a0400' })
    expect(reading).toEqual({
      likes: 2400,
      comments: 2400,
      shares: 2400,
      saves: 0,
      reach: 1234567,
      impressions: 2400,
      readAt: '2026-12-02T14:30:00.000Z',
    })
    expect(schema.parse({ ...blank, likes: '12' })).toEqual({
      likes: 12,
      comments: null,
      shares: null,
      saves: null,
      reach: null,
      impressions: null,
      readAt: '2026-12-02T14:30:00.000Z',
    })
    expect(schema.parse({ likes: '5', readAt: '2026-12-02T09:30' }).reach).toBeNull()
  })

  it('refuses negative, fractional and malformed figures with a message on the field', () => {
    expect(errors({ likes: '-3' })).toEqual([['likes', READING_MESSAGES.negative]])
    expect(errors({ likes: '−3' })).toEqual([['likes', READING_MESSAGES.negative]])
    expect(errors({ comments: '2.5' })).toEqual([['comments', READING_MESSAGES.fraction]])
    expect(errors({ reach: '1,200.5' })).toEqual([['reach', READING_MESSAGES.fraction]])
    for (const typed of ['24,00', '2,4000', 'lots', '1e3', '12 k', ',400']) {
      expect(errors({ shares: typed }), typed).toEqual([['shares', READING_MESSAGES.format]])
    }
    expect(errors({ impressions: '1,000,000,001' })).toEqual([['impressions', READING_MESSAGES.tooLarge]])
    expect(errors({ impressions: '100000000000000' })).toEqual([['impressions', READING_MESSAGES.tooLarge]])
    expect(errors({ impressions: '9'.repeat(400) })).toEqual([['impressions', READING_MESSAGES.tooLarge]])
    expect(errors({ likes: '1,000,000,000' })).toBeUndefined()
  })

  it('needs at least one figure, and a time that is not in the future', () => {
    expect(errors({})).toEqual([['', READING_MESSAGES.none]])
    expect(errors({ likes: '1', readAt: '2026-12-02T11:00' })).toEqual([['readAt', 'That is in the future.']])
    expect(errors({ likes: '1', readAt: 'yesterday' })).toEqual([['readAt', 'Enter a date and time, like 2026-12-01 14:30.']])
  })
})

describe.each(TARGETS)('calendar entries on %s', (target) => {
  const database = useMigratedDatabase(target)
  let author: Actor
  let other: Actor
  let admin: Actor
  let fabricId: string

  beforeAll(async () => {
    const made = await database.db
      .insert(users)
      .values([
        { email: 'author@example.com', name: 'Asha Author', role: 'user' },
        { email: 'other@example.com', name: 'Omar Other', role: 'user' },
        { email: 'boss@example.com', name: 'Bea Boss', role: 'admin' },
      ])
      .returning({ id: users.id, role: users.role })
    ;[author, other, admin] = made as [Actor, Actor, Actor]
    const [fabric] = await database.db
      .insert(fabrics)
      .values({ name: 'Sage linen', price: '18.00', images: [{ src: '/uploads/fabrics/sage.webp', alt: 'Sage' }] })
      .returning({ id: fabrics.id })
    fabricId = fabric!.id
  })

  it('creates an entry with its author and featured fabrics', async () => {
    const id = await createEntry({ actor: author, fields: fields({ fabricIds: [fabricId] }) })
    const entry = await getEntry({ id, actor: other })
    expect(entry).toMatchObject({
      title: 'New linen in',
      userId: author.id,
      author: 'Asha Author',
      hashtags: ['linen', 'sewing'],
      published: false,
      version: 1,
    })
    expect(entry?.fabrics.map((f) => f.name)).toEqual(['Sage linen'])
    expect(await getEntry({ id: 'not-a-uuid', actor: author })).toBeNull()
  })

  it('saves an edit only over the version it was loaded at', async () => {
    const id = await createEntry({ actor: author, fields: fields() })
    const first = await updateEntry({ id, actor: author, version: 1, fields: fields({ title: 'First edit' }) })
    expect(first).toEqual({ ok: true, version: 2 })
    const stale = await updateEntry({ id, actor: admin, version: 1, fields: fields({ title: 'Stale edit' }) })
    expect(stale.ok).toBe(false)
    expect(stale.ok === false && stale.problem === 'conflict' && stale.current.title).toBe('First edit')
    expect((await getEntry({ id, actor: author }))?.title).toBe('First edit')
    // An admin may edit anyone's entry; another user may not.
    expect(await updateEntry({ id, actor: admin, version: 2, fields: fields({ title: 'By the admin' }) })).toEqual({
      ok: true,
      version: 3,
    })
    expect(await updateEntry({ id, actor: other, version: 3, fields: fields({ title: 'Mine now' }) })).toEqual({
      ok: false,
      problem: 'forbidden',
    })
    expect((await getEntry({ id, actor: author }))?.title).toBe('By the admin')
  })

  it('duplicates to another platform, unless the text breaks that platform’s limits', async () => {
    const id = await createEntry({ actor: author, fields: fields({ fabricIds: [fabricId] }) })
    await setPublished({ id, actor: author, published: true })
    const copy = await duplicateEntry({ id, actor: other, platform: 'pinterest' })
    expect(copy.ok).toBe(true)
    const duplicate = copy.ok ? await getEntry({ id: copy.id, actor: other }) : null
    expect(duplicate).toMatchObject({
      platform: 'pinterest',
      title: 'New linen in',
      userId: other.id,
      published: false,
      publishedDate: null,
      hashtags: ['linen', 'sewing'],
      mediaUrls: ['https://example.com/linen.jpg'],
    })
    expect(duplicate?.fabrics.map((f) => f.id)).toEqual([fabricId])

    const long = await createEntry({ actor: author, fields: fields({ description: 'x'.repeat(600) }) })
    const before = await database.db.$count(contentCalendar)
    expect(await duplicateEntry({ id: long, actor: author, platform: 'pinterest' })).toEqual({
      ok: false,
      problem: 'limits',
      errors: { description: 'A Pinterest description can be at most 500 characters; this one has 600.' },
    })
    expect(await database.db.$count(contentCalendar)).toBe(before)
  })

  it('publishes and unpublishes, by the author or an admin only', async () => {
    const id = await createEntry({ actor: author, fields: fields() })
    const now = new Date('2026-12-01T12:00:00Z')
    expect(await setPublished({ id, actor: other, published: true })).toEqual({ ok: false, problem: 'forbidden' })
    expect(await setPublished({ id, actor: author, published: true, now })).toEqual({ ok: true })
    expect(await getEntry({ id, actor: author })).toMatchObject({ published: true, publishedDate: now })
    expect(await setPublished({ id, actor: admin, published: false })).toEqual({ ok: true })
    expect(await getEntry({ id, actor: author })).toMatchObject({ published: false, publishedDate: null })
  })

  it('keeps every engagement reading, the latest on top', async () => {
    const id = await createEntry({ actor: author, fields: fields() })
    const reading = (readAt: string, likes: number) => ({
      likes,
      comments: 1,
      shares: 2,
      saves: 3,
      reach: 400,
      impressions: 500,
      readAt,
    })
    expect(await recordEngagement({ id, actor: author, reading: reading('2026-12-02T09:00:00.000Z', 10) })).toEqual({
      ok: false,
      problem: 'not-published',
    })
    await setPublished({ id, actor: author, published: true })
    await recordEngagement({ id, actor: author, reading: reading('2026-12-02T09:00:00.000Z', 10) })
    await recordEngagement({ id, actor: admin, reading: reading('2026-12-05T09:00:00.000Z', 50) })
    // A reading typed late, for an earlier day, goes into the history, not on top.
    await recordEngagement({ id, actor: author, reading: reading('2026-12-03T09:00:00.000Z', 20) })
    expect(await recordEngagement({ id, actor: other, reading: reading('2026-12-06T09:00:00.000Z', 99) })).toEqual({
      ok: false,
      problem: 'forbidden',
    })
    const metrics = (await getEntry({ id, actor: author }))!.engagementMetrics
    expect(metrics.likes).toBe(50)
    expect(metrics.readAt).toBe('2026-12-05T09:00:00.000Z')
    expect(metrics.history?.map((r) => r.likes)).toEqual([10, 20])
  })

  it('stores a figure not read as null, not 0', async () => {
    const id = await createEntry({ actor: author, fields: fields() })
    await setPublished({ id, actor: author, published: true })
    const reading = { likes: 2400, comments: null, shares: null, saves: 3, reach: null, impressions: null, readAt: '2026-12-02T09:00:00.000Z' }
    expect(await recordEngagement({ id, actor: author, reading })).toEqual({ ok: true })
    const metrics = (await getEntry({ id, actor: author }))!.engagementMetrics
    expect(metrics).toMatchObject(reading)
    const [raw] = await database.db
      .select({ comments: sql<string | null>`jsonb_typeof(${contentCalendar.engagementMetrics}->'comments')` })
      .from(contentCalendar)
      .where(eq(contentCalendar.id, id))
    expect(raw?.comments).toBe('null') // stored, as JSON null
  })

  it('loses no reading when several are recorded at once', async () => {
    const id = await createEntry({ actor: author, fields: fields() })
    await setPublished({ id, actor: author, published: true })
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        recordEngagement({
          id,
          actor: i % 2 ? admin : author,
          reading: { likes: i, comments: 0, shares: 0, saves: 0, reach: 0, impressions: 0, readAt: `2026-12-${String(10 + i)}T09:00:00.000Z` },
        }),
      ),
    )
    const metrics = (await getEntry({ id, actor: author }))!.engagementMetrics
    expect(metrics.likes).toBe(9)
    expect(metrics.history?.map((r) => r.likes)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8])
  })

  it('deletes only for the author or an admin', async () => {
    const id = await createEntry({ actor: author, fields: fields({ fabricIds: [fabricId] }) })
    expect(await deleteEntry({ id, actor: other })).toEqual({ ok: false, problem: 'forbidden' })
    expect(await deleteEntry({ id, actor: author })).toEqual({ ok: true })
    expect(await getEntry({ id, actor: author })).toBeNull()
    expect(await database.db.$count(contentFabrics, eq(contentFabrics.contentId, id))).toBe(0)
  })

  it('the database keeps the platforms’ limits too', async () => {
    const row = { userId: author.id, contentType: 'post' as const, title: 'Direct' }
    expect(
      await expectPgError(database.db.insert(contentCalendar).values({ ...row, platform: 'pinterest', description: 'x'.repeat(501) })),
    ).toBe('23514')
    const tags = Array.from({ length: 31 }, (_, i) => `t${i}`)
    expect(
      await expectPgError(database.db.insert(contentCalendar).values({ ...row, platform: 'instagram', hashtags: tags })),
    ).toBe('23514')
  })

  describe('row-level security for the app role', () => {
    let theirs: string

    beforeAll(async () => {
      theirs = await createEntry({ actor: author, fields: fields({ title: 'Author’s own', fabricIds: [fabricId] }) })
    })

    it('runs as a role that owns nothing, so the policies apply', async () => {
      const [who] = await asAppUser(other.id, (tx) =>
        tx.execute(sql`select current_user as role, (select rolsuper from pg_roles where rolname = current_user) as super`),
      ).then((r) => (r as unknown as { rows: { role: string; super: boolean }[] }).rows)
      expect(who).toEqual({ role: 'app_user', super: false })
    })

    it('lets every signed-in user read every entry', async () => {
      const seen = await asAppUser(other.id, (tx) =>
        tx.select({ id: contentCalendar.id }).from(contentCalendar).where(eq(contentCalendar.id, theirs)),
      )
      expect(seen).toHaveLength(1)
    })

    it('refuses another user’s rows to an update or delete that forgot to check the author', async () => {
      // Deliberately unscoped: no author condition, as a buggy model function might write it.
      const updated = await asAppUser(other.id, (tx) =>
        tx.update(contentCalendar).set({ title: 'Hijacked' }).where(eq(contentCalendar.id, theirs)).returning(),
      )
      expect(updated).toHaveLength(0)
      const deleted = await asAppUser(other.id, (tx) =>
        tx.delete(contentCalendar).where(eq(contentCalendar.id, theirs)).returning(),
      )
      expect(deleted).toHaveLength(0)
      const unlinked = await asAppUser(other.id, (tx) =>
        tx.delete(contentFabrics).where(eq(contentFabrics.contentId, theirs)).returning(),
      )
      expect(unlinked).toHaveLength(0)
      const [row] = await database.db.select().from(contentCalendar).where(eq(contentCalendar.id, theirs))
      expect(row?.title).toBe('Author’s own')
      expect(await database.db.$count(contentFabrics, eq(contentFabrics.contentId, theirs))).toBe(1)
    })

    it('refuses an insert in someone else’s name, and a fabric link on their entry', async () => {
      const asOther = asAppUser(other.id, (tx) =>
        tx.insert(contentCalendar).values({ userId: author.id, platform: 'facebook', contentType: 'post', title: 'Forged' }),
      )
      expect(await expectPgError(asOther)).toBe('42501')
      const [spare] = await database.db.insert(fabrics).values({ name: 'Spare', price: '1.00' }).returning({ id: fabrics.id })
      const link = asAppUser(other.id, (tx) => tx.insert(contentFabrics).values({ contentId: theirs, fabricId: spare!.id }))
      expect(await expectPgError(link)).toBe('42501')
    })

    it('lets an enabled admin change any entry, and not once disabled', async () => {
      const changed = await asAppUser(admin.id, (tx) =>
        tx.update(contentCalendar).set({ title: 'Fixed by admin' }).where(eq(contentCalendar.id, theirs)).returning(),
      )
      expect(changed).toHaveLength(1)
      await database.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, admin.id))
      try {
        const refused = await asAppUser(admin.id, (tx) =>
          tx.update(contentCalendar).set({ title: 'After leaving' }).where(eq(contentCalendar.id, theirs)).returning(),
        )
        expect(refused).toHaveLength(0)
      } finally {
        await database.db.update(users).set({ disabledAt: null }).where(eq(users.id, admin.id))
      }
    })

    it('shows nothing at all to the app role with no user named', async () => {
      const rows = await database.db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('role', 'app_user', true)`)
        return tx.select({ id: contentCalendar.id }).from(contentCalendar)
      })
      expect(rows).toHaveLength(0)
      expect(await database.db.$count(contentCalendar)).toBeGreaterThan(0)
    })

    it('cannot turn the policies off: the app role owns none of these tables', async () => {
      const off = asAppUser(other.id, (tx) => tx.execute(sql`alter table content_calendar disable row level security`))
      expect(await expectPgError(off)).toBe('42501')
      const dropped = asAppUser(other.id, (tx) => tx.execute(sql`drop policy content_calendar_read on content_calendar`))
      expect(await expectPgError(dropped)).toBe('42501')
    })
  })
})

// All queries about calendar entries: one entry, create, edit (guarded by a version), duplicate
// to another platform, publish, engagement readings, delete. Every query runs through
// asAppUser, so the row-level security policies (drizzle/0006_content_rls.sql) hold even where
// a check here is missing; the checks here give the clear answers ("not yours", "changed by
// someone else"). The calendar views are in calendar-view.server.ts, the feed in calendar-feed.server.ts.
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { asAppUser, type Transaction } from '~/services/db.server'
import { isUuid } from '~/utils/validation'
import { findFabrics } from './fabric.server'
import { refreshAnalytics } from './analytics-refresh.server'
import { platformProblems } from './content-options'
import { EngagementMetrics, EngagementReading, type FabricImage } from './json-types'
import { contentCalendar, contentFabrics, fabrics, users, type ContentType, type SocialPlatform } from './schema'

/** Who is asking: the model's own checks use the role; the database's use the id. */
export interface Actor {
  id: string
  role: 'admin' | 'user'
}

/** An entry's editable fields, as the form gives them after validation. */
export interface ContentFields {
  platform: SocialPlatform
  contentType: ContentType
  title: string
  description: string | null
  mediaUrls: string[]
  hashtags: string[]
  scheduledDate: Date | null
  fabricIds: string[]
}

export function canEdit(actor: Actor, entry: { userId: string }): boolean {
  return actor.role === 'admin' || entry.userId === actor.id
}

const entryColumns = {
  id: contentCalendar.id,
  userId: contentCalendar.userId,
  platform: contentCalendar.platform,
  contentType: contentCalendar.contentType,
  title: contentCalendar.title,
  description: contentCalendar.description,
  mediaUrls: contentCalendar.mediaUrls,
  hashtags: contentCalendar.hashtags,
  scheduledDate: contentCalendar.scheduledDate,
  published: contentCalendar.published,
  publishedDate: contentCalendar.publishedDate,
  engagementMetrics: contentCalendar.engagementMetrics,
  version: contentCalendar.version,
  createdAt: contentCalendar.createdAt,
  updatedAt: contentCalendar.updatedAt,
  author: sql<string>`coalesce(${users.name}, ${users.email})`,
}

async function readEntry(tx: Transaction, id: string) {
  const [entry] = await tx
    .select(entryColumns)
    .from(contentCalendar)
    .innerJoin(users, eq(users.id, contentCalendar.userId))
    .where(eq(contentCalendar.id, id))
  if (!entry) return null
  const featured = await tx
    .select({ id: fabrics.id, name: fabrics.name, sku: fabrics.sku, images: fabrics.images, archivedAt: fabrics.archivedAt })
    .from(contentFabrics)
    .innerJoin(fabrics, eq(fabrics.id, contentFabrics.fabricId))
    .where(eq(contentFabrics.contentId, id))
    .orderBy(asc(fabrics.name))
  return { ...entry, fabrics: featured }
}

/** One entry with its author's name and the fabrics it features; null if there is none. */
export async function getEntry({ id, actor }: { id: string; actor: Actor }) {
  if (!isUuid(id)) return null
  return asAppUser(actor.id, (tx) => readEntry(tx, id))
}
export type ContentEntryDetail = NonNullable<Awaited<ReturnType<typeof getEntry>>>

/** Fabrics by id (current or archived) with their images: the form's "featured fabrics". */
export async function fabricsByIds({ ids, actor }: { ids: string[]; actor: Actor }) {
  const wanted = ids.filter(isUuid)
  if (!wanted.length) return []
  return asAppUser(actor.id, (tx) =>
    tx
      .select({ id: fabrics.id, name: fabrics.name, sku: fabrics.sku, images: fabrics.images })
      .from(fabrics)
      .where(inArray(fabrics.id, wanted))
      .orderBy(asc(fabrics.name)),
  )
}
export type FeaturedFabric = { id: string; name: string; sku: string | null; images: FabricImage[] }

/** The form's fabric choices: those ticked (`ids`), then what a search finds. */
export async function fabricChoices({ actor, ids, query }: { actor: Actor; ids: string[]; query?: string }) {
  const found = query?.trim() ? await findFabrics({ q: query }) : []
  const ticked = await fabricsByIds({ ids: ids.filter((id) => !found.some((f) => f.id === id)), actor })
  return [...ticked, ...found] satisfies FeaturedFabric[]
}

async function linkFabrics(tx: Transaction, contentId: string, fabricIds: string[]) {
  await tx.delete(contentFabrics).where(eq(contentFabrics.contentId, contentId))
  if (fabricIds.length) {
    await tx.insert(contentFabrics).values([...new Set(fabricIds)].map((fabricId) => ({ contentId, fabricId })))
  }
}

function columnsOf(fields: ContentFields) {
  const { fabricIds: _fabricIds, ...columns } = fields
  return columns
}

/** A new entry by `actor`; returns its id. */
export async function createEntry({ actor, fields }: { actor: Actor; fields: ContentFields }): Promise<string> {
  return asAppUser(actor.id, async (tx) => {
    const [row] = await tx
      .insert(contentCalendar)
      .values({ ...columnsOf(fields), userId: actor.id })
      .returning({ id: contentCalendar.id })
    await linkFabrics(tx, row!.id, fields.fabricIds)
    return row!.id
  })
}

export type UpdateResult =
  | { ok: true; version: number }
  | { ok: false; problem: 'not-found' }
  | { ok: false; problem: 'forbidden' }
  | { ok: false; problem: 'conflict'; current: ContentEntryDetail }

/**
 * Saves `fields` only over the version the form was loaded at: if someone saved in between,
 * nothing is written and the caller gets what is saved now.
 */
export async function updateEntry({
  id,
  actor,
  version,
  fields,
}: {
  id: string
  actor: Actor
  version: number
  fields: ContentFields
}): Promise<UpdateResult> {
  if (!isUuid(id)) return { ok: false, problem: 'not-found' }
  // The day the entry was published on: a platform change moves its engagement between platforms.
  let publishedDate: Date | null = null
  const result = await asAppUser(actor.id, async (tx): Promise<UpdateResult> => {
    const current = await readEntry(tx, id)
    if (!current) return { ok: false, problem: 'not-found' }
    if (!canEdit(actor, current)) return { ok: false, problem: 'forbidden' }
    const [row] = await tx
      .update(contentCalendar)
      .set({ ...columnsOf(fields), version: sql`${contentCalendar.version} + 1` })
      .where(and(eq(contentCalendar.id, id), eq(contentCalendar.version, version)))
      .returning({ version: contentCalendar.version })
    if (!row) {
      const now = await readEntry(tx, id)
      return now ? { ok: false, problem: 'conflict', current: now } : { ok: false, problem: 'not-found' }
    }
    await linkFabrics(tx, id, fields.fabricIds)
    publishedDate = current.publishedDate
    return { ok: true, version: row.version }
  })
  if (result.ok) refreshAnalytics([publishedDate])
  return result
}

export type DuplicateResult =
  | { ok: true; id: string }
  | { ok: false; problem: 'not-found' }
  | { ok: false; problem: 'limits'; errors: { description?: string; hashtags?: string } }

/**
 * A copy of an entry for another platform, by `actor`, not yet published, with the same date,
 * text, media, hashtags and fabrics. Refused (nothing written) if the text breaks the target
 * platform's limits: the caller then opens the new-entry form with the copy to shorten.
 */
export async function duplicateEntry({
  id,
  actor,
  platform,
}: {
  id: string
  actor: Actor
  platform: SocialPlatform
}): Promise<DuplicateResult> {
  if (!isUuid(id)) return { ok: false, problem: 'not-found' }
  return asAppUser(actor.id, async (tx) => {
    const source = await readEntry(tx, id)
    if (!source) return { ok: false, problem: 'not-found' }
    const errors = platformProblems({ platform, description: source.description, hashtags: source.hashtags })
    if (errors.description || errors.hashtags) return { ok: false, problem: 'limits', errors }
    const [row] = await tx
      .insert(contentCalendar)
      .values({
        userId: actor.id,
        platform,
        contentType: source.contentType,
        title: source.title,
        description: source.description,
        mediaUrls: source.mediaUrls,
        hashtags: source.hashtags,
        scheduledDate: source.scheduledDate,
      })
      .returning({ id: contentCalendar.id })
    await linkFabrics(
      tx,
      row!.id,
      source.fabrics.map((f) => f.id),
    )
    return { ok: true, id: row!.id }
  })
}

export type ChangeResult = { ok: true } | { ok: false; problem: 'not-found' | 'forbidden' }

async function changeOwnEntry(
  id: string,
  actor: Actor,
  change: (tx: Transaction) => Promise<unknown>,
): Promise<ChangeResult> {
  if (!isUuid(id)) return { ok: false, problem: 'not-found' }
  // The days the entry was published on, before and after: their engagement figures change.
  const published: (Date | null)[] = []
  const result = await asAppUser(actor.id, async (tx): Promise<ChangeResult> => {
    const [entry] = await tx
      .select({ userId: contentCalendar.userId, publishedDate: contentCalendar.publishedDate })
      .from(contentCalendar)
      .where(eq(contentCalendar.id, id))
    if (!entry) return { ok: false, problem: 'not-found' }
    if (!canEdit(actor, entry)) return { ok: false, problem: 'forbidden' }
    // Locks the row (FOR UPDATE sees only rows the role may change): publishing, engagement
    // and deleting never interleave on one entry.
    const [locked] = await tx
      .select({ id: contentCalendar.id })
      .from(contentCalendar)
      .where(eq(contentCalendar.id, id))
      .for('update')
    if (!locked) return { ok: false, problem: 'forbidden' }
    await change(tx)
    const [after] = await tx
      .select({ publishedDate: contentCalendar.publishedDate })
      .from(contentCalendar)
      .where(eq(contentCalendar.id, id))
    published.push(entry.publishedDate, after?.publishedDate ?? null)
    return { ok: true }
  })
  refreshAnalytics(published)
  return result
}

/** "Mark as published" (now) or back to not published; the engagement readings stay. */
export async function setPublished({
  id,
  actor,
  published,
  now = new Date(),
}: {
  id: string
  actor: Actor
  published: boolean
  now?: Date
}): Promise<ChangeResult> {
  return changeOwnEntry(id, actor, (tx) =>
    tx
      .update(contentCalendar)
      .set({ published, publishedDate: published ? now : null })
      .where(eq(contentCalendar.id, id)),
  )
}

/**
 * Adds one engagement reading. The latest (by the date it was read) stays at the top level of
 * `engagement_metrics`; every earlier one is kept in `history`, oldest first.
 */
export function addReading(metrics: EngagementMetrics, reading: EngagementReading): EngagementMetrics {
  const { history = [], ...latest } = metrics
  const earlier = EngagementReading.safeParse(latest).success ? [...history, EngagementReading.parse(latest)] : history
  const all = [...earlier, EngagementReading.parse(reading)].sort(
    (a, b) => new Date(a.readAt).getTime() - new Date(b.readAt).getTime(),
  )
  const newest = all.pop()!
  return EngagementMetrics.parse({ ...newest, history: all })
}

export async function recordEngagement({
  id,
  actor,
  reading,
}: {
  id: string
  actor: Actor
  reading: EngagementReading
}): Promise<ChangeResult | { ok: false; problem: 'not-published' }> {
  if (!isUuid(id)) return { ok: false, problem: 'not-found' }
  let notPublished = false
  const result = await changeOwnEntry(id, actor, async (tx) => {
    const [row] = await tx
      .select({ published: contentCalendar.published, metrics: contentCalendar.engagementMetrics })
      .from(contentCalendar)
      .where(eq(contentCalendar.id, id))
    if (!row?.published) {
      notPublished = true
      return
    }
    await tx
      .update(contentCalendar)
      .set({ engagementMetrics: addReading(row.metrics, reading) })
      .where(eq(contentCalendar.id, id))
  })
  return result.ok && notPublished ? { ok: false, problem: 'not-published' } : result
}

export async function deleteEntry({ id, actor }: { id: string; actor: Actor }): Promise<ChangeResult> {
  return changeOwnEntry(id, actor, (tx) => tx.delete(contentCalendar).where(eq(contentCalendar.id, id)))
}

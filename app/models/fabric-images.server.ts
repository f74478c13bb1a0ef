// A fabric's images (the `images` jsonb array). The files behind them are written and deleted
// by app/models/images.server.ts. None of these touch `version`: it guards edits of the
// descriptive fields, and adding a photo must not make someone's open edit form stale.
import { and, eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db, rows, type Transaction } from '~/services/db.server'
import { isUuid } from '~/utils/validation'
import { FabricImage } from './json-types'
import { fabrics } from './schema'

export const MAX_IMAGES_PER_FABRIC = 8

/** The fabric's name and images, or null when there is no such fabric. */
export async function getFabricImages({ fabricId }: { fabricId: string }) {
  if (!isUuid(fabricId)) return null
  const [row] = await db
    .select({ id: fabrics.id, name: fabrics.name, images: fabrics.images })
    .from(fabrics)
    .where(eq(fabrics.id, fabricId))
  return row ?? null
}

/**
 * Appends images in one conditional UPDATE: null when the fabric is not there or would then
 * have more than MAX_IMAGES_PER_FABRIC (concurrent uploads queue on the row lock, and each
 * re-checks the count it finds).
 */
export async function addFabricImages({ fabricId, images }: { fabricId: string; images: FabricImage[] }) {
  if (!isUuid(fabricId)) return null
  const parsed = z.array(FabricImage).min(1).parse(images)
  const [row] = await db
    .update(fabrics)
    .set({ images: sql`${fabrics.images} || ${JSON.stringify(parsed)}::jsonb` })
    .where(
      and(
        eq(fabrics.id, fabricId),
        sql`jsonb_array_length(${fabrics.images}) + ${parsed.length}::int <= ${MAX_IMAGES_PER_FABRIC}::int`,
      ),
    )
    .returning({ images: fabrics.images })
  return row ?? null
}

/** The fabric's images, its row locked until the transaction ends (so edits never cross). */
async function lockImages(tx: Transaction, fabricId: string) {
  const [row] = await tx.select({ images: fabrics.images }).from(fabrics).where(eq(fabrics.id, fabricId)).for('update')
  return row
}

/**
 * Takes one image (by its `src`) out of the array. Returns the removed image and those of its
 * URLs (`src`, `thumb`) that no fabric names any more, whose files the caller may delete once
 * this has committed; null when not there.
 *
 * Two fabrics can name the same file: an export of the listings carries our image URLs, and an
 * import may set them on another fabric. A file therefore belongs to every image that names it,
 * and only the removal that takes away its last name lets it go. That is decided inside the
 * transaction, under a lock per URL: two removals of the last two names queue there, the second
 * one's check reads the first one's committed change, and exactly one of them (the later) finds
 * the file unnamed. No removal can find a file unnamed while another fabric still shows it: that
 * fabric's own removal has not committed, so its name is still there to be seen.
 */
export async function removeFabricImage({
  fabricId,
  src,
}: {
  fabricId: string
  src: string
}): Promise<{ image: FabricImage; unreferenced: string[] } | null> {
  if (!isUuid(fabricId)) return null
  return db.transaction(async (tx) => {
    const row = await lockImages(tx, fabricId)
    const removed = row?.images.find((image) => image.src === src)
    if (!row || !removed) return null
    await tx
      .update(fabrics)
      .set({ images: row.images.filter((image) => image.src !== src) })
      .where(eq(fabrics.id, fabricId))
    const urls = [...new Set([removed.src, removed.thumb].filter((url): url is string => Boolean(url)))]
    return { image: removed, unreferenced: await unreferencedUrls(tx, urls) }
  })
}

/**
 * Which of `urls` no fabric's images name (as `src` or `thumb`), read under a transaction-long
 * advisory lock per URL, taken in one order so that removals never deadlock on them.
 */
async function unreferencedUrls(tx: Transaction, urls: string[]): Promise<string[]> {
  const list = JSON.stringify(urls)
  await tx.execute(sql`select pg_advisory_xact_lock(k)
    from (select distinct hashtextextended('fabric image ' || u, 0) as k from jsonb_array_elements_text(${list}::jsonb) u) s
    order by k`)
  // A statement of its own, after the locks: it sees what the removals before it committed.
  const unnamed = await rows<{ url: string }>(
    tx,
    sql`select u as url from jsonb_array_elements_text(${list}::jsonb) u
      where not exists (
        select 1 from ${fabrics} f
        where f.images @> jsonb_build_array(jsonb_build_object('src', u))
           or f.images @> jsonb_build_array(jsonb_build_object('thumb', u)))`,
  )
  return unnamed.map((r) => r.url)
}

/** Changes one image's alt text; returns the updated image, or null when not there. */
export async function setImageAlt({ fabricId, src, alt }: { fabricId: string; src: string; alt: string }) {
  if (!isUuid(fabricId)) return null
  return db.transaction(async (tx) => {
    const row = await lockImages(tx, fabricId)
    const index = row?.images.findIndex((image) => image.src === src) ?? -1
    if (!row || index < 0) return null
    const updated = FabricImage.parse({ ...row.images[index], alt })
    await tx
      .update(fabrics)
      .set({ images: row.images.map((image, i) => (i === index ? updated : image)) })
      .where(eq(fabrics.id, fabricId))
    return updated
  })
}

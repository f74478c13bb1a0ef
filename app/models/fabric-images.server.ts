// A fabric's images (the `images` jsonb array). The files behind them are written and deleted
// by app/services/images.server.ts. None of these touch `version`: it guards edits of the
// descriptive fields, and adding a photo must not make someone's open edit form stale.
import { and, eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db, type Transaction } from '~/services/db.server'
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
 * Takes one image (by its `src`) out of the array; returns the removed image so that the
 * caller can delete its files, now that nothing refers to them. Null when not there.
 */
export async function removeFabricImage({ fabricId, src }: { fabricId: string; src: string }) {
  if (!isUuid(fabricId)) return null
  return db.transaction(async (tx) => {
    const row = await lockImages(tx, fabricId)
    const removed = row?.images.find((image) => image.src === src)
    if (!row || !removed) return null
    await tx
      .update(fabrics)
      .set({ images: row.images.filter((image) => image.src !== src) })
      .where(eq(fabrics.id, fabricId))
    return removed
  })
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

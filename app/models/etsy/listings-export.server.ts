// The catalog (or a filtered list of it) as Etsy's listings file (EtsyListingsDownload.csv,
// DESIGN.md §9), in the columns the import reads, read through a cursor in batches. Import and
// export are exact inverses: exporting and importing changes nothing.
import { sql } from 'drizzle-orm'
import { db, rows } from '~/services/db.server'
import { env } from '~/services/env.server'
import { csvHeader, csvRows } from '~/utils/csv'
import { fabricOrder, fabricWhere, type FabricQuery } from '../fabric.server'
import type { EtsyVariation } from '../json-types'
import { fabrics } from '../schema'
import { ETSY_LISTING_COLUMNS, IMAGE_COLUMNS, LISTINGS_FILE_NAME, VARIATIONS, type ListingSettings } from './listing-rows'

export const EXPORT_FILENAME = LISTINGS_FILE_NAME

interface ExportRow {
  name: string
  description: string | null
  price: string
  quantity: string
  tags: string
  composition: string | null
  srcs: string
  variations: string
  sku: string | null
}

function exportRecord(row: ExportRow, settings: ListingSettings): string[] {
  // Our own uploads are stored as paths: the file carries them as full addresses.
  const srcs = (JSON.parse(row.srcs) as string[]).map((src) => (src.startsWith('/') ? `${settings.appUrl}${src}` : src))
  const variations = JSON.parse(row.variations) as EtsyVariation[]
  return [
    row.name,
    row.description ?? '',
    row.price,
    settings.currency,
    row.quantity,
    (JSON.parse(row.tags) as string[]).join(','),
    row.composition ?? '',
    ...IMAGE_COLUMNS.map((_, i) => srcs[i] ?? ''),
    ...VARIATIONS.flatMap((_, i) => {
      const v = variations[i]
      return [v?.type ?? '', v?.name ?? '', v?.values ?? '']
    }),
    row.sku ?? '',
  ]
}

/**
 * The fabrics a list query covers (no paging: all of them), in the list's order, as Etsy's
 * listings file. Rows are read through a cursor, a batch at a time, as the response is read.
 * Resolves once the first batch is read: a database that is down from the start rejects (an
 * error page, never an empty file); one that fails later errors the stream (a cut-off download).
 */
export async function etsyListingsCsv({ query }: { query: FabricQuery }): Promise<ReadableStream<Uint8Array>> {
  const settings: ListingSettings = { currency: env().SHOP_CURRENCY, appUrl: env().APP_URL }
  const encoder = new TextEncoder()
  const where = fabricWhere(query) ?? sql`true`
  const order = sql.join(fabricOrder(query), sql`, `)
  let cancelled = false
  let wanted: (() => void) | null = null
  let started!: () => void
  let failed!: (error: unknown) => void
  const firstBatch = new Promise<void>((resolve, reject) => {
    started = resolve
    failed = reject
  })

  async function produce(controller: ReadableStreamDefaultController<Uint8Array>) {
    controller.enqueue(encoder.encode(csvHeader(ETSY_LISTING_COLUMNS, { bom: false })))
    await db.transaction(async (tx) => {
      await tx.execute(sql`declare etsy_export no scroll cursor for
        select ${fabrics.name} as name, ${fabrics.description} as description, ${fabrics.price}::text as price,
               ${fabrics.stockQuantity}::text as quantity, ${fabrics.tags}::text as tags,
               ${fabrics.composition} as composition,
               jsonb_path_query_array(${fabrics.images}, '$[0 to 9].src')::text as srcs,
               ${fabrics.etsyVariations}::text as variations, ${fabrics.sku} as sku
        from ${fabrics} where ${where} order by ${order}`)
      for (;;) {
        // Wait until the reader wants more, so a slow download never piles up in memory.
        if ((controller.desiredSize ?? 1) <= 0) await new Promise<void>((resolve) => (wanted = resolve))
        if (cancelled) return
        const batch = await rows<ExportRow>(tx, sql`fetch forward 1000 from etsy_export`)
        started()
        if (batch.length === 0) return
        controller.enqueue(encoder.encode(csvRows(batch.map((row) => exportRecord(row, settings)))))
      }
    })
    if (!cancelled) controller.close()
  }

  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        produce(controller).catch((error: unknown) => {
          failed(error)
          controller.error(error)
        })
      },
      pull() {
        wanted?.()
        wanted = null
      },
      cancel() {
        cancelled = true
        wanted?.()
        wanted = null
      },
    },
    { highWaterMark: 4 },
  )
  await firstBatch
  return stream
}

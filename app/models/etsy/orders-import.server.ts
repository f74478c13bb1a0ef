// Etsy's sold-orders files (EtsySoldOrders.csv, EtsySoldOrderItems.csv; DESIGN.md §9) into orders.
//
// Upload (either file, or both) → preview → confirm, as the listings import does it: the uploads
// wait in the upload store, are staged and planned (orders-staging.server.ts), and confirm stages
// again inside one transaction, locks the catalog against writes, plans again, and writes only
// if the plan's digest is the one the admin was shown.
//
// Which file is which is read from its header row, never from its name. With both files the
// orders come from the orders file and their lines from the items file; the items file alone
// gives orders built from its rows; the orders file alone gives orders without lines.
import { unstable_composeUploadHandlers, unstable_createMemoryUploadHandler, type UploadHandler } from '@remix-run/node'
import { CsvError } from 'csv-parse'
import { sql } from 'drizzle-orm'
import { asAppUser, rows, type Transaction } from '~/services/db.server'
import { env } from '~/services/env.server'
import { addDays, dayOf } from '~/utils/dates'
import { refreshAnalytics } from '../analytics-refresh.server'
import { fabrics, orderEvents, orders, stockMovements, type OrderStatus } from '../schema'
import { NotUtf8Error } from './csv-text.server'
import { checkFile, csvProblem, notUtf8FileProblem, readHeaderRow } from './csv-stager.server'
import { ETSY_ORDERS_FILE_NAMES, readOrdersHeader, type EtsyOrdersFile } from './order-rows'
import { ORDERS_OPTION_FIELDS } from './orders-import-form'
import { planStaged, stageFiles, type OrdersProblem, type OrdersUpload } from './orders-staging.server'
import { PREVIEW_ERRORS, PREVIEW_ROWS, type CurrencyMismatch, type OrdersImportPreview, type Shortfall } from './preview'
import { discardUploads, GONE, importFile, isImportId, uploadsToDisk } from './upload-store.server'

const EITHER_FILE = 'EtsySoldOrders.csv or EtsySoldOrderItems.csv'

/** An upload of at most this size per file: a year of a busy shop's orders is well within it. */
export const MAX_ORDERS_FILE_MEGABYTES = 64
const MAX_ORDERS_FILE_BYTES = MAX_ORDERS_FILE_MEGABYTES * 1024 * 1024
export const ORDERS_FILE_TOO_LARGE = `A file is larger than ${MAX_ORDERS_FILE_MEGABYTES} MB.`

// ---- Uploads ----------------------------------------------------------------------------------

/** The form's two file fields; either may hold either file. */
export const ORDERS_UPLOAD_FIELDS = ['orders', 'items'] as const

/** A text field of the import form (its option) is a few characters: at most this many bytes. */
const MAX_OPTION_BYTES = 100

/**
 * The upload handler of the import form: each of the two file fields goes to disk (never into
 * memory) and the form gets its upload id in its place; the option's text fields are kept, at
 * most a few bytes each, and any other part is left out. Throws MaxPartSizeExceededError past a
 * limit; `discard` then removes whatever was saved before.
 */
export function ordersUpload(): { handler: UploadHandler; discard: () => Promise<void> } {
  const files = uploadsToDisk({ fields: ORDERS_UPLOAD_FIELDS, limit: MAX_ORDERS_FILE_BYTES })
  const options = unstable_createMemoryUploadHandler({
    maxPartSize: MAX_OPTION_BYTES,
    filter: ({ name, filename }) => filename === undefined && (ORDERS_OPTION_FIELDS as readonly string[]).includes(name),
  })
  return { handler: unstable_composeUploadHandlers(files.handler, options), discard: files.discard }
}

// ---- Reading the header -----------------------------------------------------------------------

/** Checks each upload and reads its header row: which file it is. A problem names its upload. */
async function classifyUploads(uploadIds: string[]): Promise<{ ok: true; files: OrdersUpload[] } | OrdersProblem> {
  const files: OrdersUpload[] = []
  for (const uploadId of uploadIds) {
    const file = importFile(uploadId)
    const problem = await checkFile(file, EITHER_FILE)
    if (problem) return { ...problem, uploadId }
    let header: string[] | undefined
    try {
      header = await readHeaderRow({ file })
    } catch (error) {
      if (error instanceof CsvError) return { ok: false, problem: csvProblem(error, EITHER_FILE), uploadId }
      if (error instanceof NotUtf8Error) {
        // Named by its header when that can be told (read as it is, for the names it knows).
        const unchecked = readOrdersHeader((await readHeaderRow({ file, checked: false }).catch(() => undefined)) ?? [])
        const fileName = unchecked.ok ? ETSY_ORDERS_FILE_NAMES[unchecked.kind] : undefined
        return { ok: false, problem: await notUtf8FileProblem({ file, rowOf: fileName }), uploadId }
      }
      throw error
    }
    if (!header) return { ok: false, problem: 'The file is empty.', uploadId }
    const read = readOrdersHeader(header)
    if (!read.ok) return { ...read, uploadId }
    files.push({ uploadId, file, kind: read.kind, index: read.index, columns: read.columns })
  }
  if (files.length === 2 && files[0]!.kind === files[1]!.kind) {
    const kind = files[0]!.kind
    const other = ETSY_ORDERS_FILE_NAMES[kind === 'orders' ? 'items' : 'orders']
    return {
      ok: false,
      problem: `Both files are ${ETSY_ORDERS_FILE_NAMES[kind]}: upload ${other} as the other one, or only one file.`,
      uploadId: files[1]!.uploadId,
    }
  }
  // The orders file first, always: the confirm form lists them in this order.
  return { ok: true, files: files.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'orders' ? -1 : 1)) }
}

// ---- The preview ------------------------------------------------------------------------------

interface SummaryOptions {
  currency: CurrencyMismatch | null
  delivered: OrdersImportPreview['delivered']
}

async function summarize(tx: Transaction, files: OrdersUpload[], options: SummaryOptions): Promise<OrdersImportPreview> {
  const [o] = await rows<{
    orders: number
    new: number
    existing: number
    pending: number
    shipped: number
    delivered: number
    cancelled: number
    without_lines: number
  }>(
    tx,
    sql`select count(*)::int as orders,
          count(*) filter (where action = 'new')::int as new,
          count(*) filter (where action = 'existing')::int as existing,
          count(*) filter (where action = 'new' and status = 'pending')::int as pending,
          count(*) filter (where action = 'new' and status = 'shipped')::int as shipped,
          count(*) filter (where action = 'new' and status = 'delivered')::int as delivered,
          count(*) filter (where action = 'new' and status = 'cancelled')::int as cancelled,
          count(*) filter (where action = 'new' and l.order_id is null)::int as without_lines
        from etsy_import_orders o left join (select distinct order_id from etsy_import_lines) l on l.order_id = o.order_id`,
  )
  const [l] = await rows<{ lines: number; listing: number; sku: number; title: number; unmatched: number }>(
    tx,
    sql`select count(*)::int as lines,
          count(*) filter (where matched_by = 'listing')::int as listing,
          count(*) filter (where matched_by = 'sku')::int as sku,
          count(*) filter (where matched_by = 'title')::int as title,
          count(*) filter (where fabric_id is null)::int as unmatched
        from etsy_import_lines`,
  )
  const [t] = await rows<{ shortfalls: number; units: number }>(
    tx,
    sql`select count(*) filter (where taken < wanted)::int as shortfalls, coalesce(sum(taken), 0)::int as units
        from etsy_import_takes`,
  )
  const [e] = await rows<{ error_rows: number; errors: number }>(
    tx,
    sql`select count(distinct (file, file_row))::int as error_rows, count(*)::int as errors from etsy_order_errors`,
  )
  // Everything the confirm would write, and everything of the catalog it depends on: each row's
  // hash, summed (no sort of a whole file's rows), with the count, per table.
  const [d] = await rows<{ digest: string }>(
    tx,
    sql`select md5(concat_ws('|',
          (select concat(count(*), ':', sum(hashtextextended(
             concat_ws(':', order_id, action, status, total, file_row), 0)::numeric)) from etsy_import_orders),
          (select concat(count(*), ':', sum(hashtextextended(
             concat_ws(':', file_row, coalesce(fabric_id::text, '-'), matched_by), 0)::numeric)) from etsy_import_lines),
          (select concat(count(*), ':', sum(hashtextextended(
             concat_ws(':', order_id, fabric_id, before, taken), 0)::numeric)) from etsy_import_takes)
        )) as digest`,
  )
  const newOrders = await rows<{
    order_id: string
    sale_day: string
    customer_name: string
    status: OrderStatus
    lines: number
    total: string
  }>(
    tx,
    sql`select o.order_id, o.sale_day, o.customer_name, o.status::text as status, count(l.file_row)::int as lines,
          o.total::numeric(10, 2)::text as total
        from (select * from etsy_import_orders where action = 'new'
              order by created_at, length(order_id), order_id limit ${PREVIEW_ROWS}) o
        left join etsy_import_lines l on l.order_id = o.order_id
        group by o.order_id, o.sale_day, o.customer_name, o.status, o.total, o.created_at
        order by o.created_at, length(o.order_id), o.order_id`,
  )
  const unmatched = await rows<{ file_row: number; order_id: string; name: string }>(
    tx,
    sql`select file_row, order_id, name from etsy_import_lines where fabric_id is null order by file_row limit ${PREVIEW_ROWS}`,
  )
  const shortfalls = await shortfallList(tx)
  const errors = await rows<{ file: EtsyOrdersFile; file_row: number; col: string | null; message: string; order_id: string | null }>(
    tx,
    sql`select e.file, e.file_row, e.col, e.message, coalesce(o.order_id, i.order_id) as order_id
        from (select * from etsy_order_errors order by file = 'items', file_row, seq limit ${PREVIEW_ERRORS}) e
        left join etsy_order_rows o on e.file = 'orders' and o.file_row = e.file_row
        left join etsy_item_rows i on e.file = 'items' and i.file_row = e.file_row
        order by e.file = 'items', e.file_row, e.seq`,
  )
  return {
    uploadIds: files.map((f) => f.uploadId),
    digest: d!.digest,
    files: { orders: files.some((f) => f.kind === 'orders'), items: files.some((f) => f.kind === 'items') },
    counts: {
      orders: o!.orders,
      new: o!.new,
      alreadyImported: o!.existing,
      errors: e!.error_rows,
      pending: o!.pending,
      shipped: o!.shipped,
      cancelled: o!.cancelled,
      delivered: o!.delivered,
      withoutLines: o!.without_lines,
      lines: l!.lines,
      byListingId: l!.listing,
      bySku: l!.sku,
      byTitle: l!.title,
      unmatched: l!.unmatched,
      shortfalls: t!.shortfalls,
      unitsTaken: t!.units,
    },
    newOrders: newOrders.map((r) => ({
      etsyOrderId: r.order_id,
      saleDate: r.sale_day,
      customerName: r.customer_name,
      status: r.status,
      lines: r.lines,
      total: r.total,
    })),
    unmatchedLines: unmatched.map((r) => ({
      file: ETSY_ORDERS_FILE_NAMES.items,
      row: r.file_row,
      etsyOrderId: r.order_id,
      name: r.name,
    })),
    shortfalls,
    currency: options.currency,
    delivered: options.delivered,
    errors: errors.map((r) => ({
      file: ETSY_ORDERS_FILE_NAMES[r.file],
      row: r.file_row,
      column: r.col,
      message: r.message,
      etsyOrderId: r.order_id,
    })),
    moreErrors: Math.max(0, e!.errors - errors.length),
  }
}

/** The first shortfalls, in the order the stock was given out. */
async function shortfallList(tx: Transaction): Promise<Shortfall[]> {
  const list = await rows<{ fabric_id: string; name: string; order_id: string; wanted: number; taken: number }>(
    tx,
    sql`select t.fabric_id::text as fabric_id, f.name, t.order_id, t.wanted, t.taken
        from (select * from etsy_import_takes where taken < wanted order by fabric_id, seq limit ${PREVIEW_ROWS}) t
        join ${fabrics} f on f.id = t.fabric_id
        order by lower(trim(f.name)), t.fabric_id, t.seq`,
  )
  return list.map((r) => ({ fabricId: r.fabric_id, fabricName: r.name, etsyOrderId: r.order_id, wanted: r.wanted, taken: r.taken }))
}

export type OrdersPreviewResult = { ok: true; preview: OrdersImportPreview } | OrdersProblem

function checkIds(uploadIds: string[]): OrdersProblem | null {
  const distinct = new Set(uploadIds)
  if (uploadIds.length === 0 || uploadIds.length > 2 || distinct.size !== uploadIds.length || !uploadIds.every(isImportId)) {
    return { ok: false, problem: GONE }
  }
  return null
}

const kinds = (files: OrdersUpload[]) => ({
  orders: files.some((f) => f.kind === 'orders'),
  items: files.some((f) => f.kind === 'items'),
})

/** The option "mark orders older than N days as delivered", as of today in the shop's time zone. */
function deliveredOption(afterDays: number | null | undefined): OrdersImportPreview['delivered'] {
  if (afterDays == null) return null
  return { afterDays, before: addDays(dayOf(new Date(), env().SHOP_TIMEZONE), -afterDays) }
}

/** Stages and plans the uploads in `tx` (with the catalog locked first when `lock`), and sums the plan up. */
async function plan(
  tx: Transaction,
  { files, afterDays, lock = false }: { files: OrdersUpload[]; afterDays: number | null | undefined; lock?: boolean },
) {
  const staged = await stageFiles(tx, files)
  if (!staged.ok) return staged
  // Reads stay possible; every other write to the catalog (and every other import) waits until
  // this transaction ends, so the plan made next is the one applied. Exclusive, not share row
  // exclusive: an order being placed holds its fabrics' rows and then inserts its order, so
  // it must finish before this starts, never wait for it halfway.
  if (lock) await tx.execute(sql`lock table ${fabrics} in exclusive mode`)
  const delivered = deliveredOption(afterDays)
  const { currency } = await planStaged(tx, kinds(files), { deliveredBefore: delivered?.before ?? null })
  return { ok: true as const, preview: await summarize(tx, files, { currency, delivered }) }
}

/**
 * Reads one or two uploads and says what importing them would do; writes nothing. Uploads that
 * cannot be imported at all are deleted at once: they can never be confirmed.
 */
export async function previewOrdersImport({
  uploadIds,
  userId,
  deliveredAfterDays,
}: {
  uploadIds: string[]
  /** The signed-in admin: orders are read (and written) on their behalf, under row-level security. */
  userId: string
  /**
   * Orders sold more than this many days ago are imported as delivered (Etsy's history: long
   * since sent), except those the file says are cancelled or refunded. Absent: as the file says.
   */
  deliveredAfterDays?: number | null
}): Promise<OrdersPreviewResult> {
  const result: OrdersPreviewResult = await (async () => {
    const wrong = checkIds(uploadIds)
    if (wrong) return wrong
    const classified = await classifyUploads(uploadIds)
    if (!classified.ok) return classified
    const { files } = classified
    return asAppUser(userId, (tx): Promise<OrdersPreviewResult> => plan(tx, { files, afterDays: deliveredAfterDays }))
  })()
  if (!result.ok && result.problem !== GONE) await discardUploads({ uploadIds })
  return result
}

// ---- Confirming -------------------------------------------------------------------------------

export type OrdersConfirmResult =
  | ({ ok: true } & Pick<OrdersImportPreview, 'counts' | 'files' | 'shortfalls' | 'unmatchedLines'>)
  | OrdersProblem
  /** Nothing was written: the plan has errors, or is not the one previewed. */
  | { ok: false; problem: 'changed' | 'errors'; preview: OrdersImportPreview }

/**
 * Imports uploads exactly as previewed, in one transaction: the files are staged again, the
 * catalog is locked against writes, the plan is made again, and only if its digest is the
 * preview's are the orders inserted (with their first event), and the stock taken with a
 * movement for every order and fabric.
 */
export async function confirmOrdersImport({
  uploadIds,
  digest,
  userId,
  deliveredAfterDays,
}: {
  uploadIds: string[]
  digest: string
  userId: string
  /** As previewed (previewOrdersImport). */
  deliveredAfterDays?: number | null
}): Promise<OrdersConfirmResult> {
  const wrong = checkIds(uploadIds)
  if (wrong) return wrong
  const classified = await classifyUploads(uploadIds)
  if (!classified.ok) return classified
  const { files } = classified
  let imported: (Date | null)[] = []
  const result = await asAppUser(userId, async (tx): Promise<OrdersConfirmResult> => {
    const planned = await plan(tx, { files, afterDays: deliveredAfterDays, lock: true })
    if (!planned.ok) return planned
    const { preview } = planned
    if (preview.counts.errors > 0 || preview.currency) return { ok: false, problem: 'errors', preview }
    if (preview.digest !== digest) return { ok: false, problem: 'changed', preview }
    const [span] = await rows<{ first: Date | null; last: Date | null }>(
      tx,
      sql`select min(created_at) as first, max(created_at) as last from etsy_import_orders where action = 'new'`,
    )
    await applyPlan(tx, { userId })
    imported = [span?.first, span?.last].map((d) => (d ? new Date(d) : null))
    const { counts, files: read, shortfalls, unmatchedLines } = preview
    return { ok: true, counts, files: read, shortfalls, unmatchedLines }
  })
  if (result.ok) {
    await discardUploads({ uploadIds })
    // Every day from the first to the last sale imported.
    refreshAnalytics(imported, { span: true })
  }
  return result
}

async function applyPlan(tx: Transaction, { userId }: { userId: string | null }) {
  // The stock first: the plan was made under the lock, so every take fits; the condition stays
  // as the last guard against ever going below zero.
  const [moved] = await rows<{ fabrics: number; expected: number }>(
    tx,
    sql`with takes as (
          select fabric_id, sum(taken)::int as taken from etsy_import_takes where taken > 0 group by fabric_id
        ), updated as (
          update ${fabrics} f set stock_quantity = f.stock_quantity - t.taken, in_stock = f.stock_quantity - t.taken > 0
          from takes t where f.id = t.fabric_id and f.stock_quantity >= t.taken
          returning f.id
        )
        select (select count(*)::int from updated) as fabrics, (select count(*)::int from takes) as expected`,
  )
  if (moved!.fabrics !== moved!.expected) throw new Error('Stock changed under the lock')

  // Then, in one statement, the orders (numbered in sale-date order), each with its first event,
  // and a stock movement per order and fabric. Etsy's buyers are not staff: the order has no
  // user, as the demo's Etsy orders have none. The movements share the transaction's time, so
  // each fabric's come a microsecond apart in the order they were taken; they are inserted in
  // that order too, so that their `seq`, which the history sorts by, follows it.
  await tx.execute(sql`with lines as (
      select l.order_id,
             jsonb_agg(jsonb_build_object(
               'fabricId', l.fabric_id, 'name', l.name, 'sku', coalesce(l.sku, f.sku),
               'unitPrice', l.price::text, 'quantity', l.quantity, 'lineTotal', l.line_total::text
             ) order by l.file_row) as items
      from etsy_import_lines l left join ${fabrics} f on f.id = l.fabric_id
      group by l.order_id
    ), inserted as (
      insert into ${orders} (customer_name, customer_email, items, total_amount, shipping_amount, tax_amount, status,
                             etsy_order_id, shipping_address, created_at)
      select o.customer_name, null, coalesce(l.items, '[]'::jsonb), o.total, o.shipping, o.tax, o.status,
             o.order_id, o.address::jsonb, o.created_at
      from etsy_import_orders o left join lines l on l.order_id = o.order_id
      where o.action = 'new'
      order by o.created_at, length(o.order_id), o.order_id
      returning id, etsy_order_id, status
    ), events as (
      insert into ${orderEvents} (order_id, user_id, from_status, to_status, note)
      select id, ${userId}::uuid, null, status, 'Imported from Etsy' from inserted
    )
    insert into ${stockMovements} (fabric_id, user_id, delta, reason, note, quantity_after, order_id, created_at)
    select t.fabric_id, ${userId}::uuid, -t.taken, 'sold'::stock_reason, 'Etsy order ' || t.order_id, t.after, i.id,
           now() + t.seq * interval '1 microsecond'
    from etsy_import_takes t join inserted i on i.etsy_order_id = t.order_id
    where t.taken > 0
    order by t.seq`)
}

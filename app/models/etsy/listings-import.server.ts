// Etsy's listings file (EtsyListingsDownload.csv, DESIGN.md §9) into the catalog: upload →
// preview → confirm. The upload waits in the upload store; preview and confirm each stream it
// through the CSV stager into a temporary table, one batch of rows at a time (memory holds a few
// batches, never the file), and then plan in a few set-based statements: match by SKU, then by
// title; flag duplicates and ambiguous titles; work out what changes. Confirm does the same
// inside one transaction, after locking the catalog against writes, and writes only when the
// plan's digest is the one the admin was shown. The export is listings-export.server.ts.
import type { UploadHandler } from '@remix-run/node'
import { sql, type SQL } from 'drizzle-orm'
import { db, rows, type Transaction } from '~/services/db.server'
import { env } from '~/services/env.server'
import type { EtsyVariation } from '../json-types'
import { fabrics, stockMovements } from '../schema'
import type { Problem } from './csv-record'
import { checkFile, stageCsvFile } from './csv-stager.server'
import {
  LISTINGS_FILE_NAME,
  readListingRow,
  readListingsHeader,
  type ListingColumns,
  type ListingRow,
  type ListingRowError,
  type ListingSettings,
} from './listing-rows'
import {
  currencyMismatch,
  PREVIEW_ERRORS,
  PREVIEW_ROWS,
  type CurrencyMismatch,
  type ListingsImportCounts,
  type ListingsImportPreview,
} from './preview'
import { discardUpload, GONE, importFile, isImportId, uploadsToDisk } from './upload-store.server'

export const MAX_IMPORT_MEGABYTES = 20
export const MAX_IMPORT_BYTES = MAX_IMPORT_MEGABYTES * 1024 * 1024
export const TOO_LARGE_MESSAGE = `The file is larger than ${MAX_IMPORT_MEGABYTES} MB.`

/**
 * The upload handler of the import form: the part named `file` goes to disk (never into memory)
 * and the form gets the upload's id in its place. Throws MaxPartSizeExceededError past 20 MB.
 */
export function listingsUploadHandler(): UploadHandler {
  return uploadsToDisk({ fields: ['file'], limit: MAX_IMPORT_BYTES }).handler
}

// ---- Staging and planning ---------------------------------------------------------------------

async function createStagingTables(tx: Transaction) {
  // Temporary tables live in this transaction's connection only, and go at its end.
  await tx.execute(sql`create temporary table etsy_import_rows (
    file_row integer primary key,
    title text,
    description text,
    price numeric(10, 2),
    quantity integer,
    tags jsonb not null,
    composition text,
    srcs jsonb not null,
    images jsonb not null,
    variations jsonb not null,
    sku text,
    currency text,
    valid boolean not null,
    fabric_id uuid,
    action text,
    changed text[] not null default '{}',
    before_quantity integer,
    before_hash text,
    archived boolean not null default false
  ) on commit drop`)
  await tx.execute(sql`create temporary table etsy_import_errors (
    seq serial primary key,
    file_row integer not null,
    message text not null
  ) on commit drop`)
}

async function stageBatch(tx: Transaction, batch: ListingRow[], errors: ListingRowError[]) {
  // One JSON parameter per batch: a few statements whatever the batch size, on every driver.
  if (batch.length) {
    await tx.execute(sql`insert into etsy_import_rows
      (file_row, title, description, price, quantity, tags, composition, srcs, images, variations, sku, currency, valid,
       action)
      select file_row, title, description, price, quantity, tags, composition, srcs, images, variations, sku, currency, valid,
             case when valid then 'new' else 'error' end
      from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as x(
        file_row integer, title text, description text, price numeric(10, 2), quantity integer, tags jsonb,
        composition text, srcs jsonb, images jsonb, variations jsonb, sku text, currency text, valid boolean)`)
  }
  if (errors.length) {
    await tx.execute(sql`insert into etsy_import_errors (file_row, message)
      select file_row, message from jsonb_to_recordset(${JSON.stringify(errors)}::jsonb) as x(file_row integer, message text)`)
  }
}

/** Streams the file into the staging tables, a batch at a time; a file-level problem stops it. */
async function stageFile(tx: Transaction, file: string): Promise<Problem | { ok: true; listings: number }> {
  const settings: ListingSettings = { currency: env().SHOP_CURRENCY, appUrl: env().APP_URL }
  let index: ListingColumns | undefined
  const staged = await stageCsvFile({
    file,
    fileName: LISTINGS_FILE_NAME,
    header: (values) => {
      const header = readListingsHeader(values)
      if (!header.ok) return header
      index = header.index
      return null
    },
    batch: (records) => {
      const batch: ListingRow[] = []
      const errors: ListingRowError[] = []
      for (const record of records) {
        const read = readListingRow({ record, index: index!, settings })
        batch.push(read.row)
        errors.push(...read.errors)
      }
      return stageBatch(tx, batch, errors)
    },
  })
  if (!staged.ok) return staged
  if (staged.records === 0) return { ok: false, problem: "The file has Etsy's header row but no listings." }
  // Statistics of what the plan joins and filters on only: sampling the descriptions and the
  // JSON columns would cost time and tell the planner nothing.
  await tx.execute(sql`analyze etsy_import_rows (file_row, title, sku, currency, valid)`)
  return { ok: true, listings: staged.records }
}

/**
 * Whether each mapped field of fabric `f` differs from staged row `s`. The fabric's side is
 * read as the import reads a cell (trimmed title, empty text as none), so that a fabric's own
 * export never counts as a change. Images compare by their addresses only (the stored list may
 * carry thumbnails and alt text), and only the first ten, as many as Etsy's file has columns.
 * A row without a SKU leaves the fabric's SKU alone.
 */
const FIELD_CHANGES: [field: string, differs: SQL][] = [
  ['name', sql`trim(f.name) <> s.title`],
  ['description', sql`nullif(f.description, '') is distinct from s.description`],
  ['price', sql`f.price <> s.price`],
  ['quantity', sql`f.stock_quantity <> s.quantity`],
  ['tags', sql`f.tags <> s.tags`],
  ['composition', sql`nullif(trim(f.composition), '') is distinct from s.composition`],
  ['images', sql`jsonb_path_query_array(f.images, '$[0 to 9].src') <> s.srcs`],
  ['variations', sql`f.etsy_variations <> s.variations`],
  ['sku', sql`s.sku is not null and f.sku is distinct from s.sku`],
]

/**
 * The currencies the rows name: when all of them name one currency that is not the shop's, the
 * file is in that currency, which the preview says once (and nothing can be imported); else each
 * row in another currency than the shop's is an error of its own.
 */
async function checkCurrency(tx: Transaction): Promise<CurrencyMismatch | null> {
  const shop = env().SHOP_CURRENCY
  const named = await rows<{ currency: string }>(
    tx,
    sql`select distinct currency from etsy_import_rows where currency is not null limit 2`,
  )
  if (named.length === 1 && named[0]!.currency !== shop) return currencyMismatch({ file: named[0]!.currency, shop })
  await tx.execute(sql`insert into etsy_import_errors (file_row, message)
    select file_row, format('CURRENCY_CODE "%s" is not the shop''s currency (%s)', currency, ${shop}::text)
    from etsy_import_rows where currency <> ${shop}::text order by file_row`)
  await invalidateRowsWithErrors(tx)
  return null
}

/** Matches, checks and compares every staged row against the catalog, in a few statements. */
async function planStaged(tx: Transaction): Promise<{ currency: CurrencyMismatch | null }> {
  const currency = await checkCurrency(tx)
  // Within the file: a SKU twice, or a title twice among rows without a SKU.
  await tx.execute(sql`insert into etsy_import_errors (file_row, message)
    select file_row, format('SKU "%s" is also on row %s', sku, first_row)
    from (select file_row, sku, min(file_row) over (partition by sku) as first_row
          from etsy_import_rows where sku is not null) d
    where file_row <> first_row`)
  await tx.execute(sql`insert into etsy_import_errors (file_row, message)
    select file_row, format('TITLE "%s" is also on row %s, and neither row has a SKU: give them SKUs', title, first_row)
    from (select file_row, title, min(file_row) over (partition by title) as first_row
          from etsy_import_rows where sku is null and title is not null) d
    where file_row <> first_row`)
  await invalidateRowsWithErrors(tx)

  // A SKU matches the fabric that has it, archived or not.
  await tx.execute(sql`update etsy_import_rows s set fabric_id = f.id
    from ${fabrics} f where s.valid and f.sku = s.sku`)
  // Then the title: among fabrics without a SKU, or among all fabrics for a row without one.
  await tx.execute(sql`with candidates as (
      select s.file_row, count(*)::int as n, (array_agg(f.id))[1] as id
      from etsy_import_rows s join ${fabrics} f on f.name = s.title and (s.sku is null or f.sku is null)
      where s.valid and s.fabric_id is null
      group by s.file_row
    ), matched as (
      update etsy_import_rows s set fabric_id = c.id from candidates c where c.file_row = s.file_row and c.n = 1
    )
    insert into etsy_import_errors (file_row, message)
    select c.file_row, format('%s fabrics are called "%s": give them SKUs', c.n, s.title)
    from candidates c join etsy_import_rows s on s.file_row = c.file_row
    where c.n > 1`)
  await invalidateRowsWithErrors(tx)

  // Two rows must not both describe one fabric.
  await tx.execute(sql`insert into etsy_import_errors (file_row, message)
    select d.file_row, format('matches the same fabric as row %s ("%s")', d.first_row, f.name)
    from (select file_row, fabric_id, min(file_row) over (partition by fabric_id) as first_row
          from etsy_import_rows where valid and fabric_id is not null) d
    join ${fabrics} f on f.id = d.fabric_id
    where d.file_row <> d.first_row`)
  await invalidateRowsWithErrors(tx)

  const changedFields = sql.join(
    FIELD_CHANGES.map(([field, differs]) => sql`case when ${differs} then ${field}::text end`),
    sql`, `,
  )
  // Matched rows get their changes and their action in one pass; the rest keep the action they
  // were staged with ('new', or 'error' once a row has an error), so the whole file is never
  // written over again.
  await tx.execute(sql`update etsy_import_rows t set
      changed = c.changed,
      action = case when cardinality(c.changed) > 0 then 'changed' else 'unchanged' end,
      before_quantity = c.before_quantity,
      archived = c.archived,
      before_hash = c.before_hash
    from (
      select s.file_row,
             array_remove(array[${changedFields}]::text[], null) as changed,
             f.stock_quantity as before_quantity,
             f.archived_at is not null as archived,
             -- What the preview showed of this fabric: if any of it moves before the confirm, the digest does.
             md5(row(f.name, f.description, f.price, f.stock_quantity, f.tags, f.composition,
                     f.images, f.etsy_variations, f.sku, f.archived_at is null)::text) as before_hash
      from etsy_import_rows s join ${fabrics} f on f.id = s.fabric_id
      where s.valid
    ) c
    where t.file_row = c.file_row`)
  return { currency }
}

async function invalidateRowsWithErrors(tx: Transaction) {
  await tx.execute(sql`update etsy_import_rows set valid = false, action = 'error'
    where valid and file_row in (select file_row from etsy_import_errors)`)
}

// ---- The preview ------------------------------------------------------------------------------

const FIELD_LABELS: Record<string, string> = {
  name: 'Title',
  description: 'Description',
  price: 'Price',
  quantity: 'Quantity',
  tags: 'Tags',
  composition: 'Materials',
  images: 'Images',
  variations: 'Variations',
  sku: 'SKU',
}

const clip = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max)}…` : text)

function shown(field: string, value: unknown): string {
  if (value === null || value === undefined) return ''
  switch (field) {
    case 'tags':
      return (value as string[]).join(', ')
    case 'images':
      return (value as string[]).join('\n')
    case 'variations':
      return (value as EtsyVariation[]).map((v) => `${v.type} / ${v.name}: ${v.values}`).join('\n')
    default:
      return clip(String(value))
  }
}

interface ChangedRowData {
  file_row: number
  fabric_id: string
  changed: string
  archived: boolean
  before: string
  after: string
}

/** Counts, digest and the first rows of each kind, from the planned staging table. */
async function summarize(
  tx: Transaction,
  { uploadId, currency }: { uploadId: string; currency: CurrencyMismatch | null },
): Promise<ListingsImportPreview> {
  const [summary] = await rows<{
    new: number
    changed: number
    unchanged: number
    error_rows: number
    archived: number
    digest: string
  }>(
    tx,
    sql`select
      count(*) filter (where action = 'new')::int as new,
      count(*) filter (where action = 'changed')::int as changed,
      count(*) filter (where action = 'unchanged')::int as unchanged,
      count(*) filter (where action = 'error')::int as error_rows,
      count(*) filter (where archived and action in ('changed', 'unchanged'))::int as archived,
      md5(coalesce(string_agg(concat_ws(':', file_row, action, fabric_id, before_hash, cardinality(changed)), ','
                              order by file_row), '')) as digest
    from etsy_import_rows`,
  )
  const [errorCount] = await rows<{ n: number }>(tx, sql`select count(*)::int as n from etsy_import_errors`)
  const errors = await rows<{ file_row: number; message: string; title: string | null; sku: string | null }>(
    tx,
    sql`select e.file_row, e.message, r.title, r.sku
        from (select * from etsy_import_errors order by file_row, seq limit ${PREVIEW_ERRORS}) e
        left join etsy_import_rows r on r.file_row = e.file_row
        order by e.file_row, e.seq`,
  )
  const newRows = await rows<{ file_row: number; title: string; sku: string | null; price: string; quantity: number }>(
    tx,
    sql`select file_row, title, sku, price::text as price, quantity from etsy_import_rows
        where action = 'new' order by file_row limit ${PREVIEW_ROWS}`,
  )
  // Values come back as JSON text so that every driver hands over the same thing.
  const changed = await rows<ChangedRowData>(
    tx,
    sql`select s.file_row, s.fabric_id::text as fabric_id, array_to_json(s.changed)::text as changed, s.archived,
        json_build_object('name', f.name, 'description', f.description, 'price', f.price::text,
          'quantity', f.stock_quantity, 'tags', f.tags, 'composition', f.composition,
          'images', jsonb_path_query_array(f.images, '$[*].src'), 'variations', f.etsy_variations, 'sku', f.sku)::text as before,
        json_build_object('name', s.title, 'description', s.description, 'price', s.price::text,
          'quantity', s.quantity, 'tags', s.tags, 'composition', s.composition,
          'images', s.srcs, 'variations', s.variations, 'sku', s.sku)::text as after
      -- The first rows by the staging table's key, then their fabrics: never a join of the whole file.
      from (select * from etsy_import_rows where action = 'changed' order by file_row limit ${PREVIEW_ROWS}) s
      join ${fabrics} f on f.id = s.fabric_id
      order by s.file_row`,
  )
  const total = errorCount?.n ?? 0
  return {
    uploadId,
    digest: summary!.digest,
    counts: {
      new: summary!.new,
      changed: summary!.changed,
      unchanged: summary!.unchanged,
      errors: summary!.error_rows,
    },
    archived: summary!.archived,
    newRows: newRows.map((r) => ({ row: r.file_row, title: r.title, sku: r.sku, price: r.price, quantity: r.quantity })),
    changedRows: changed.map((r) => {
      const before = JSON.parse(r.before) as Record<string, unknown>
      const after = JSON.parse(r.after) as Record<string, unknown>
      const fields = JSON.parse(r.changed) as string[]
      return {
        row: r.file_row,
        fabricId: r.fabric_id,
        name: String(before.name),
        archived: r.archived,
        changes: fields.map((field) => ({
          field: FIELD_LABELS[field] ?? field,
          before: shown(field, before[field]),
          after: shown(field, after[field]),
        })),
      }
    }),
    currency,
    errors: errors.map((e) => ({ row: e.file_row, title: e.title, sku: e.sku, message: e.message })),
    moreErrors: Math.max(0, total - errors.length),
  }
}

export type PreviewResult = { ok: true; preview: ListingsImportPreview } | Problem

/**
 * Reads an upload and says what importing it would do; writes nothing to the catalog. An upload
 * that is not a listings file at all is deleted at once: it can never be confirmed.
 */
export async function previewListingsImport({ uploadId }: { uploadId: string }): Promise<PreviewResult> {
  if (!isImportId(uploadId)) return { ok: false, problem: GONE }
  const file = importFile(uploadId)
  const problem = await checkFile(file, LISTINGS_FILE_NAME)
  const result: PreviewResult =
    problem ??
    (await db.transaction(async (tx) => {
      await createStagingTables(tx)
      const staged = await stageFile(tx, file)
      if (!staged.ok) return staged
      const { currency } = await planStaged(tx)
      return { ok: true as const, preview: await summarize(tx, { uploadId, currency }) }
    }))
  if (!result.ok && result.problem !== GONE) await discardUpload({ uploadId })
  return result
}

// ---- Confirming -------------------------------------------------------------------------------

export type ConfirmResult =
  | { ok: true; counts: ListingsImportCounts }
  | Problem
  /** Nothing was written: the plan has errors, or is not the one previewed. */
  | { ok: false; problem: 'changed' | 'errors'; preview: ListingsImportPreview }

/**
 * Imports an upload exactly as previewed, in one transaction: the file is staged again, the
 * catalog is locked against writes, the plan is made again, and only if its digest is the
 * preview's are the new fabrics inserted and the changed ones updated, with a stock movement
 * for every quantity that moves.
 */
export async function confirmListingsImport({
  uploadId,
  digest,
  userId,
}: {
  uploadId: string
  digest: string
  userId: string | null
}): Promise<ConfirmResult> {
  if (!isImportId(uploadId)) return { ok: false, problem: GONE }
  const file = importFile(uploadId)
  const problem = await checkFile(file, LISTINGS_FILE_NAME)
  if (problem) return problem
  const result = await db.transaction(async (tx): Promise<ConfirmResult> => {
    await createStagingTables(tx)
    const staged = await stageFile(tx, file)
    if (!staged.ok) return staged
    // Reads stay possible; every write to the catalog waits until this transaction ends,
    // so the plan made next is the one applied.
    // Exclusive, not share row exclusive: an order being placed holds row locks on fabrics
    // (ROW SHARE) and then updates them, which would deadlock against the weaker mode.
    await tx.execute(sql`lock table ${fabrics} in exclusive mode`)
    const { currency } = await planStaged(tx)
    const preview = await summarize(tx, { uploadId, currency })
    if (preview.counts.errors > 0 || preview.currency) return { ok: false, problem: 'errors', preview }
    if (preview.digest !== digest) return { ok: false, problem: 'changed', preview }
    await applyStaged(tx, { userId })
    return { ok: true, counts: preview.counts }
  })
  if (result.ok) await discardUpload({ uploadId })
  return result
}

async function applyStaged(tx: Transaction, { userId }: { userId: string | null }) {
  const threshold = env().LOW_STOCK_THRESHOLD
  await tx.execute(sql`with inserted as (
      insert into ${fabrics} (name, description, price, composition, tags, images, etsy_variations, sku,
                              stock_quantity, in_stock, low_stock_threshold)
      select title, description, price, composition, tags, images, variations, sku,
             quantity, quantity > 0, ${threshold}::integer
      from etsy_import_rows where action = 'new' order by file_row
      returning id, stock_quantity
    )
    insert into ${stockMovements} (fabric_id, user_id, delta, reason, note, quantity_after)
    select id, ${userId}::uuid, stock_quantity, 'import'::stock_reason, 'Etsy import', stock_quantity
    from inserted where stock_quantity > 0`)
  // Only the fields that changed are written; the version moves on when a descriptive one did.
  const take = (field: string, staged: SQL, current: SQL) =>
    sql`case when ${field}::text = any(s.changed) then ${staged} else ${current} end`
  await tx.execute(sql`with updated as (
      update ${fabrics} f set
        name = ${take('name', sql`s.title`, sql`f.name`)},
        description = ${take('description', sql`s.description`, sql`f.description`)},
        price = ${take('price', sql`s.price`, sql`f.price`)},
        tags = ${take('tags', sql`s.tags`, sql`f.tags`)},
        composition = ${take('composition', sql`s.composition`, sql`f.composition`)},
        images = ${take('images', sql`s.images`, sql`f.images`)},
        etsy_variations = ${take('variations', sql`s.variations`, sql`f.etsy_variations`)},
        sku = ${take('sku', sql`s.sku`, sql`f.sku`)},
        version = f.version + case when cardinality(array_remove(s.changed, 'quantity')) > 0 then 1 else 0 end,
        stock_quantity = s.quantity,
        in_stock = s.quantity > 0
      from etsy_import_rows s
      where s.action = 'changed' and f.id = s.fabric_id
      returning f.id, s.quantity, s.before_quantity
    )
    insert into ${stockMovements} (fabric_id, user_id, delta, reason, note, quantity_after)
    select id, ${userId}::uuid, quantity - before_quantity, 'import'::stock_reason, 'Etsy import', quantity
    from updated where quantity <> before_quantity`)
}

// Staging and planning for the sold-orders import (orders-import.server.ts): each file is streamed
// through the CSV stager into a temporary table, a batch of rows at a time, and the plan is made
// in a few set-based statements: orders by Etsy's Order ID (already imported ones are skipped),
// lines matched to fabrics by listing id, then SKU, then title, and the stock each order takes,
// allocated per fabric in sale-date order and never below zero.
import { sql } from 'drizzle-orm'
import { rows, type Transaction } from '~/services/db.server'
import type { Day } from '~/utils/dates'
import { env } from '~/services/env.server'
import { fabrics, orders } from '../schema'
import type { Problem } from './csv-record'
import { stageCsvFile } from './csv-stager.server'
import { currencyMismatch, type CurrencyMismatch } from './preview'
import {
  ETSY_ORDERS_FILE_NAMES,
  orderRowSettings,
  readItemRow,
  readOrderRow,
  type EtsyOrdersFile,
  type ItemRow,
  type OrderRow,
  type OrderRowError,
  type OrderRowSettings,
  type OrdersHeader,
} from './order-rows'

/** numeric(10,2) holds amounts below this. */
const MONEY_LIMIT = '100000000'

/** An upload, checked and its header read: which file it is. */
export type OrdersUpload = { uploadId: string; file: string } & OrdersHeader

/** A problem with a file, naming the upload it is about when it is about one. */
export type OrdersProblem = Problem & { uploadId?: string }

// ---- Staging ----------------------------------------------------------------------------------

async function createStagingTables(tx: Transaction) {
  // Temporary tables live in this transaction's connection only, and go at its end.
  await tx.execute(sql`create temporary table etsy_order_rows (
    file_row integer primary key,
    order_id text,
    sale_day text,
    created_at timestamptz,
    customer_name text,
    address json,
    shipping numeric(10, 2),
    tax numeric(10, 2),
    total numeric(10, 2),
    currency text,
    cancelled boolean not null,
    refunded boolean not null,
    shipped boolean not null,
    valid boolean not null
  ) on commit drop`)
  await tx.execute(sql`create temporary table etsy_item_rows (
    file_row integer primary key,
    order_id text,
    transaction_id text,
    sale_day text,
    created_at timestamptz,
    customer_name text,
    address json,
    shipping numeric(10, 2),
    tax numeric(10, 2),
    shipped boolean not null,
    item_name text,
    name text,
    sku text,
    listing_id text,
    price numeric(10, 2),
    quantity integer,
    currency text,
    valid boolean not null
  ) on commit drop`)
  await tx.execute(sql`create temporary table etsy_order_errors (
    seq serial primary key,
    file text not null,
    file_row integer not null,
    col text,
    message text not null
  ) on commit drop`)
  // The plan: the orders in the files, the lines of the new ones, and the stock they take.
  await tx.execute(sql`create temporary table etsy_import_orders (
    order_id text primary key,
    file text not null,
    file_row integer not null,
    sale_day text not null,
    created_at timestamptz not null,
    customer_name text not null,
    address json,
    shipping numeric(10, 2) not null,
    tax numeric(10, 2) not null,
    total numeric not null,
    status order_status not null,
    action text not null
  ) on commit drop`)
  await tx.execute(sql`create temporary table etsy_import_lines (
    file_row integer primary key,
    order_id text not null,
    item_name text not null,
    name text not null,
    sku text,
    listing_id text,
    price numeric(10, 2) not null,
    quantity integer not null,
    line_total numeric(10, 2) not null,
    fabric_id uuid,
    matched_by text
  ) on commit drop`)
  await tx.execute(sql`create temporary table etsy_import_takes (
    order_id text not null,
    fabric_id uuid not null,
    wanted integer not null,
    before integer not null,
    taken integer not null,
    after integer not null,
    seq integer not null,
    primary key (order_id, fabric_id)
  ) on commit drop`)
}

// A staged row as sent to PostgreSQL: a two-letter key per column, and no key for a null
// (json_to_recordset reads a missing key as null), so that the JSON it parses is a third smaller.
const ORDER_KEYS = {
  file_row: 'fr',
  order_id: 'oi',
  sale_day: 'sd',
  created_at: 'ca',
  customer_name: 'cn',
  address: 'ad',
  shipping: 'sh',
  tax: 'tx',
  total: 'tt',
  currency: 'cu',
  cancelled: 'cx',
  refunded: 'rf',
  shipped: 'sp',
  valid: 'va',
} as const satisfies Record<keyof OrderRow, string>
const ITEM_KEYS = {
  file_row: 'fr',
  order_id: 'oi',
  transaction_id: 'ti',
  sale_day: 'sd',
  created_at: 'ca',
  customer_name: 'cn',
  address: 'ad',
  shipping: 'sh',
  tax: 'tx',
  shipped: 'sp',
  item_name: 'it',
  name: 'nm',
  sku: 'sk',
  listing_id: 'li',
  price: 'pr',
  quantity: 'qt',
  currency: 'cu',
  valid: 'va',
} as const satisfies Record<keyof ItemRow, string>

function wireJson<R extends object>(batch: R[], keys: Record<keyof R, string>): string {
  const entries = Object.entries(keys) as [keyof R, string][]
  return JSON.stringify(
    batch.map((row) => {
      const out: Record<string, unknown> = {}
      for (const [column, key] of entries) if (row[column] !== null) out[key] = row[column]
      return out
    }),
  )
}

// One JSON parameter per batch: a few statements whatever the batch size, on every driver. Plain
// json, not jsonb: it is read once, so building jsonb's binary form first would only cost time.
// The address stays json too (checked, not parsed into jsonb) until a new order is written with it.
async function stageBatch(tx: Transaction, kind: EtsyOrdersFile, batch: (OrderRow | ItemRow)[], errors: OrderRowError[]) {
  if (batch.length && kind === 'orders') {
    await tx.execute(sql`insert into etsy_order_rows
        (file_row, order_id, sale_day, created_at, customer_name, address, shipping, tax, total, currency, cancelled,
         refunded, shipped, valid)
      select fr, oi, sd, ca, cn, ad, sh, tx, tt, cu, cx, rf, sp, va
      from json_to_recordset(${wireJson(batch as OrderRow[], ORDER_KEYS)}::json) as x(
        fr integer, oi text, sd text, ca timestamptz, cn text, ad json, sh numeric(10, 2), tx numeric(10, 2),
        tt numeric(10, 2), cu text, cx boolean, rf boolean, sp boolean, va boolean)`)
  }
  if (batch.length && kind === 'items') {
    await tx.execute(sql`insert into etsy_item_rows
        (file_row, order_id, transaction_id, sale_day, created_at, customer_name, address, shipping, tax, shipped,
         item_name, name, sku, listing_id, price, quantity, currency, valid)
      select fr, oi, ti, sd, ca, cn, ad, sh, tx, sp, it, nm, sk, li, pr, qt, cu, va
      from json_to_recordset(${wireJson(batch as ItemRow[], ITEM_KEYS)}::json) as x(
        fr integer, oi text, ti text, sd text, ca timestamptz, cn text, ad json, sh numeric(10, 2), tx numeric(10, 2),
        sp boolean, it text, nm text, sk text, li text, pr numeric(10, 2), qt integer, cu text, va boolean)`)
  }
  if (errors.length) {
    await tx.execute(sql`insert into etsy_order_errors (file, file_row, col, message)
      select file, file_row, col, message
      from json_to_recordset(${JSON.stringify(errors)}::json) as x(file text, file_row integer, col text, message text)`)
  }
}

/** Streams one file into its staging table, a batch at a time; a file-level problem stops it. */
async function stageFile(
  tx: Transaction,
  upload: OrdersUpload,
  settings: OrderRowSettings,
): Promise<OrdersProblem | { ok: true }> {
  const fileName = ETSY_ORDERS_FILE_NAMES[upload.kind]
  const read = upload.kind === 'orders' ? readOrderRow : readItemRow
  const staged = await stageCsvFile({
    file: upload.file,
    fileName,
    rowOf: fileName,
    // Read already, when the upload was told apart.
    header: () => null,
    batch: (records) => {
      const batch: (OrderRow | ItemRow)[] = []
      const errors: OrderRowError[] = []
      for (const record of records) {
        const result = read({ record, header: upload, settings })
        batch.push(result.row)
        errors.push(...result.errors)
      }
      return stageBatch(tx, upload.kind, batch, errors)
    },
  })
  if (!staged.ok) return { ...staged, uploadId: upload.uploadId }
  if (staged.records === 0) {
    return {
      ok: false,
      problem: `${fileName} has Etsy's header row but no ${upload.kind === 'orders' ? 'orders' : 'items'}.`,
      uploadId: upload.uploadId,
    }
  }
  return { ok: true }
}

export async function stageFiles(tx: Transaction, files: OrdersUpload[]): Promise<OrdersProblem | { ok: true }> {
  const settings = orderRowSettings({ currency: env().SHOP_CURRENCY, timeZone: env().SHOP_TIMEZONE, both: files.length === 2 })
  // Sorts and hashes over a whole file's rows fit in memory rather than spill to disk.
  await tx.execute(sql`set local work_mem = '64MB'`)
  await createStagingTables(tx)
  for (const upload of files) {
    const staged = await stageFile(tx, upload, settings)
    if (!staged.ok) return staged
  }
  return { ok: true }
}

// ---- Planning ---------------------------------------------------------------------------------

async function invalidateRowsWithErrors(tx: Transaction) {
  await tx.execute(sql`update etsy_order_rows set valid = false
    where valid and file_row in (select file_row from etsy_order_errors where file = 'orders')`)
  await tx.execute(sql`update etsy_item_rows set valid = false
    where valid and file_row in (select file_row from etsy_order_errors where file = 'items')`)
}

/**
 * The currencies the rows of both files name: when all of them name one currency that is not the
 * shop's, the files are in that currency, which the preview says once (and nothing can be
 * imported); else each row in another currency than the shop's is an error of its own.
 */
async function checkCurrency(tx: Transaction, files: { orders: boolean; items: boolean }): Promise<CurrencyMismatch | null> {
  const shop = env().SHOP_CURRENCY
  const named = await rows<{ currency: string }>(
    tx,
    sql`select currency from (select currency from etsy_order_rows union select currency from etsy_item_rows) c
        where currency is not null limit 2`,
  )
  if (named.length === 1 && named[0]!.currency !== shop) {
    return currencyMismatch({ file: named[0]!.currency, shop, files: files.orders && files.items ? 2 : 1 })
  }
  for (const [file, table] of [
    ['orders', sql`etsy_order_rows`],
    ['items', sql`etsy_item_rows`],
  ] as const) {
    await tx.execute(sql`insert into etsy_order_errors (file, file_row, col, message)
      select ${file}::text, file_row, 'Currency', format('"%s" is not the shop''s currency (%s)', currency, ${shop}::text)
      from ${table} where currency <> ${shop}::text order by file_row`)
  }
  await invalidateRowsWithErrors(tx)
  return null
}

/** What the admin asked of the plan: orders sold before this day are imported as delivered (null: none are). */
export interface PlanOptions {
  deliveredBefore: Day | null
}

/** Checks the rows against each other, then makes the plan: orders, lines, matches, stock. */
export async function planStaged(
  tx: Transaction,
  files: { orders: boolean; items: boolean },
  { deliveredBefore }: PlanOptions,
): Promise<{ currency: CurrencyMismatch | null }> {
  const both = files.orders && files.items
  const currency = await checkCurrency(tx, files)

  // Within the files: an order twice, a transaction twice.
  await tx.execute(sql`insert into etsy_order_errors (file, file_row, col, message)
    select 'orders', file_row, 'Order ID', format('"%s" is also on row %s', order_id, first_row)
    from (select file_row, order_id, min(file_row) over (partition by order_id) as first_row
          from etsy_order_rows where order_id is not null) d
    where file_row <> first_row`)
  await tx.execute(sql`insert into etsy_order_errors (file, file_row, col, message)
    select 'items', file_row, 'Transaction ID', format('"%s" is also on row %s', transaction_id, first_row)
    from (select file_row, transaction_id, min(file_row) over (partition by transaction_id) as first_row
          from etsy_item_rows where transaction_id is not null) d
    where file_row <> first_row`)
  // A line whose price times quantity numeric(10,2) cannot hold.
  await tx.execute(sql`insert into etsy_order_errors (file, file_row, col, message)
    select 'items', file_row, 'Quantity', format('%s times Price %s is more than an order can hold', quantity, price)
    from etsy_item_rows where valid and price * quantity >= ${MONEY_LIMIT}::numeric`)
  if (both) {
    // Lines of orders the orders file does not have: the files are from different downloads.
    await tx.execute(sql`insert into etsy_order_errors (file, file_row, col, message)
      select 'items', i.file_row, 'Order ID', format('"%s" is not in EtsySoldOrders.csv: upload both files of the same download', i.order_id)
      from etsy_item_rows i
      where i.order_id is not null and not exists (select 1 from etsy_order_rows o where o.order_id = i.order_id)`)
  }
  if (files.items && !files.orders) {
    // The order's own columns repeat on every one of its rows, and must agree.
    await tx.execute(sql`with w as (
        select file_row, sale_day, shipping, tax,
               first_value(file_row) over o as first_row, first_value(sale_day) over o as first_day,
               first_value(shipping) over o as first_shipping, first_value(tax) over o as first_tax
        from etsy_item_rows where valid and order_id is not null
        window o as (partition by order_id order by file_row)
      )
      insert into etsy_order_errors (file, file_row, col, message)
      select 'items', file_row, c.col, format('differs from row %s, the first row of the same order', first_row)
      from w cross join lateral (values
        ('Sale Date', sale_day is distinct from first_day),
        ('Order Shipping', shipping is distinct from first_shipping),
        ('Order Sales Tax', tax is distinct from first_tax)) as c(col, differs)
      where c.differs
      order by file_row`)
    // The sum numeric(10,2) must hold.
    await tx.execute(sql`insert into etsy_order_errors (file, file_row, col, message)
      select 'items', first_row, null, 'The order''s total (its lines, shipping and tax) is more than an order can hold'
      from (select min(file_row) as first_row, sum(price * quantity) + min(shipping) + min(tax) as total
            from etsy_item_rows where valid group by order_id) t
      where total >= ${MONEY_LIMIT}::numeric`)
  }
  await invalidateRowsWithErrors(tx)

  // The orders: from the orders file, or from the first row of each order in the items file.
  // An Etsy order is imported once: one already here is skipped, lines, stock and all.
  if (files.orders) {
    await tx.execute(sql`insert into etsy_import_orders
        (order_id, file, file_row, sale_day, created_at, customer_name, address, shipping, tax, total, status, action)
      select r.order_id, 'orders', r.file_row, r.sale_day, r.created_at, r.customer_name, r.address, r.shipping, r.tax, r.total,
             (case when r.cancelled then 'cancelled'
                   ${deliveredBefore ? sql`when not r.refunded and r.sale_day < ${deliveredBefore}::text then 'delivered'` : sql``}
                   when r.shipped then 'shipped' else 'pending' end)::order_status,
             case when e.id is null then 'new' else 'existing' end
      from etsy_order_rows r left join ${orders} e on e.etsy_order_id = r.order_id
      where r.valid`)
  } else {
    await tx.execute(sql`insert into etsy_import_orders
        (order_id, file, file_row, sale_day, created_at, customer_name, address, shipping, tax, total, status, action)
      select f.order_id, 'items', f.file_row, f.sale_day, f.created_at, f.customer_name, f.address, f.shipping, f.tax,
             f.lines + f.shipping + f.tax,
             (case ${deliveredBefore ? sql`when f.sale_day < ${deliveredBefore}::text then 'delivered'` : sql``}
                   when f.shipped then 'shipped' else 'pending' end)::order_status,
             case when e.id is null then 'new' else 'existing' end
      from (
        select distinct on (order_id) order_id, file_row, sale_day, created_at, customer_name, address, shipping, tax,
               bool_or(shipped) over (partition by order_id) as shipped,
               sum(price * quantity) over (partition by order_id) as lines
        from etsy_item_rows where valid
        order by order_id, file_row
      ) f left join ${orders} e on e.etsy_order_id = f.order_id`)
  }
  // Statistics of the columns the next statements join and filter on only: the rest (names,
  // addresses) would cost time to sample and tell the planner nothing.
  await tx.execute(sql`analyze etsy_import_orders (order_id, action, status, created_at)`)
  if (!files.items) return { currency }

  // The lines of the orders to import, priced exactly (numeric, never floating point), each
  // matched to a fabric: by Etsy's listing id, then the SKU, then the title (case and spaces
  // aside). A listing id or title that more than one fabric has matches none of them.
  await tx.execute(sql`insert into etsy_import_lines
      (file_row, order_id, item_name, name, sku, listing_id, price, quantity, line_total, fabric_id, matched_by)
    with by_listing as (
      select f.etsy_listing_id, (array_agg(f.id))[1] as id
      from ${fabrics} f
      where f.etsy_listing_id in (select listing_id from etsy_item_rows where listing_id is not null)
      group by f.etsy_listing_id having count(*) = 1
    )
    select i.file_row, i.order_id, i.item_name, i.name, i.sku, i.listing_id, i.price, i.quantity, i.price * i.quantity,
           coalesce(l.id, s.id), case when l.id is not null then 'listing' when s.id is not null then 'sku' end
    from etsy_item_rows i
    join etsy_import_orders o on o.order_id = i.order_id and o.action = 'new'
    left join by_listing l on l.etsy_listing_id = i.listing_id
    left join ${fabrics} s on s.sku = i.sku
    where i.valid`)
  // The title, for the lines neither matched.
  await tx.execute(sql`with unmatched as (
      select distinct lower(item_name) as title from etsy_import_lines where fabric_id is null
    ), by_title as (
      select lower(trim(f.name)) as title, (array_agg(f.id))[1] as id
      from ${fabrics} f
      where lower(trim(f.name)) in (select title from unmatched)
      group by lower(trim(f.name)) having count(*) = 1
    )
    update etsy_import_lines l set fabric_id = t.id, matched_by = 'title'
    from by_title t
    where l.fabric_id is null and lower(l.item_name) = t.title`)

  // Stock: each fabric's quantity goes to its orders in sale-date order (then Etsy's order number)
  // until none is left; a cancelled order takes none. `before` and `after` are the fabric's real
  // running quantity around each take.
  await tx.execute(sql`insert into etsy_import_takes (order_id, fabric_id, wanted, before, taken, after, seq)
    select order_id, fabric_id, wanted, before, least(wanted, before), before - least(wanted, before), seq
    from (
      select w.order_id, w.fabric_id, w.wanted,
             greatest(0, f.stock_quantity - (sum(w.wanted) over running - w.wanted))::int as before,
             row_number() over running as seq
      from (select order_id, fabric_id, sum(quantity)::bigint as wanted
            from etsy_import_lines where fabric_id is not null group by order_id, fabric_id) w
      join etsy_import_orders o on o.order_id = w.order_id
      join ${fabrics} f on f.id = w.fabric_id
      where o.status <> 'cancelled'
      window running as (partition by w.fabric_id order by o.created_at, length(o.order_id), o.order_id
                         rows between unbounded preceding and current row)
    ) t`)
  return { currency }
}

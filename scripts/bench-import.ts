// The Etsy imports at scale (DESIGN.md §8: 100k rows in under 30 s): generates Etsy's files with
// tests/fixtures/etsy/generate.py, then previews them (the plan) and confirms them (staged,
// planned again under the lock, and written in one transaction) on the database `db` points at.
// `benchImport` is the listings import, `benchOrdersImport` the orders import (both files);
// scripts/bench.ts calls them. Run on its own (`npx tsx scripts/bench-import.ts`) it makes a fresh
// PostgreSQL database (BENCH_DATABASE_URL, else TEST_DATABASE_URL's server), imports
// BENCH_IMPORT_ROWS listings (100k) as the catalog, then BENCH_ORDER_ROWS orders (100k) twice, and
// drops the database.
import { execFileSync } from 'node:child_process'
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { pathToFileURL } from 'node:url'
import { parse } from 'csv-parse'
import { stringify } from 'csv-stringify'
import { confirmListingsImport, previewListingsImport } from '~/models/etsy/listings-import.server'
import { confirmOrdersImport, previewOrdersImport } from '~/models/etsy/orders-import.server'
import type { OrdersImportCounts } from '~/models/etsy/preview'
import {
  discardUpload as discardListingsUpload,
  discardUploads as discardOrdersUploads,
  storeFile as storeListingsFile,
  storeFile as storeOrdersFile,
} from '~/models/etsy/upload-store.server'
import { users } from '~/models/schema'
import { createDatabase, db, setDatabase } from '~/services/db.server'
import { env } from '~/services/env.server'
import { runScript } from './lib'
import { ADMIN_URL, dropDatabases, recreateDatabase } from './pg-admin'

const GENERATOR = path.resolve('tests/fixtures/etsy/generate.py')

/** A copy of a CSV file with some columns of every row but the header rewritten (not part of the timing). */
async function rewriteColumns(file: string, changes: Map<number, (value: string) => string>): Promise<string> {
  if (changes.size === 0) return file
  const rewritten = `${file}.rewritten.csv`
  let header = true
  await pipeline(
    createReadStream(file),
    parse(),
    new Transform({
      objectMode: true,
      transform(record: string[], _encoding, done) {
        if (!header) for (const [column, change] of changes) record[column] = change(record[column] ?? '')
        header = false
        done(null, record)
      },
    }),
    stringify({ record_delimiter: 'windows', quote_record_delimiter: true }),
    createWriteStream(rewritten),
  )
  return rewritten
}

/** The generator writes dollars; the shop may keep another currency. `column` is the file's currency column. */
async function inCurrency(file: string, currency: string, column = 3): Promise<string> {
  return rewriteColumns(file, new Map(currency === 'USD' ? [] : [[column, () => currency]]))
}

/** `seed` picks the generated values: the same seed twice is the same file, another changes every row. */
export async function benchImport({
  rows,
  seed = 7,
}: {
  rows: number
  seed?: number
}): Promise<{ rows: number; planMs: number; importMs: number; fileBytes: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tara-bench-import-'))
  let uploadId: string | undefined
  try {
    execFileSync('python3', [GENERATOR, dir, '--listings', String(rows), '--orders', '0', '--seed', String(seed)], { stdio: 'ignore' })
    const file = await inCurrency(path.join(dir, 'EtsyListingsDownload.csv'), env().SHOP_CURRENCY)
    const fileBytes = statSync(file).size
    uploadId = await storeListingsFile({ file })

    let started = performance.now()
    const preview = await previewListingsImport({ uploadId })
    const planMs = Math.round(performance.now() - started)
    if (!preview.ok) throw new Error(`the generated file was refused: ${preview.problem}`)
    if (preview.preview.counts.errors > 0) {
      throw new Error(`the generated file has errors: ${preview.preview.errors[0]?.message ?? ''}`)
    }

    started = performance.now()
    const result = await confirmListingsImport({ uploadId, digest: preview.preview.digest, userId: null })
    const importMs = Math.round(performance.now() - started)
    if (!result.ok) throw new Error(`the import did not happen: ${JSON.stringify(result.problem)}`)
    return { rows, planMs, importMs, fileBytes }
  } finally {
    if (uploadId) await discardListingsUpload({ uploadId })
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The admin the orders are imported for (orders are read and written on a signed-in user's behalf). */
async function benchAdmin(): Promise<string> {
  const [admin] = await db
    .insert(users)
    .values({ email: 'bench-importer@example.com', name: 'Bench importer', role: 'admin' })
    .onConflictDoUpdate({ target: users.email, set: { role: 'admin' } })
    .returning({ id: users.id })
  return admin!.id
}

/**
 * Both orders files of `orders` generated orders (about 1.6 item rows each) whose lines name
 * `listings` generated listings (SKUs TH-10000 on: after the listings bench, every line matches a
 * fabric by SKU): previewed, then confirmed. The generator numbers orders from 3000000000 whatever
 * the seed; `orderIdOffset` moves them, so that a second batch is new orders.
 */
export async function benchOrdersImport({
  orders,
  listings,
  seed = 7,
  orderIdOffset = 0,
}: {
  orders: number
  listings: number
  seed?: number
  orderIdOffset?: number
}): Promise<{ orders: number; itemRows: number; planMs: number; importMs: number; fileBytes: number; counts: OrdersImportCounts }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tara-bench-orders-'))
  let uploadIds: string[] = []
  try {
    execFileSync('python3', [GENERATOR, dir, '--listings', String(listings), '--orders', String(orders), '--seed', String(seed)], {
      stdio: 'ignore',
    })
    const currency = env().SHOP_CURRENCY
    const changes = (currencyColumn: number, orderIdColumn: number) =>
      new Map<number, (value: string) => string>([
        ...(currency === 'USD' ? [] : [[currencyColumn, () => currency] as const]),
        ...(orderIdOffset ? [[orderIdColumn, (id: string) => String(BigInt(id) + BigInt(orderIdOffset))] as const] : []),
      ])
    const files = [
      await rewriteColumns(path.join(dir, 'EtsySoldOrders.csv'), changes(15, 1)),
      await rewriteColumns(path.join(dir, 'EtsySoldOrderItems.csv'), changes(12, 24)),
    ]
    const fileBytes = files.reduce((n, file) => n + statSync(file).size, 0)
    // The generator's rows are one line each: the items file's rows are its lines but the header.
    const itemRows = readFileSync(files[1]!).reduce((n, byte) => n + (byte === 0x0a ? 1 : 0), 0) - 1
    for (const file of files) uploadIds.push(await storeOrdersFile({ file }))

    const userId = await benchAdmin()
    let started = performance.now()
    const preview = await previewOrdersImport({ uploadIds, userId })
    const planMs = Math.round(performance.now() - started)
    if (!preview.ok) throw new Error(`the generated files were refused: ${preview.problem}`)
    if (preview.preview.counts.errors > 0) {
      throw new Error(`the generated files have errors: ${preview.preview.errors[0]?.message ?? ''}`)
    }

    started = performance.now()
    const result = await confirmOrdersImport({ uploadIds, digest: preview.preview.digest, userId })
    const importMs = Math.round(performance.now() - started)
    if (!result.ok) throw new Error(`the import did not happen: ${JSON.stringify(result.problem)}`)
    uploadIds = []
    return { orders, itemRows, planMs, importMs, fileBytes, counts: result.counts }
  } finally {
    await discardOrdersUploads({ uploadIds })
    rmSync(dir, { recursive: true, force: true })
  }
}

/** One line of figures for a run of either import. */
export function importFigures(run: string, r: { planMs: number; importMs: number; fileBytes: number }) {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`
  return `  ${run.padEnd(34)} preview ${s(r.planMs).padStart(7)}   confirm ${s(r.importMs).padStart(7)}   total ${s(r.planMs + r.importMs).padStart(7)}   (${(r.fileBytes / 1024 / 1024).toFixed(1)} MB)`
}

/** The orders runs on a database whose catalog has the generated listings: what bench.ts prints. */
export async function benchOrdersRuns({ orders, listings }: { orders: number; listings: number }) {
  const shop = Math.min(listings, 5_000)
  const runs = [
    // Every line a fabric of its own, nearly: the most fabrics' stock to update.
    { run: `lines over ${listings.toLocaleString('en-GB')} fabrics`, listings, orderIdOffset: 0 },
    { run: 'the same files again', listings, orderIdOffset: 0 },
    // A shop's shape: many orders for each fabric (other order ids, so all new again).
    { run: `lines over ${shop.toLocaleString('en-GB')} fabrics`, listings: shop, orderIdOffset: 7 * orders },
  ]
  for (const { run, ...options } of runs) {
    const r = await benchOrdersImport({ orders, ...options })
    const c = r.counts
    console.log(`${importFigures(run, r)}, ${r.itemRows.toLocaleString('en-GB')} item rows`)
    console.log(
      `${''.padEnd(36)}${c.new} new, ${c.alreadyImported} already imported; ${c.lines} lines ` +
        `(${c.byListingId} by listing id, ${c.bySku} by SKU, ${c.byTitle} by title, ${c.unmatched} unmatched); ` +
        `${c.unitsTaken} units taken, ${c.shortfalls} short`,
    )
  }
}

async function benchOnItsOwn() {
  const listings = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000)
  const orders = Number(process.env.BENCH_ORDER_ROWS ?? 100_000)
  const admin = process.env.BENCH_DATABASE_URL ?? ADMIN_URL
  const name = `tara_bench_import_${Date.now().toString(36)}`
  const handle = createDatabase({ url: await recreateDatabase(name, admin), poolMax: 5 })
  setDatabase(handle)
  try {
    await handle.migrate()
    console.log(`Etsy imports on ${handle.driver}, budget 30 s:`)
    console.log(importFigures(`${listings.toLocaleString('en-GB')} listings (the catalog)`, await benchImport({ rows: listings })))
    console.log(`Etsy orders import, ${orders.toLocaleString('en-GB')} orders (both files):`)
    await benchOrdersRuns({ orders, listings })
  } finally {
    await handle.close()
    await dropDatabases([name], admin)
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await runScript(benchOnItsOwn)
}

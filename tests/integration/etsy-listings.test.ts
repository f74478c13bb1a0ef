// The Etsy listings import (upload → preview → confirm) and export, on every driver:
// matching by SKU then title, per-row errors with spreadsheet row numbers, all-or-nothing
// writes, the plan's digest, stock movements, the 20 MB limit, and export → import = no change.
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { MaxPartSizeExceededError, unstable_parseMultipartFormData } from '@remix-run/node'
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import { asc, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { ETSY_LISTING_COLUMNS } from '~/models/etsy/listing-rows'
import { etsyListingsCsv } from '~/models/etsy/listings-export.server'
import {
  confirmListingsImport,
  listingsUploadHandler,
  MAX_IMPORT_BYTES,
  previewListingsImport,
} from '~/models/etsy/listings-import.server'
import type { ListingsImportPreview as ImportPreview } from '~/models/etsy/preview'
import { pruneImportFiles, storeFile as storeListingsFile } from '~/models/etsy/upload-store.server'
import { adjustStock, parseFabricQuery } from '~/models/fabric.server'
import { fabrics, stockMovements, users, type NewFabric } from '~/models/schema'
import { TARGETS, useMigratedDatabase } from '../setup/databases'
import { insertFabric } from '../setup/factories'

// Read by env() on first use (each test file has its own modules): the sample file is in
// dollars, and uploads go to a directory of this run's own.
const uploadDir = mkdtempSync(path.join(tmpdir(), 'tara-etsy-test-'))
vi.stubEnv('UPLOAD_DIR', uploadDir)
vi.stubEnv('SHOP_CURRENCY', 'USD')
vi.stubEnv('LOW_STOCK_THRESHOLD', '7')
vi.stubEnv('APP_URL', 'https://hub.example.com')
afterAll(() => {
  vi.unstubAllEnvs()
  rmSync(uploadDir, { recursive: true, force: true })
})

const SAMPLE = path.resolve('tests/fixtures/etsy/EtsyListingsDownload.csv')
const importsDir = path.join(uploadDir, '.imports')
const GONE = /no longer here/

type Column = (typeof ETSY_LISTING_COLUMNS)[number]
type Listing = Partial<Record<Column, string>>

/** One row of Etsy's file: a plain listing unless told otherwise. */
function listing(values: Listing): string[] {
  const defaults: Listing = { TITLE: 'Plain Cotton', PRICE: '10.00', CURRENCY_CODE: 'USD', QUANTITY: '5' }
  return ETSY_LISTING_COLUMNS.map((c) => values[c] ?? defaults[c] ?? '')
}

let fileCounter = 0
/** Writes a CSV file (Etsy's header unless told otherwise) and stores it as an upload. */
async function upload(records: string[][], header: readonly string[] = ETSY_LISTING_COLUMNS): Promise<string> {
  return uploadText(stringify([header as string[], ...records], { record_delimiter: 'windows', quote_record_delimiter: true }))
}

async function uploadText(content: string | Buffer): Promise<string> {
  const file = path.join(uploadDir, `source-${++fileCounter}.csv`)
  writeFileSync(file, content)
  return storeListingsFile({ file })
}

async function preview(uploadId: string): Promise<ImportPreview> {
  const result = await previewListingsImport({ uploadId })
  if (!result.ok) throw new Error(`expected a preview, got: ${result.problem}`)
  return result.preview
}

/** The errors as row and message (most tests need no more of them). */
const messages = (p: ImportPreview) => p.errors.map(({ row, message }) => ({ row, message }))

async function problemOf(uploadId: string): Promise<string> {
  const result = await previewListingsImport({ uploadId })
  if (result.ok) throw new Error('expected a problem with the file')
  return result.problem
}

async function exportText(search = '') {
  return new Response(await etsyListingsCsv({ query: parseFabricQuery(new URLSearchParams(search)) })).text()
}

describe.each(TARGETS)('Etsy listings on %s', (target) => {
  const database = useMigratedDatabase(target)
  let adminId: string

  beforeAll(async () => {
    const [admin] = await database.db.insert(users).values({ email: `admin-${target}@example.com`, role: 'admin' }).returning()
    adminId = admin!.id
  })

  beforeEach(async () => {
    await database.db.delete(stockMovements)
    await database.db.delete(fabrics)
  })

  async function confirm(p: ImportPreview) {
    return confirmListingsImport({ uploadId: p.uploadId, digest: p.digest, userId: adminId })
  }

  const addFabric = (values: Partial<NewFabric> & { name: string }) => insertFabric(database.db, values)

  const fabricBy = async (id: string) => (await database.db.select().from(fabrics).where(eq(fabrics.id, id)))[0]!
  const count = async (table: typeof fabrics | typeof stockMovements) =>
    (await database.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n

  it('imports the sample file: a fabric per listing with every mapped field, and a stock movement for each', async () => {
    const p = await preview(await storeListingsFile({ file: SAMPLE }))
    expect(p.counts).toEqual({ new: 25, changed: 0, unchanged: 0, errors: 0 })
    expect(p.errors).toEqual([])
    // Row numbers count records as a spreadsheet does: descriptions span lines, rows do not.
    expect(p.newRows.slice(0, 3).map((r) => [r.row, r.sku])).toEqual([
      [2, 'TH-10000'],
      [3, 'TH-10001'],
      [4, 'TH-10002'],
    ])
    expect(await count(fabrics)).toBe(0)

    const result = await confirm(p)
    expect(result).toEqual({ ok: true, counts: { new: 25, changed: 0, unchanged: 0, errors: 0 } })
    expect(await count(fabrics)).toBe(25)

    const [first] = await database.db.select().from(fabrics).where(eq(fabrics.sku, 'TH-10000'))
    expect(first).toMatchObject({
      name: 'Cream Polka Dot Flannel, Cotton Fabric by the Half Yard',
      description:
        'Cream polka dot flannel in 100% cotton.\n\nWidth: 44 in. Weight: 300 gsm.\nCare: machine wash cold, tumble dry low, iron on medium.',
      price: '9.85',
      stockQuantity: 46,
      inStock: true,
      tags: ['polka dot', 'flannel', 'cotton', 'sewing fabric', 'quilting'],
      composition: 'cotton,dye',
      images: [0, 1, 2, 3].map((k) => ({ src: `https://i.etsystatic.example/1000/il_${k}.jpg`, alt: '' })),
      etsyVariations: [{ type: 'Length', name: 'Cut', values: 'Half yard,One yard,Fat quarter' }],
      lowStockThreshold: 7,
      category: null,
      version: 1,
      archivedAt: null,
    })
    const [plain] = await database.db.select().from(fabrics).where(eq(fabrics.sku, 'TH-10004'))
    expect(plain).toMatchObject({ images: [], etsyVariations: [], stockQuantity: 8 })
    const [designer] = await database.db.select().from(fabrics).where(eq(fabrics.sku, 'TH-10003'))
    expect(designer!.name).toBe('Blush Floral Chambray, Cotton Fabric by the Half Yard - "Designer" Cut')

    const movements = await database.db
      .select({ movement: stockMovements, quantity: fabrics.stockQuantity })
      .from(stockMovements)
      .innerJoin(fabrics, eq(fabrics.id, stockMovements.fabricId))
    const stocked = await database.db.select().from(fabrics).where(sql`${fabrics.stockQuantity} > 0`)
    expect(movements).toHaveLength(stocked.length)
    for (const { movement, quantity } of movements) {
      expect(movement).toMatchObject({ reason: 'import', note: 'Etsy import', userId: adminId, delta: quantity, quantityAfter: quantity })
    }
    // The upload is gone once imported: confirming twice is impossible.
    expect(await problemOf(p.uploadId)).toMatch(GONE)
    expect(await confirm(p)).toMatchObject({ ok: false, problem: expect.stringMatching(GONE) })
  })

  it('a bad row in the last of several batches: the preview names its row, and confirming writes nothing', async () => {
    const records = Array.from({ length: 2600 }, (_, i) => listing({ TITLE: `Bulk ${i}`, SKU: `B-${i}` }))
    records[2599] = listing({ TITLE: 'Bulk last', SKU: 'B-last', PRICE: 'abc' })
    records[1200] = listing({ TITLE: 'Bulk middle', SKU: 'B-middle', QUANTITY: '-1' })
    const p = await preview(await upload(records))
    expect(p.counts).toEqual({ new: 2598, changed: 0, unchanged: 0, errors: 2 })
    // Each with what its row says of the listing, for the summary to name it.
    expect(p.errors).toEqual([
      { row: 1202, title: 'Bulk middle', sku: 'B-middle', message: 'QUANTITY "-1" is not a whole number of 0 or more' },
      { row: 2601, title: 'Bulk last', sku: 'B-last', message: 'PRICE "abc" is not an amount like 12.50' },
    ])
    expect(p.newRows).toHaveLength(50)

    expect(await confirm(p)).toMatchObject({ ok: false, problem: 'errors' })
    expect(await count(fabrics)).toBe(0)
    expect(await count(stockMovements)).toBe(0)
    // Nothing was written, and the upload stays for another look.
    expect((await preview(p.uploadId)).digest).toBe(p.digest)
  })

  it('reports every problem of a row, column by column, and caps the list', async () => {
    const bad = listing({
      TITLE: '',
      PRICE: '12,50',
      CURRENCY_CODE: 'usd',
      QUANTITY: '2.5',
      IMAGE2: 'javascript:alert(1)',
      SKU: 'x'.repeat(65),
    })
    const short = listing({ TITLE: 'Short' }).slice(0, 10)
    const many = Array.from({ length: 250 }, (_, i) => listing({ TITLE: `Many ${i}`, PRICE: '-1' }))
    const p = await preview(await upload([bad, short, ...many]))
    expect(messages(p).slice(0, 5)).toEqual([
      { row: 2, message: 'TITLE is empty' },
      { row: 2, message: 'PRICE "12,50" is not an amount like 12.50' },
      { row: 2, message: 'QUANTITY "2.5" is not a whole number of 0 or more' },
      { row: 2, message: 'IMAGE2 "javascript:alert(1)" is not a web address (https://…)' },
      { row: 2, message: 'SKU is longer than 64 characters' },
    ])
    expect(p.errors[5]).toEqual({ row: 3, title: null, sku: null, message: "10 values where Etsy's header has 24 columns" })
    expect(p.errors).toHaveLength(200)
    expect(p.moreErrors).toBe(6 + 250 - 200)
    expect(p.counts.errors).toBe(252)
  })

  it('refuses a listing in another currency than the rest of the file, on its row', async () => {
    const p = await preview(await upload([listing({ TITLE: 'Euro Linen', CURRENCY_CODE: 'EUR' }), listing({ TITLE: 'Dollar Linen' })]))
    expect(p.errors).toEqual([{ row: 2, title: 'Euro Linen', sku: null, message: 'CURRENCY_CODE "EUR" is not the shop\'s currency (USD)' }])
    expect(p.currency).toBeNull()
    expect(p.counts).toMatchObject({ new: 1, errors: 1 })
    expect(await confirm(p)).toMatchObject({ ok: false, problem: 'errors' })
    expect(await count(fabrics)).toBe(0)
  })

  it('a file wholly in another currency is said once, with what to set, and not on every row; nothing is imported', async () => {
    const records = Array.from({ length: 60 }, (_, i) => listing({ TITLE: `Pound ${i}`, SKU: `P-${i}`, CURRENCY_CODE: 'gbp' }))
    records[4] = listing({ TITLE: 'Pound bad', SKU: 'P-bad', CURRENCY_CODE: 'GBP', PRICE: 'abc' })
    records[9] = listing({ TITLE: 'Pound blank', SKU: 'P-blank', CURRENCY_CODE: '' })
    const p = await preview(await upload(records))
    expect(p.currency).toEqual({
      file: 'GBP',
      shop: 'USD',
      message:
        "This file's prices are in GBP; this shop's prices are in USD (SHOP_CURRENCY). Tara Hub does not convert: " +
        'export the file from an Etsy shop in USD, or set SHOP_CURRENCY=GBP if the shop really sells in GBP.',
    })
    // The rows keep only their other errors.
    expect(messages(p)).toEqual([
      { row: 6, message: 'PRICE "abc" is not an amount like 12.50' },
      { row: 11, message: "CURRENCY_CODE is empty: the shop's prices are in USD" },
    ])
    expect(p.counts).toEqual({ new: 58, changed: 0, unchanged: 0, errors: 2 })
    expect(await confirm(p)).toMatchObject({ ok: false, problem: 'errors', preview: { currency: { file: 'GBP' } } })
    expect(await count(fabrics)).toBe(0)

    // Without another error, the currency alone still stops it.
    const clean = await preview(await upload(records.filter((_, i) => i !== 4 && i !== 9)))
    expect(clean).toMatchObject({ errors: [], counts: { new: 58, errors: 0 }, currency: { file: 'GBP', shop: 'USD' } })
    expect(await confirm(clean)).toMatchObject({ ok: false, problem: 'errors' })
    expect(await count(fabrics)).toBe(0)
  })

  it('exporting and importing again changes nothing, and the second export is byte for byte the first', async () => {
    expect((await confirm(await preview(await storeListingsFile({ file: SAMPLE }))))).toMatchObject({ ok: true })
    await addFabric({
      name: 'Shop Photo Linen',
      sku: 'OWN-1',
      description: 'Line one\r\nline two, with "quotes" and a trailing space ',
      composition: '55% linen, 45% viscose',
      tags: ['linen', 'own photos'],
      stockQuantity: 3,
      price: '12.50',
      images: [
        { src: '/uploads/fabrics/a1.webp', thumb: '/uploads/fabrics/a1-thumb.webp', alt: 'Linen on the roll', width: 800, height: 600 },
        { src: 'https://cdn.example/b.jpg', alt: 'Close-up' },
      ],
      etsyVariations: [
        { type: 'Length', name: 'Cut', values: 'Half yard,One yard' },
        { type: 'Colour', name: 'Shade', values: 'Sage, Rust' },
      ],
    })
    await addFabric({ name: 'No Frills Calico', description: null, composition: null, tags: [], price: '3.00' })
    await addFabric({ name: 'Archived Tweed', sku: 'OLD-1', archivedAt: new Date() })

    const first = await exportText()
    const lines = first.split('\r\n')
    expect(lines[0]).toBe(ETSY_LISTING_COLUMNS.join(','))
    expect(first).toContain('https://hub.example.com/uploads/fabrics/a1.webp,https://cdn.example/b.jpg,')
    expect(first).not.toContain('Archived Tweed')
    const before = await database.db.select().from(fabrics).orderBy(asc(fabrics.id))
    const movementsBefore = await count(stockMovements)

    const p = await preview(await uploadText(first))
    expect(p.counts).toEqual({ new: 0, changed: 0, unchanged: 27, errors: 0 })
    expect(await confirm(p)).toEqual({ ok: true, counts: { new: 0, changed: 0, unchanged: 27, errors: 0 } })
    // Not a single value moved: not the versions, the stored images (thumbnails, alt text), nor updated_at.
    expect(await database.db.select().from(fabrics).orderBy(asc(fabrics.id))).toEqual(before)
    expect(await count(stockMovements)).toBe(movementsBefore)
    expect(await exportText()).toBe(first)
  })

  it('exports formulas as inert text, and an export imported again gives back the original text', async () => {
    const names = ['=HYPERLINK("http://x","y")', "'quoted", '+SUM(A1:A9)', '-2+3', '@cmd', "'=already quoted", 'Plain -2']
    for (const [i, name] of names.entries()) {
      await addFabric({ name, sku: i === 0 ? '=SKU()' : `F-${i}`, description: i === 1 ? '=1+1' : null, composition: '@wool' })
    }
    const first = await exportText()
    const records = parse(first, { bom: true }) as string[][]
    const cells = records.slice(1).flat()
    // Nothing a spreadsheet would run: every formula-looking cell starts with an apostrophe.
    expect(cells.filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([])
    expect(records.slice(1).map((r) => r[0]).sort()).toEqual(
      [`'=HYPERLINK("http://x","y")`, "'quoted", "'+SUM(A1:A9)", "'-2+3", "'@cmd", "''=already quoted", 'Plain -2'].sort(),
    )
    expect(cells).toContain("'=SKU()")
    expect(cells).toContain("'=1+1")
    expect(cells).toContain("'@wool")
    const before = await database.db.select().from(fabrics).orderBy(asc(fabrics.id))

    const p = await preview(await uploadText(first))
    expect(p.counts).toEqual({ new: 0, changed: 0, unchanged: names.length, errors: 0 })
    expect(await confirm(p)).toMatchObject({ ok: true })
    expect(await database.db.select().from(fabrics).orderBy(asc(fabrics.id))).toEqual(before)
    expect((await database.db.select({ name: fabrics.name }).from(fabrics)).map((f) => f.name).sort()).toEqual([...names].sort())
    expect(await exportText()).toBe(first)
  })

  it('exports the filtered list in its order, archived fabrics on request', async () => {
    await addFabric({ name: 'Zed Linen', category: 'Linen', price: '5.00', sku: 'Z' })
    await addFabric({ name: 'Alpha Linen', category: 'Linen', price: '9.00', sku: 'A' })
    await addFabric({ name: 'Silk Only', category: 'Silk', sku: 'S' })
    await addFabric({ name: 'Old Linen', category: 'Linen', sku: 'O', archivedAt: new Date() })
    const titles = (text: string) => text.trim().split('\r\n').slice(1).map((line) => line.split(',')[0])
    expect(titles(await exportText('category=Linen'))).toEqual(['Alpha Linen', 'Zed Linen'])
    expect(titles(await exportText('category=Linen&sort=price'))).toEqual(['Zed Linen', 'Alpha Linen'])
    expect(titles(await exportText('archived=1'))).toEqual(['Old Linen'])
    expect(titles(await exportText('q=silk'))).toEqual(['Silk Only'])
  })

  it('a SKU match wins over a title match', async () => {
    const bySku = await addFabric({ name: 'Alpha', sku: 'S-1', stockQuantity: 5 })
    const byTitle = await addFabric({ name: 'Beta', stockQuantity: 5 })
    const p = await preview(await upload([listing({ TITLE: 'Beta', SKU: 'S-1' })]))
    expect(p.counts).toEqual({ new: 0, changed: 1, unchanged: 0, errors: 0 })
    expect(p.changedRows).toEqual([
      { row: 2, fabricId: bySku.id, name: 'Alpha', archived: false, changes: [{ field: 'Title', before: 'Alpha', after: 'Beta' }] },
    ])
    expect(await confirm(p)).toMatchObject({ ok: true })
    expect(await fabricBy(bySku.id)).toMatchObject({ name: 'Beta', sku: 'S-1', version: 2 })
    expect(await fabricBy(byTitle.id)).toMatchObject({ name: 'Beta', sku: null, version: 1 })
  })

  it('a title match stores the SKU, and only fabrics without a SKU match a row that has one', async () => {
    const gamma = await addFabric({ name: 'Gamma', stockQuantity: 5 })
    const other = await addFabric({ name: 'Gamma', sku: 'OTHER', stockQuantity: 5 })
    const p = await preview(await upload([listing({ TITLE: 'Gamma', SKU: 'G-1' })]))
    expect(p.changedRows).toMatchObject([{ fabricId: gamma.id, changes: [{ field: 'SKU', before: '', after: 'G-1' }] }])
    expect(await confirm(p)).toMatchObject({ ok: true, counts: { new: 0, changed: 1 } })
    expect(await fabricBy(gamma.id)).toMatchObject({ sku: 'G-1', version: 2 })
    expect(await fabricBy(other.id)).toMatchObject({ sku: 'OTHER', version: 1 })
    expect(await count(fabrics)).toBe(2)
  })

  it('a row without a SKU matches any fabric of that title, and leaves its SKU alone', async () => {
    const solo = await addFabric({ name: 'Solo', sku: 'SOLO-1', stockQuantity: 5 })
    const p = await preview(await upload([listing({ TITLE: 'Solo', QUANTITY: '6' })]))
    expect(p.changedRows).toMatchObject([{ fabricId: solo.id, changes: [{ field: 'Quantity', before: '5', after: '6' }] }])
    await confirm(p)
    expect(await fabricBy(solo.id)).toMatchObject({ sku: 'SOLO-1', stockQuantity: 6 })
  })

  it('refuses a title that more than one fabric has', async () => {
    await addFabric({ name: 'Delta' })
    await addFabric({ name: 'Delta' })
    await addFabric({ name: 'Delta' })
    const p = await preview(await upload([listing({ TITLE: 'Epsilon' }), listing({ TITLE: 'Delta' })]))
    expect(messages(p)).toEqual([{ row: 3, message: '3 fabrics are called "Delta": give them SKUs' }])
    expect(p.counts).toEqual({ new: 1, changed: 0, unchanged: 0, errors: 1 })
  })

  it('refuses the same SKU twice, the same title twice without SKUs, and two rows for one fabric', async () => {
    const zeta = await addFabric({ name: 'Zeta', sku: 'Z-1' })
    const p = await preview(
      await upload([
        listing({ TITLE: 'One', SKU: 'X-1' }),
        listing({ TITLE: 'Two', SKU: 'Y-1' }),
        listing({ TITLE: 'Three', SKU: 'X-1' }),
        listing({ TITLE: 'Same' }),
        listing({ TITLE: 'Same' }),
        listing({ TITLE: 'Renamed Zeta', SKU: 'Z-1' }),
        listing({ TITLE: 'Zeta' }),
      ]),
    )
    expect(messages(p)).toEqual([
      { row: 4, message: 'SKU "X-1" is also on row 2' },
      { row: 6, message: 'TITLE "Same" is also on row 5, and neither row has a SKU: give them SKUs' },
      { row: 8, message: 'matches the same fabric as row 7 ("Zeta")' },
    ])
    expect(p.counts).toEqual({ new: 3, changed: 1, unchanged: 0, errors: 3 })
    expect(await confirm(p)).toMatchObject({ ok: false, problem: 'errors' })
    expect(await fabricBy(zeta.id)).toMatchObject({ name: 'Zeta', version: 1 })
    expect(await count(fabrics)).toBe(1)
  })

  it('a changed quantity sets the stock and records a movement; descriptive changes move the version', async () => {
    const fabric = await addFabric({ name: 'Counted Cotton', sku: 'Q-1', stockQuantity: 10, price: '10.00' })
    const p = await preview(await upload([listing({ TITLE: 'Counted Cotton', SKU: 'Q-1', QUANTITY: '4' })]))
    expect(p.changedRows[0]!.changes).toEqual([{ field: 'Quantity', before: '10', after: '4' }])
    expect(await confirm(p)).toMatchObject({ ok: true, counts: { changed: 1 } })
    expect(await fabricBy(fabric.id)).toMatchObject({ stockQuantity: 4, inStock: true, version: 1 })

    const out = await preview(await upload([listing({ TITLE: 'Counted Cotton', SKU: 'Q-1', QUANTITY: '0', PRICE: '11' })]))
    expect(out.changedRows[0]!.changes).toEqual([
      { field: 'Price', before: '10.00', after: '11.00' },
      { field: 'Quantity', before: '4', after: '0' },
    ])
    expect(await confirm(out)).toMatchObject({ ok: true })
    expect(await fabricBy(fabric.id)).toMatchObject({ stockQuantity: 0, inStock: false, price: '11.00', version: 2 })
    const movements = await database.db
      .select()
      .from(stockMovements)
      .where(eq(stockMovements.fabricId, fabric.id))
      .orderBy(asc(stockMovements.quantityAfter))
    expect(movements.map((m) => [m.delta, m.quantityAfter, m.reason, m.note, m.userId])).toEqual([
      [-4, 0, 'import', 'Etsy import', adminId],
      [-6, 4, 'import', 'Etsy import', adminId],
    ])
  })

  it('keeps stored images when the addresses are the same, and replaces them when they differ', async () => {
    const images = [{ src: 'https://cdn.example/a.jpg', thumb: 'https://cdn.example/a-t.jpg', alt: 'A' }]
    const kept = await addFabric({ name: 'Kept', sku: 'I-1', images })
    const replaced = await addFabric({ name: 'Replaced', sku: 'I-2', images })
    const p = await preview(
      await upload([
        listing({ TITLE: 'Kept', SKU: 'I-1', QUANTITY: '0', IMAGE1: 'https://cdn.example/a.jpg' }),
        listing({ TITLE: 'Replaced', SKU: 'I-2', QUANTITY: '0', IMAGE1: 'https://cdn.example/b.jpg', IMAGE2: 'https://hub.example.com/uploads/fabrics/c.webp' }),
      ]),
    )
    expect(p.counts).toMatchObject({ changed: 1, unchanged: 1 })
    expect(p.changedRows[0]!.changes).toEqual([
      { field: 'Images', before: 'https://cdn.example/a.jpg', after: 'https://cdn.example/b.jpg\n/uploads/fabrics/c.webp' },
    ])
    await confirm(p)
    expect((await fabricBy(kept.id)).images).toEqual(images)
    expect((await fabricBy(replaced.id)).images).toEqual([
      { src: 'https://cdn.example/b.jpg', alt: '' },
      { src: '/uploads/fabrics/c.webp', alt: '' },
    ])
  })

  it('updates an archived fabric matched by SKU and leaves it archived', async () => {
    const archivedAt = new Date('2026-01-01T00:00:00Z')
    const fabric = await addFabric({ name: 'Stored Away', sku: 'AR-1', archivedAt })
    const p = await preview(await upload([listing({ TITLE: 'Stored Away', SKU: 'AR-1', QUANTITY: '2' })]))
    expect(p.archived).toBe(1)
    expect(p.changedRows[0]).toMatchObject({ archived: true })
    await confirm(p)
    expect(await fabricBy(fabric.id)).toMatchObject({ stockQuantity: 2, archivedAt })
  })

  it('writes nothing when the catalog changed after the preview, and shows the new plan', async () => {
    const fabric = await addFabric({ name: 'Busy Linen', sku: 'D-1', stockQuantity: 3 })
    const p = await preview(await upload([listing({ TITLE: 'Busy Linen', SKU: 'D-1', QUANTITY: '8' }), listing({ TITLE: 'Fresh' })]))
    await adjustStock({ id: fabric.id, delta: 1, reason: 'received', userId: adminId })

    const result = await confirm(p)
    if (result.ok || !('preview' in result)) throw new Error('expected the catalog-changed answer')
    expect(result.problem).toBe('changed')
    expect(result.preview.digest).not.toBe(p.digest)
    expect(result.preview.changedRows[0]!.changes).toEqual([{ field: 'Quantity', before: '4', after: '8' }])
    expect(await fabricBy(fabric.id)).toMatchObject({ stockQuantity: 4 })
    expect(await count(fabrics)).toBe(1)
    expect(await database.db.select().from(stockMovements).where(eq(stockMovements.reason, 'import'))).toEqual([])

    expect(await confirm(result.preview)).toMatchObject({ ok: true, counts: { new: 1, changed: 1 } })
    expect(await fabricBy(fabric.id)).toMatchObject({ stockQuantity: 8 })
  })

  it('says plainly what is wrong with a file that is not a listings file', async () => {
    expect(await problemOf(await uploadText(''))).toBe('The file is empty.')
    expect(await problemOf(await uploadText(`${ETSY_LISTING_COLUMNS.join(',')}\r\n`))).toBe(
      "The file has Etsy's header row but no listings.",
    )
    expect(await problemOf(await upload([['a', 'b']], ['Sale Date', 'Order ID']))).toMatch(/^This is not an Etsy listings file/)
    const withoutPrice = ETSY_LISTING_COLUMNS.filter((c) => c !== 'PRICE' && c !== 'QUANTITY')
    expect(await problemOf(await upload([], [...withoutPrice, 'COLOUR']))).toBe(
      'The first row is not Etsy\'s header row: it has no PRICE, QUANTITY; it has columns Etsy\'s file does not: "COLOUR".',
    )
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52])
    const pngId = await uploadText(png)
    expect(await problemOf(pngId)).toMatch(/^This is not a CSV text file/)
    // An upload that can never be imported is not kept.
    expect(existsSync(path.join(importsDir, `${pngId}.csv`))).toBe(false)
    const unclosed = `${ETSY_LISTING_COLUMNS.join(',')}\r\n"Open quote,no end\r\n`
    expect(await problemOf(await uploadText(unclosed))).toMatch(/the quoted value that starts in row 2 is never closed/)
    // Only a random upload id is ever turned into a path.
    expect(await problemOf('../../../etc/passwd')).toMatch(GONE)
    expect(await confirmListingsImport({ uploadId: '../x', digest: 'a'.repeat(32), userId: null })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(GONE),
    })
  })

  it('refuses a file saved as Windows-1252, naming its row, and takes UTF-8 with or without a BOM', async () => {
    const csv = (records: string[][]) =>
      stringify([[...ETSY_LISTING_COLUMNS], ...records], { record_delimiter: 'windows', quote_record_delimiter: true })
    const rows = [
      listing({ TITLE: 'Two-line description', DESCRIPTION: 'Soft.\r\nWashes well.\r\nDries fast.', SKU: 'A-1' }),
      listing({ TITLE: 'Crème brûlée linen £9', SKU: 'A-2' }),
      listing({ TITLE: 'Plain', SKU: 'A-3' }),
      listing({ TITLE: 'Also plain', DESCRIPTION: 'One\nTwo', SKU: 'A-4' }),
    ]
    // Row 6, after rows whose quoted values span several lines: "Café £12" as Windows-1252 writes
    // it, é = E9 and £ = A3, neither of them UTF-8 there.
    const [head, tail] = csv([...rows, listing({ TITLE: '@@', SKU: 'A-6' }), listing({ TITLE: 'After', SKU: 'A-7' })]).split('@@')
    const cafe1252 = Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0xa3, 0x31, 0x32])
    const file = Buffer.concat([Buffer.from(head!), cafe1252, Buffer.from(tail!)])
    const message =
      'Row 6 is not UTF-8 text (the file may have been saved as Windows-1252): save it as UTF-8 and upload it again.'
    const uploadId = await uploadText(file)
    expect(await problemOf(uploadId)).toBe(message)
    // Nothing written, and an upload that can never be imported is not kept.
    expect(await count(fabrics)).toBe(0)
    expect(existsSync(path.join(importsDir, `${uploadId}.csv`))).toBe(false)

    // In a quoted value that spans lines, and cut short at the very end of the file.
    const before = Buffer.from(csv(rows))
    const quotedBad = Buffer.concat([before, Buffer.from('"Caf'), Buffer.from([0xe9]), Buffer.from('\r\nau lait"')])
    expect(await problemOf(await uploadText(quotedBad))).toMatch(/^Row 6 is not UTF-8 text/)
    expect(await problemOf(await uploadText(Buffer.concat([before, Buffer.from([0xc3])])))).toMatch(/^Row 6 is not UTF-8/)

    // The same listings as UTF-8, with Excel's byte order mark: "Café £12" as it is.
    const good = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(csv([...rows, listing({ TITLE: 'Café £12', SKU: 'A-5' })]), 'utf8'),
    ])
    const p = await preview(await uploadText(good))
    expect(p.counts).toMatchObject({ new: 5, errors: 0 })
    expect(await confirm(p)).toMatchObject({ ok: true })
    const titles = (await database.db.select({ name: fabrics.name }).from(fabrics).orderBy(asc(fabrics.sku))).map((f) => f.name)
    expect(titles).toEqual(['Two-line description', 'Crème brûlée linen £9', 'Plain', 'Also plain', 'Café £12'])
  })

  it('stops an upload past 20 MB, keeps nothing of it, and stores one within the limit', async () => {
    const multipart = (size: number) => {
      const boundary = 'etsy-test-boundary'
      // A text field first: the handler lets it pass without writing anything.
      const head = [
        `--${boundary}`,
        'Content-Disposition: form-data; name="note"',
        '',
        'hello',
        `--${boundary}`,
        'Content-Disposition: form-data; name="file"; filename="EtsyListingsDownload.csv"',
        'Content-Type: text/csv',
        '',
        '',
      ].join('\r\n')
      const body = Buffer.concat([Buffer.from(head), Buffer.alloc(size, 'a'), Buffer.from(`\r\n--${boundary}--\r\n`)])
      return new Request('http://localhost/fabrics/import', {
        method: 'POST',
        headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
        body,
      })
    }
    const filesBefore = readdirSync(importsDir)
    await expect(unstable_parseMultipartFormData(multipart(MAX_IMPORT_BYTES + 1), listingsUploadHandler())).rejects.toBeInstanceOf(
      MaxPartSizeExceededError,
    )
    expect(readdirSync(importsDir)).toEqual(filesBefore)

    const form = await unstable_parseMultipartFormData(multipart(1000), listingsUploadHandler())
    const uploadId = form.get('file')
    expect(uploadId).toMatch(/^[a-f0-9]{32}$/)
    expect(existsSync(path.join(importsDir, `${uploadId}.csv`))).toBe(true)
    expect(await problemOf(String(uploadId))).toMatch(/^This is not an Etsy listings file/)
  })

  it('deletes uploads older than a day when a new one arrives', async () => {
    const stale = path.join(importsDir, `${'0'.repeat(32)}.csv`)
    writeFileSync(stale, 'old')
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000)
    utimesSync(stale, twoDaysAgo, twoDaysAgo)
    const recent = await uploadText('recent')
    expect(existsSync(stale)).toBe(false)
    expect(existsSync(path.join(importsDir, `${recent}.csv`))).toBe(true)
    expect(await pruneImportFiles()).toBe(0)
  })
})

// All queries about fabrics: the catalog list (search, filters, sort, pages), one fabric,
// edits guarded by a version, stock changes with their history, archive and bulk actions.
import { and, asc, desc, eq, getTableColumns, gt, inArray, isNotNull, isNull, lte, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { asAppUser, db, pgErrorCode, rows } from '~/services/db.server'
import { isUuid, queryObject, text, wholeNumber } from '~/utils/validation'
import { COUNT_CAP, MAX_PAGE, PAGE_SIZE, SORTS, STOCK_FILTERS, type FabricFields, type FabricSort } from './fabric-options'
import type { FabricImage } from './json-types'
import { fabrics, orders, stockMovements, users, type StockReason } from './schema'

export { ADJUST_REASONS, COUNT_CAP, FABRIC_FIELDS, MAX_PAGE, PAGE_SIZE, SORTS, type FabricFields, type FabricSort } from './fabric-options'

const optionalText = text()
  .trim()
  .max(200)
  .optional()
  .catch(undefined)
  .transform((v) => (v ? v : undefined))

/**
 * The list's URL (`?q=&category=&subcategory=&stock=&tag=&sort=&page=&archived=1`), read leniently:
 * a value that makes no sense is ignored, never an error, since anyone can edit a URL.
 */
export const FabricQuery = z.object({
  q: optionalText,
  category: optionalText,
  subcategory: optionalText,
  tag: optionalText.transform((v) => v?.toLowerCase()),
  stock: z.enum(STOCK_FILTERS).optional().catch(undefined),
  sort: z.enum(SORTS).optional().catch(undefined),
  page: wholeNumber({ min: 1, max: MAX_PAGE, message: 'Not a page' }).catch(1),
  archived: z
    .literal('1')
    .optional()
    .catch(undefined)
    .transform((v) => v === '1'),
})
export type FabricQuery = z.infer<typeof FabricQuery>

export function parseFabricQuery(params: URLSearchParams): FabricQuery {
  return FabricQuery.parse(queryObject(params))
}

/** The words of a search as a prefix query: "sage lin" → "sage:* & lin:*" (bound as a value, never SQL). */
export function searchTerms(q: string | undefined): string | undefined {
  const words = (q ?? '').toLowerCase().match(/[\p{L}\p{N}]+/gu)?.slice(0, 8)
  return words?.length ? words.map((w) => `${w}:*`).join(' & ') : undefined
}

const tsQuery = (terms: string) => sql`to_tsquery('english', ${terms})`

/** Which fabrics a list query (or an export of it) covers. */
export function fabricWhere(query: FabricQuery): SQL | undefined {
  const terms = searchTerms(query.q)
  return and(
    query.archived ? isNotNull(fabrics.archivedAt) : isNull(fabrics.archivedAt),
    terms ? sql`${fabrics.search} @@ ${tsQuery(terms)}` : undefined,
    query.category ? eq(fabrics.category, query.category) : undefined,
    query.subcategory ? eq(fabrics.subcategory, query.subcategory) : undefined,
    query.tag ? sql`${fabrics.tags} @> ${JSON.stringify([query.tag])}::jsonb` : undefined,
    query.stock === 'in' ? eq(fabrics.inStock, true) : undefined,
    query.stock === 'out' ? eq(fabrics.stockQuantity, 0) : undefined,
    // Written exactly as the partial index fabrics_low_stock_idx, so that it serves this filter.
    query.stock === 'low'
      ? and(gt(fabrics.stockQuantity, 0), lte(fabrics.stockQuantity, fabrics.lowStockThreshold))
      : undefined,
  )
}

/** The sort the list applies: relevance only means something with a search. */
export function effectiveSort(query: FabricQuery): FabricSort {
  const terms = searchTerms(query.q)
  if (query.sort && (query.sort !== 'relevance' || terms)) return query.sort
  return terms ? 'relevance' : 'name'
}

/** ORDER BY for a sort; every order ends on the id so that pages never overlap. */
export function fabricOrder(query: FabricQuery): SQL[] {
  switch (effectiveSort(query)) {
    case 'relevance':
      return [
        sql`ts_rank_cd(${fabrics.search}, ${tsQuery(searchTerms(query.q)!)}) desc`,
        asc(fabrics.name),
        asc(fabrics.id),
      ]
    case 'price':
      return [asc(fabrics.price), asc(fabrics.id)]
    case 'price-desc':
      return [desc(fabrics.price), desc(fabrics.id)]
    case 'stock':
      return [asc(fabrics.stockQuantity), asc(fabrics.id)]
    case 'updated':
      return [desc(fabrics.updatedAt), desc(fabrics.id)]
    case 'name':
      return [asc(fabrics.name), asc(fabrics.id)]
  }
}

/** How many fabrics match, counting no further than COUNT_CAP + 1. */
async function countMatches(where: SQL | undefined) {
  const [counted] = await db
    .select({ total: sql<number>`count(*)::int` })
    .from(db.select({ one: sql`1` }).from(fabrics).where(where).limit(COUNT_CAP + 1).as('capped'))
  return counted?.total ?? 0
}

function pageOfFabrics(where: SQL | undefined, query: FabricQuery) {
  return db
    .select({
      id: fabrics.id,
      name: fabrics.name,
      sku: fabrics.sku,
      category: fabrics.category,
      subcategory: fabrics.subcategory,
      price: fabrics.price,
      stockQuantity: fabrics.stockQuantity,
      lowStockThreshold: fabrics.lowStockThreshold,
      thumbnail: sql<FabricImage | null>`${fabrics.images} -> 0`,
    })
    .from(fabrics)
    .where(where)
    .orderBy(...fabricOrder(query))
    .limit(PAGE_SIZE)
    .offset((query.page - 1) * PAGE_SIZE)
}

/**
 * One page of the list, and how many match (up to COUNT_CAP). Ranking by relevance reads every
 * match, so a search that matches more than COUNT_CAP fabrics is listed in name order instead
 * (`broad`), which an index serves; the page says so and suggests another word.
 */
export async function listFabrics(query: FabricQuery) {
  const where = fabricWhere(query)
  let sort = effectiveSort(query)
  let total: number
  let items: Awaited<ReturnType<typeof pageOfFabrics>>
  if (sort === 'relevance') {
    total = await countMatches(where)
    if (total > COUNT_CAP) sort = 'name'
    items = await pageOfFabrics(where, { ...query, sort })
  } else {
    ;[items, total] = await Promise.all([pageOfFabrics(where, query), countMatches(where)])
  }
  return {
    items,
    total: Math.min(total, COUNT_CAP),
    more: total > COUNT_CAP,
    broad: sort !== effectiveSort(query),
    page: query.page,
    pages: Math.min(MAX_PAGE, Math.max(1, Math.ceil(Math.min(total, COUNT_CAP) / PAGE_SIZE))),
    hasNext: items.length === PAGE_SIZE && query.page < MAX_PAGE && query.page * PAGE_SIZE < total,
    sort,
  }
}
export type FabricListItem = Awaited<ReturnType<typeof listFabrics>>['items'][number]

/** A few current fabrics matching a search (best first), with images, price and stock: for pickers. */
export async function findFabrics({ q, limit = 8 }: { q: string; limit?: number }) {
  const query = FabricQuery.parse({ q })
  if (!searchTerms(query.q)) return []
  return db
    .select({
      id: fabrics.id,
      name: fabrics.name,
      sku: fabrics.sku,
      images: fabrics.images,
      price: fabrics.price,
      stockQuantity: fabrics.stockQuantity,
    })
    .from(fabrics)
    .where(fabricWhere(query))
    .orderBy(...fabricOrder(query))
    .limit(limit)
}

/**
 * The distinct values of a text column, for filters and suggestions. A loose index scan (one
 * index probe per value) keeps it fast however many fabrics share each value.
 */
async function distinctValues(column: 'category' | 'subcategory'): Promise<string[]> {
  const col = column === 'category' ? fabrics.category : fabrics.subcategory
  const found = await rows<{ v: string | null }>(
    db,
    sql`with recursive t(v) as (
      (select ${col} from ${fabrics} where ${col} is not null order by ${col} limit 1)
      union all
      select (select ${col} from ${fabrics} where ${col} > t.v order by ${col} limit 1) from t where t.v is not null
    ) select v from t where v is not null limit 500`,
  )
  return found.map((r) => r.v!).filter(Boolean)
}

export async function fabricFacets() {
  const [categories, subcategories] = await Promise.all([distinctValues('category'), distinctValues('subcategory')])
  return { categories, subcategories }
}

/** One fabric with every field (archived ones too: old orders link to them), or null. */
export async function getFabric(id: string) {
  if (!isUuid(id)) return null
  const [row] = await db.select(detailColumns).from(fabrics).where(eq(fabrics.id, id))
  return row ?? null
}

// Every column but the search document, which only the database reads.
const { search: _search, ...detailColumns } = getTableColumns(fabrics)
export type FabricDetail = NonNullable<Awaited<ReturnType<typeof getFabric>>>

/**
 * The newest stock movements of a fabric, with who made them and the order that caused them (read
 * for the signed-in `userId`: orders are under row-level security), newest applied first: by
 * `seq`, not `created_at` (see schema.ts).
 */
export async function listStockMovements({ fabricId, userId, limit = 50 }: { fabricId: string; userId: string; limit?: number }) {
  return asAppUser(userId, (tx) =>
    tx
      .select({
        id: stockMovements.id,
        delta: stockMovements.delta,
        reason: stockMovements.reason,
        note: stockMovements.note,
        quantityAfter: stockMovements.quantityAfter,
        createdAt: stockMovements.createdAt,
        by: sql<string | null>`coalesce(${users.name}, ${users.email})`,
        orderId: stockMovements.orderId,
        orderNumber: orders.number,
      })
      .from(stockMovements)
      .leftJoin(users, eq(users.id, stockMovements.userId))
      .leftJoin(orders, eq(orders.id, stockMovements.orderId))
      .where(eq(stockMovements.fabricId, fabricId))
      .orderBy(desc(stockMovements.seq))
      .limit(limit),
  )
}

// ---- Create and edit ------------------------------------------------------------------------


export type SaveProblem =
  | { problem: 'sku-taken' }
  | { problem: 'not-found' }
  | { problem: 'conflict'; current: FabricDetail }

function isSkuTaken(error: unknown) {
  return pgErrorCode(error) === '23505'
}

export async function createFabric({
  fields,
  initialStock,
  userId,
}: {
  fields: FabricFields
  initialStock: number
  userId: string
}): Promise<{ ok: true; id: string } | ({ ok: false } & SaveProblem)> {
  try {
    const id = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(fabrics)
        .values({ ...fields, stockQuantity: initialStock, inStock: initialStock > 0 })
        .returning({ id: fabrics.id })
      if (initialStock > 0) {
        await tx.insert(stockMovements).values({
          fabricId: row!.id,
          userId,
          delta: initialStock,
          reason: 'initial',
          quantityAfter: initialStock,
        })
      }
      return row!.id
    })
    return { ok: true, id }
  } catch (error) {
    if (isSkuTaken(error)) return { ok: false, problem: 'sku-taken' }
    throw error
  }
}

/**
 * Saves an edit only over the version the form was loaded at. When someone saved in between,
 * nothing is written and the current values come back, so the caller can show both.
 */
export async function updateFabric({
  id,
  version,
  fields,
}: {
  id: string
  version: number
  fields: FabricFields
}): Promise<{ ok: true; version: number } | ({ ok: false } & SaveProblem)> {
  try {
    const [row] = await db
      .update(fabrics)
      .set({ ...fields, version: sql`${fabrics.version} + 1` })
      .where(and(eq(fabrics.id, id), eq(fabrics.version, version)))
      .returning({ version: fabrics.version })
    if (row) return { ok: true, version: row.version }
  } catch (error) {
    if (isSkuTaken(error)) return { ok: false, problem: 'sku-taken' }
    throw error
  }
  const current = await getFabric(id)
  return current ? { ok: false, problem: 'conflict', current } : { ok: false, problem: 'not-found' }
}

// ---- Stock ----------------------------------------------------------------------------------

/**
 * Adds `delta` (negative to take away) in one conditional UPDATE: it never takes stock below
 * zero, however many run at once. Returns null when there is not enough, or no such fabric.
 */
export async function adjustStock({
  id,
  delta,
  reason,
  note,
  userId,
}: {
  id: string
  delta: number
  reason: StockReason
  note?: string | null
  userId: string | null
}) {
  if (!Number.isInteger(delta) || delta === 0) throw new RangeError('delta must be a non-zero integer')
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(fabrics)
      .set({
        stockQuantity: sql`${fabrics.stockQuantity} + ${delta}`,
        inStock: sql`${fabrics.stockQuantity} + ${delta} > 0`,
      })
      .where(and(eq(fabrics.id, id), sql`${fabrics.stockQuantity} + ${delta} >= 0`))
      .returning({ id: fabrics.id, stockQuantity: fabrics.stockQuantity })
    if (!row) return null
    await tx
      .insert(stockMovements)
      .values({ fabricId: id, userId, delta, reason, note: note || null, quantityAfter: row.stockQuantity })
    return row
  })
}

// ---- Archive and bulk actions ---------------------------------------------------------------

/** Archives (or restores) fabrics; returns how many changed. */
export async function setArchived({ ids, archived }: { ids: string[]; archived: boolean }) {
  if (!ids.length) return 0
  const changed = await db
    .update(fabrics)
    .set({ archivedAt: archived ? sql`now()` : null })
    .where(and(inArray(fabrics.id, ids), archived ? isNull(fabrics.archivedAt) : isNotNull(fabrics.archivedAt)))
    .returning({ id: fabrics.id })
  return changed.length
}

/** Sets the category of many fabrics at once (their version moves on, as for an edit). */
export async function setCategory({ ids, category }: { ids: string[]; category: string | null }) {
  if (!ids.length) return 0
  const changed = await db
    .update(fabrics)
    .set({ category, version: sql`${fabrics.version} + 1` })
    .where(and(inArray(fabrics.id, ids), sql`${fabrics.category} is distinct from ${category}`))
    .returning({ id: fabrics.id })
  return changed.length
}

/** Takes each fabric's whole stock away, each with its own stock movement. */
export async function markOutOfStock({ ids, userId }: { ids: string[]; userId: string }) {
  if (!ids.length) return 0
  return db.transaction(async (tx) => {
    // Locked first, so that each movement records the quantity that was really taken away.
    const changed = await tx
      .select({ id: fabrics.id, before: fabrics.stockQuantity })
      .from(fabrics)
      .where(and(inArray(fabrics.id, ids), gt(fabrics.stockQuantity, 0)))
      .orderBy(asc(fabrics.id))
      .for('update')
    if (changed.length) {
      await tx
        .update(fabrics)
        .set({ stockQuantity: 0, inStock: false })
        .where(inArray(fabrics.id, changed.map((c) => c.id)))
      await tx.insert(stockMovements).values(
        changed.map((c) => ({
          fabricId: c.id,
          userId,
          delta: -c.before,
          reason: 'correction' as const,
          note: 'Marked out of stock',
          quantityAfter: 0,
        })),
      )
    }
    return changed.length
  })
}

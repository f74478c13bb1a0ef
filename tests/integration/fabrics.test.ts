// The catalog model on every driver: search and its ranking, filters, sorts and pages, edits
// guarded by a version, stock that never goes below zero, archive and bulk actions.
import { eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  adjustStock,
  COUNT_CAP,
  createFabric,
  fabricFacets,
  getFabric,
  listFabrics,
  listStockMovements,
  markOutOfStock,
  PAGE_SIZE,
  parseFabricQuery,
  setArchived,
  setCategory,
  updateFabric,
} from '~/models/fabric.server'
import { fabrics, stockMovements, users } from '~/models/schema'
import { rows } from '~/services/db.server'
import { TARGETS, useMigratedDatabase } from '../setup/databases'
import { fabricFields } from '../setup/factories'

const query = (search: string) => parseFabricQuery(new URLSearchParams(search))
const names = async (search: string) => (await listFabrics(query(search))).items.map((f) => f.name)

describe('reading the list address', () => {
  it('keeps what makes sense and drops the rest, never failing', () => {
    expect(query('q=%20linen%20&category=Linen&stock=low&tag=Sage&sort=price&page=3')).toEqual({
      q: 'linen',
      category: 'Linen',
      subcategory: undefined,
      tag: 'sage',
      stock: 'low',
      sort: 'price',
      page: 3,
      archived: false,
    })
    expect(query('stock=lots&sort=random&page=-4&archived=yes&category=')).toEqual({
      q: undefined,
      category: undefined,
      subcategory: undefined,
      tag: undefined,
      stock: undefined,
      sort: undefined,
      page: 1,
      archived: false,
    })
    expect(query('page=99999').page).toBe(1)
    expect(query('archived=1').archived).toBe(true)
  })
})

describe.each(TARGETS)('fabrics on %s', (target) => {
  const database = useMigratedDatabase(target)
  let userId: string

  beforeAll(async () => {
    const [user] = await database.db.insert(users).values({ email: `staff-${target}@example.com` }).returning()
    userId = user!.id
  })

  describe('search, filters, sorts and pages', () => {
    beforeAll(async () => {
      const rows = [
        { name: 'Sage Linen', composition: '100% linen', category: 'Linen', subcategory: 'Plain', price: '18.50', stock: 40, tags: ['sage', 'washed'] },
        { name: 'Indigo Chambray', description: 'A light chambray that feels like linen.', category: 'Cotton', subcategory: 'Shirting', price: '12.00', stock: 3, tags: ['indigo'] },
        { name: 'Mustard Floral Voile', composition: 'cotton', category: 'Cotton', subcategory: 'Voile', price: '9.99', stock: 0, tags: ['floral', 'quilting'] },
        { name: 'Floral Linen Blend', composition: '55% linen, 45% cotton', category: 'Linen', subcategory: 'Printed', price: '21.00', stock: 5, tags: ['floral'] },
        { name: 'Charcoal Wool Flannel', composition: 'wool', category: 'Wool', price: '30.00', stock: 12, tags: ['winter', 'quilting'] },
      ]
      for (const [i, r] of rows.entries()) {
        const created = await createFabric({
          fields: fabricFields({
            name: r.name,
            description: r.description ?? null,
            composition: r.composition ?? null,
            category: r.category,
            subcategory: r.subcategory ?? null,
            price: r.price,
            tags: r.tags,
            sku: `SKU-${i}`,
          }),
          initialStock: r.stock,
          userId,
        })
        expect(created.ok).toBe(true)
      }
      // An archived linen: never in the list or a search, only in the archived view.
      const archived = await createFabric({ fields: fabricFields({ name: 'Old Linen', composition: 'linen' }), initialStock: 1, userId })
      await setArchived({ ids: [archived.ok ? archived.id : ''], archived: true })
    })

    it('ranks a match in the name above one in the composition, above one in the description', async () => {
      expect(await names('q=linen')).toEqual(['Floral Linen Blend', 'Sage Linen', 'Indigo Chambray'])
    })

    it('matches every word, word beginnings, tags, SKUs and stemmed forms', async () => {
      expect(await names('q=floral+linen')).toEqual(['Floral Linen Blend'])
      expect(await names('q=flann')).toEqual(['Charcoal Wool Flannel'])
      expect(await names('q=washed')).toEqual(['Sage Linen'])
      expect(await names('q=quilt&sort=name')).toEqual(['Charcoal Wool Flannel', 'Mustard Floral Voile'])
      expect(await names('q=sku-3')).toEqual(['Floral Linen Blend'])
      expect(await names('q=velvet')).toEqual([])
      // Operators and quotes in a search are only words, never a syntax error.
      expect(await names(`q=${encodeURIComponent(`linen' & !(`)}`)).toHaveLength(3)
      expect(await names(`q=${encodeURIComponent('&|!')}`)).toHaveLength(5)
    })

    it('filters by category, subcategory, tag and stock, and combines them with a search', async () => {
      expect(await names('category=Cotton')).toEqual(['Indigo Chambray', 'Mustard Floral Voile'])
      expect(await names('subcategory=Printed')).toEqual(['Floral Linen Blend'])
      expect(await names('tag=Floral')).toEqual(['Floral Linen Blend', 'Mustard Floral Voile'])
      expect(await names('stock=in')).toEqual(['Charcoal Wool Flannel', 'Floral Linen Blend', 'Indigo Chambray', 'Sage Linen'])
      expect(await names('stock=out')).toEqual(['Mustard Floral Voile'])
      // Low: at or under each fabric's own threshold (5 here), and not out.
      expect(await names('stock=low')).toEqual(['Floral Linen Blend', 'Indigo Chambray'])
      expect(await names('q=linen&category=Linen&stock=low')).toEqual(['Floral Linen Blend'])
      expect(await names('archived=1')).toEqual(['Old Linen'])
    })

    it('sorts by name, price, stock and last update', async () => {
      expect(await names('sort=price')).toEqual([
        'Mustard Floral Voile',
        'Indigo Chambray',
        'Sage Linen',
        'Floral Linen Blend',
        'Charcoal Wool Flannel',
      ])
      expect((await names('sort=price-desc'))[0]).toBe('Charcoal Wool Flannel')
      expect(await names('sort=stock')).toEqual([
        'Mustard Floral Voile',
        'Indigo Chambray',
        'Floral Linen Blend',
        'Charcoal Wool Flannel',
        'Sage Linen',
      ])
      const [indigo] = (await listFabrics(query('q=indigo'))).items
      await adjustStock({ id: indigo!.id, delta: 1, reason: 'received', userId })
      expect((await names('sort=updated'))[0]).toBe('Indigo Chambray')
      // Relevance needs a search: without one the list falls back to names.
      expect((await listFabrics(query('sort=relevance'))).sort).toBe('name')
    })

    it('counts the matches and gives facets from the values in use', async () => {
      const list = await listFabrics(query('category=Linen'))
      expect(list).toMatchObject({ total: 2, more: false, page: 1, pages: 1, hasNext: false })
      expect(await fabricFacets()).toEqual({
        categories: ['Cotton', 'Linen', 'Wool'],
        subcategories: ['Plain', 'Printed', 'Shirting', 'Voile'],
      })
    })
  })

  it('pages through many fabrics without overlap, and caps the count', async () => {
    const many = COUNT_CAP + 20
    await database.db.insert(fabrics).values(
      Array.from({ length: many }, (_, i) => ({
        name: `Bulk ${String(i).padStart(4, '0')}`,
        category: 'Bulk',
        price: String(i % 7),
      })),
    )
    const first = await listFabrics(query('category=Bulk&sort=price'))
    const second = await listFabrics(query('category=Bulk&sort=price&page=2'))
    expect(first.items).toHaveLength(PAGE_SIZE)
    expect(first).toMatchObject({ total: COUNT_CAP, more: true, hasNext: true })
    const ids = new Set([...first.items, ...second.items].map((f) => f.id))
    expect(ids.size).toBe(PAGE_SIZE * 2)
    // Too many matches to rank: in name order, and the list says so.
    const broad = await listFabrics(query('q=bulk'))
    expect(broad).toMatchObject({ broad: true, sort: 'name', more: true })
    expect(broad.items[0]?.name).toBe('Bulk 0000')
    expect(await listFabrics(query('q=bulk+0007'))).toMatchObject({ broad: false, sort: 'relevance', total: 1 })
    await database.db.delete(fabrics).where(eq(fabrics.category, 'Bulk'))
  })

  describe('edits', () => {
    it('saves over the version the form was loaded at, and refuses a stale one with the current values', async () => {
      const created = await createFabric({ fields: fabricFields({ name: 'Versioned' }), initialStock: 0, userId })
      const id = created.ok ? created.id : ''
      const first = await updateFabric({ id, version: 1, fields: fabricFields({ name: 'Versioned', price: '11.00' }) })
      expect(first).toEqual({ ok: true, version: 2 })
      // A second person still holds version 1: their save must not overwrite the first one.
      const stale = await updateFabric({ id, version: 1, fields: fabricFields({ name: 'Versioned', price: '99.00' }) })
      expect(stale).toMatchObject({ ok: false, problem: 'conflict', current: { price: '11.00', version: 2 } })
      expect((await getFabric(id))?.price).toBe('11.00')
      // Saving again over the version they have now seen goes through.
      expect(await updateFabric({ id, version: 2, fields: fabricFields({ name: 'Versioned', price: '99.00' }) })).toEqual({
        ok: true,
        version: 3,
      })
      expect(await updateFabric({ id: '00000000-0000-4000-8000-000000000000', version: 1, fields: fabricFields() })).toEqual({
        ok: false,
        problem: 'not-found',
      })
    })

    it('keeps SKUs unique, on create and on edit', async () => {
      const a = await createFabric({ fields: fabricFields({ name: 'A', sku: 'DUP-1' }), initialStock: 0, userId })
      expect(a.ok).toBe(true)
      expect(await createFabric({ fields: fabricFields({ name: 'B', sku: 'DUP-1' }), initialStock: 0, userId })).toEqual({
        ok: false,
        problem: 'sku-taken',
      })
      const b = await createFabric({ fields: fabricFields({ name: 'B', sku: 'DUP-2' }), initialStock: 0, userId })
      const id = b.ok ? b.id : ''
      expect(await updateFabric({ id, version: 1, fields: fabricFields({ name: 'B', sku: 'DUP-1' }) })).toEqual({
        ok: false,
        problem: 'sku-taken',
      })
    })

    it('an invalid id is simply not found', async () => {
      expect(await getFabric('not-a-uuid')).toBeNull()
    })
  })

  describe('stock', () => {
    it('records every change with who, why and the quantity after it', async () => {
      const created = await createFabric({ fields: fabricFields({ name: 'Tracked' }), initialStock: 10, userId })
      const id = created.ok ? created.id : ''
      expect(await adjustStock({ id, delta: 5, reason: 'received', note: 'Bolt from the mill', userId })).toMatchObject({
        stockQuantity: 15,
      })
      expect(await adjustStock({ id, delta: -15, reason: 'sold', userId })).toMatchObject({ stockQuantity: 0 })
      expect(await getFabric(id)).toMatchObject({ stockQuantity: 0, inStock: false })
      expect(await adjustStock({ id, delta: -1, reason: 'damaged', userId })).toBeNull()
      const history = await listStockMovements({ fabricId: id, userId })
      expect(history.map((m) => [m.delta, m.reason, m.quantityAfter, m.note, m.by])).toEqual([
        [-15, 'sold', 0, null, `staff-${target}@example.com`],
        [5, 'received', 15, 'Bolt from the mill', `staff-${target}@example.com`],
        [10, 'initial', 10, null, `staff-${target}@example.com`],
      ])
      await adjustStock({ id, delta: 2, reason: 'correction', userId })
      expect(await getFabric(id)).toMatchObject({ stockQuantity: 2, inStock: true, version: 1 })
    })

    it('never goes below zero under 50 concurrent adjustments', async () => {
      const created = await createFabric({ fields: fabricFields({ name: 'Contended' }), initialStock: 20, userId })
      const id = created.ok ? created.id : ''
      const results = await Promise.all(
        Array.from({ length: 50 }, () => adjustStock({ id, delta: -1, reason: 'sold', userId })),
      )
      expect(results.filter(Boolean)).toHaveLength(20)
      expect(await getFabric(id)).toMatchObject({ stockQuantity: 0, inStock: false })
      const moves = await database.db.select().from(stockMovements).where(eq(stockMovements.fabricId, id))
      // One movement per change that happened: 20 takings and the first stock, each leaving a
      // different quantity behind.
      expect(moves).toHaveLength(21)
      expect(new Set(moves.map((m) => m.quantityAfter)).size).toBe(21)
      expect(moves.reduce((sum, m) => sum + m.delta, 0)).toBe(0)
    })

    /** The history as the fabric page shows it (newest first): each row is the one below it plus its delta. */
    async function expectConsistentHistory(fabricId: string, count: number) {
      const history = await listStockMovements({ fabricId, userId, limit: 1000 })
      expect(history).toHaveLength(count)
      const oldestFirst = history.toReversed()
      oldestFirst.forEach((move, i) => {
        expect(move.quantityAfter).toBe((oldestFirst[i - 1]?.quantityAfter ?? 0) + move.delta)
      })
    }

    it('lists 40 concurrent changes in the order they were applied', async () => {
      const created = await createFabric({ fields: fabricFields({ name: 'Busy' }), initialStock: 100, userId })
      const id = created.ok ? created.id : ''
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          adjustStock({ id, delta: i % 3 === 0 ? 7 : -(i % 5) - 1, reason: 'correction', userId }),
        ),
      )
      await expectConsistentHistory(id, 41)
    })

    // The embedded database has one session: nothing there can start first and apply second.
    if (target !== 'pglite') {
      it('lists a change that started first but was applied second after the one that overtook it', async () => {
        const made = await Promise.all(
          ['Held', 'Overtaken'].map((name) => createFabric({ fields: fabricFields({ name }), initialStock: 10, userId })),
        )
        // Marking out of stock locks its fabrics in id order: hold the first, and it waits there
        // before it has touched the second.
        const [first, second] = made.map((m) => (m.ok ? m.id : '')).sort()
        let marking: Promise<number> | undefined
        await database.db.transaction(async (tx) => {
          await tx.select({ id: fabrics.id }).from(fabrics).where(eq(fabrics.id, first!)).for('update')
          marking = markOutOfStock({ ids: [first!, second!], userId })
          // Wait (by asking the server, not by sleeping) until it waits on that lock.
          let waiting = false
          for (let tries = 0; tries < 500 && !waiting; tries++) {
            // Inside a transaction the activity view is a snapshot: take a fresh one each time.
            await tx.execute(sql`select pg_stat_clear_snapshot()`)
            const waiters = await rows<{ pid: number }>(
              tx,
              sql`select pid from pg_stat_activity
                where datname = current_database() and wait_event_type = 'Lock' and query ilike '%for update%'
                  and pid <> pg_backend_pid()`,
            )
            waiting = waiters.length > 0
          }
          expect(waiting).toBe(true)
          // Started later, applied first.
          expect(await adjustStock({ id: second!, delta: 3, reason: 'received', userId })).toMatchObject({
            stockQuantity: 13,
          })
        })
        expect(await marking).toBe(2)
        const history = await listStockMovements({ fabricId: second!, userId })
        expect(history.map((m) => [m.delta, m.quantityAfter])).toEqual([
          [-13, 0],
          [3, 13],
          [10, 10],
        ])
        await expectConsistentHistory(second!, 3)
      })
    }
  })

  describe('archive and bulk actions', () => {
    it('archives and restores, and archived fabrics still open by id', async () => {
      const created = await createFabric({ fields: fabricFields({ name: 'Retired Tweed' }), initialStock: 0, userId })
      const id = created.ok ? created.id : ''
      expect(await setArchived({ ids: [id], archived: true })).toBe(1)
      expect(await setArchived({ ids: [id], archived: true })).toBe(0)
      expect(await names('q=tweed')).toEqual([])
      expect((await getFabric(id))?.archivedAt).toBeInstanceOf(Date)
      expect(await setArchived({ ids: [id], archived: false })).toBe(1)
      expect(await names('q=tweed')).toEqual(['Retired Tweed'])
    })

    it('sets a category and marks fabrics out of stock, each with its stock movement', async () => {
      const ids: string[] = []
      for (const [name, stock] of [
        ['Bulk One', 4],
        ['Bulk Two', 0],
      ] as const) {
        const created = await createFabric({ fields: fabricFields({ name }), initialStock: stock, userId })
        ids.push(created.ok ? created.id : '')
      }
      expect(await setCategory({ ids, category: 'Remnants' })).toBe(2)
      expect(await getFabric(ids[0]!)).toMatchObject({ category: 'Remnants', version: 2 })
      expect(await markOutOfStock({ ids, userId })).toBe(1)
      expect(await getFabric(ids[0]!)).toMatchObject({ stockQuantity: 0, inStock: false })
      const [latest] = await listStockMovements({ fabricId: ids[0]!, userId })
      expect(latest).toMatchObject({ delta: -4, reason: 'correction', quantityAfter: 0, note: 'Marked out of stock' })
      expect(await markOutOfStock({ ids, userId })).toBe(0)
    })
  })

  it('keeps the generated search document current', async () => {
    const created = await createFabric({ fields: fabricFields({ name: 'Plain Cotton' }), initialStock: 0, userId })
    const id = created.ok ? created.id : ''
    expect(await names('q=seersucker')).toEqual([])
    await database.db.update(fabrics).set({ tags: ['seersucker'] }).where(eq(fabrics.id, id))
    expect(await names('q=seersucker')).toEqual(['Plain Cotton'])
  })
})

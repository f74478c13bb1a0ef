// The demo data of `npm run db:seed`: a small fabric shop's team, catalog, orders, content
// calendar and 90 days of analytics. A seeded PRNG draws every value, so each run writes the
// same rows; only the dates move with `today`. What the demo says (fabric lines, customers' names
// and places, post ideas) is in the plain modules beside this one; the PRNG is random.ts.
import { asRole, type Database, type Transaction } from '~/services/db.server'
import { env } from '~/services/env.server'
import { addDays, dayOf } from '~/utils/dates'
import { rollupAnalytics } from '~/models/analytics.server'
import type { EngagementMetrics, OrderItem, ShippingAddress } from '~/models/json-types'
import {
  analytics,
  contentCalendar,
  fabrics,
  orderEvents,
  orders,
  stockMovements,
  users,
  type NewAnalyticsRow,
  type NewContentEntry,
  type NewFabric,
  type NewOrder,
  type NewOrderEvent,
  type NewUser,
} from '~/models/schema'
import { GENERAL_HASHTAGS, IDEAS, type Idea } from './content'
import { EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, PLACES, STREETS } from './customers'
import { CARE, EXTRA_FABRIC_TAGS, FABRIC_LINES, type FabricLine } from './fabrics'
import {
  ago,
  chance,
  chunks,
  DAY,
  digits,
  formatCents,
  freshId,
  HOUR,
  int,
  later,
  notAfter,
  pick,
  shuffle,
  stream,
  type Rng,
} from './random'

export const DEMO_ADMIN_EMAIL = 'admin@tara-hub.local'

export interface DemoCounts {
  users: number
  fabrics: number
  orders: number
  content: number
  analytics: number
}

// ---------------------------------------------------------------------------------------------
// Users

const DEMO_USERS = [
  { email: DEMO_ADMIN_EMAIL, name: 'Shop Admin', role: 'admin', joinedDaysAgo: 180 },
  { email: 'priya.shah@tara-hub.local', name: 'Priya Shah', role: 'user', joinedDaysAgo: 150 },
  { email: 'tom.fletcher@tara-hub.local', name: 'Tom Fletcher', role: 'user', joinedDaysAgo: 95 },
] as const

function demoUsers(today: Date): NewUser[] {
  return DEMO_USERS.map(({ joinedDaysAgo, ...user }) => {
    const joined = ago(today, joinedDaysAgo * DAY)
    return { ...user, createdAt: joined, updatedAt: joined }
  })
}

/** Inserts the team; returns their ids in DEMO_USERS order. */
async function insertUsers(tx: Transaction, today: Date) {
  const inserted = await tx.insert(users).values(demoUsers(today)).returning({ id: users.id })
  return inserted.map((u) => u.id)
}

// ---------------------------------------------------------------------------------------------
// Fabrics (the lines and their care: fabrics.ts)

interface FabricPlan {
  row: NewFabric
  priceCents: number
}

function fabricTags(rng: Rng, line: FabricLine, colour: string) {
  const tags = new Set(line.tags)
  if (chance(rng, 0.5)) tags.add(colour.toLowerCase())
  if (chance(rng, 0.5)) tags.add(pick(rng, EXTRA_FABRIC_TAGS))
  return [...tags].slice(0, 5)
}

/** 40 catalog rows: 4 sold out, 6 running low, the rest between 6 and 120 metres. */
function demoFabrics(rng: Rng, today: Date): FabricPlan[] {
  const swatches = FABRIC_LINES.flatMap((line) => line.colours.map((colour) => ({ line, colour })))
  const order = shuffle(rng, [...swatches.keys()])
  const stockOf = new Map(
    order.map((index, rank) => [
      index,
      rank < 4 ? 0 : rank < 10 ? int(rng, 1, 5) : int(rng, 6, 120),
    ]),
  )
  const onEtsy = new Set(shuffle(rng, order).slice(0, swatches.length / 2))
  const listingIds = new Set<string>()
  return swatches.map(({ line, colour }, i) => {
    const stock = stockOf.get(i) ?? 0
    const added = ago(today, int(rng, 20, 300) * DAY + int(rng, 0, DAY))
    const row: NewFabric = {
      name: `${line.name} — ${colour}`,
      description: `${line.blurb} Colour: ${colour.toLowerCase()}.`,
      category: line.category,
      subcategory: line.subcategory,
      price: formatCents(line.priceCents),
      weight: line.weight,
      width: line.width,
      composition: line.composition,
      careInstructions: CARE[line.category] ?? null,
      inStock: stock > 0,
      stockQuantity: stock,
      images: [],
      etsyListingId: onEtsy.has(i) ? freshId(rng, listingIds) : null,
      tags: fabricTags(rng, line, colour),
      createdAt: added,
      updatedAt: notAfter(later(added, int(rng, 0, 20) * DAY), today),
    }
    return { row, priceCents: line.priceCents }
  })
}

interface CatalogEntry {
  id: string
  name: string
  priceCents: number
}

/** The catalog, each fabric's first stock in its history (entered by the admin when it was added). */
async function insertFabrics(tx: Transaction, plans: FabricPlan[], adminId: string): Promise<CatalogEntry[]> {
  const inserted = await tx
    .insert(fabrics)
    .values(plans.map((p) => p.row))
    .returning({ id: fabrics.id, name: fabrics.name, stock: fabrics.stockQuantity, createdAt: fabrics.createdAt })
  const firstStock = inserted.filter((f) => f.stock > 0)
  await tx.insert(stockMovements).values(
    firstStock.map((f) => ({
      fabricId: f.id,
      userId: adminId,
      delta: f.stock,
      reason: 'initial' as const,
      quantityAfter: f.stock,
      createdAt: f.createdAt,
    })),
  )
  const idOf = new Map(inserted.map((f) => [f.name, f.id]))
  return plans.map(({ row, priceCents }) => ({
    id: idOf.get(row.name) as string,
    name: row.name,
    priceCents,
  }))
}

// ---------------------------------------------------------------------------------------------
// Customers (their names and places: customers.ts) and orders

interface Customer {
  name: string
  email: string
  address: ShippingAddress
}

function demoAddress(rng: Rng, name: string): ShippingAddress {
  const place = pick(rng, PLACES)
  const number = int(rng, 1, 180)
  const line1 = place.streetFirst
    ? `${place.streetFirst} ${number}`
    : `${number} ${place.street ?? pick(rng, STREETS)}`
  return {
    name,
    line1,
    ...(chance(rng, 0.2) ? { line2: `Flat ${int(rng, 1, 12)}` } : {}),
    city: place.city,
    ...(place.region ? { region: place.region } : {}),
    postalCode: place.postalCode,
    country: place.country,
  }
}

/** 40 distinct customers; some of them order more than once. */
function demoCustomers(rng: Rng): Customer[] {
  const names = shuffle(
    rng,
    FIRST_NAMES.flatMap((first) => LAST_NAMES.map((last) => `${first} ${last}`)),
  ).slice(0, 40)
  return names.map((name) => {
    const local = name
      .toLowerCase()
      .replace(/\s+/g, '.')
      .normalize('NFD')
      .replace(/[^a-z.]/g, '')
    return { name, email: `${local}@${pick(rng, EMAIL_DOMAINS)}`, address: demoAddress(rng, name) }
  })
}

function demoItems(rng: Rng, catalog: CatalogEntry[]) {
  const count = pick(rng, [1, 1, 1, 2, 2, 2, 3, 3, 4])
  let totalCents = 0
  const items: OrderItem[] = shuffle(rng, catalog)
    .slice(0, count)
    .map((fabric) => {
      const quantity = int(rng, 1, 6)
      const lineCents = fabric.priceCents * quantity
      totalCents += lineCents
      return {
        fabricId: fabric.id,
        name: fabric.name,
        sku: null,
        unitPrice: formatCents(fabric.priceCents),
        quantity,
        lineTotal: formatCents(lineCents),
      }
    })
  return { items, total: formatCents(totalCents) }
}

type Status = NonNullable<NewOrder['status']>

interface StatusPlan {
  count: number
  /** How long ago the order was placed, in hours. */
  age: [number, number]
  /** Hours from placing the order to its last update. */
  updatedAfter: [number, number]
}

// Recent orders are still open; older ones have shipped or arrived. Cancellations fall anywhere.
const STATUS_PLANS: Record<Status, StatusPlan> = {
  pending: { count: 6, age: [1, 60], updatedAfter: [0, 0] },
  processing: { count: 7, age: [6, 5 * 24], updatedAfter: [2, 20] },
  shipped: { count: 9, age: [2 * 24, 12 * 24], updatedAfter: [24, 48] },
  delivered: { count: 32, age: [9 * 24, 90 * 24 - 1], updatedAfter: [72, 192] },
  cancelled: { count: 6, age: [1 * 24, 90 * 24 - 1], updatedAfter: [1, 48] },
}
const ETSY_ORDERS = 20

const NOTES: Partial<Record<Status, string[]>> = {
  pending: ['Please cut in one continuous length.', 'Gift: no prices in the parcel, please.'],
  processing: ['Customer asked for a swatch of the matching thread.'],
  cancelled: [
    'Customer changed their mind before dispatch; refunded.',
    'Duplicate order; refunded.',
  ],
}

interface OrderPlan {
  status: Status
  createdAt: Date
  updatedAt: Date
}

/** Every order's status and dates, newest first. */
function orderPlans(rng: Rng, today: Date): OrderPlan[] {
  const plans = Object.entries(STATUS_PLANS).flatMap(([status, plan]) =>
    Array.from({ length: plan.count }, () => {
      const createdAt = ago(today, int(rng, plan.age[0] * HOUR, plan.age[1] * HOUR))
      const after = int(rng, plan.updatedAfter[0] * HOUR, plan.updatedAfter[1] * HOUR)
      return {
        status: status as Status,
        createdAt,
        updatedAt: notAfter(later(createdAt, after), today),
      }
    }),
  )
  return plans.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
}

function trackingNumber(rng: Rng, country: string) {
  return `${country === 'GB' ? 'RM' : 'LX'}${digits(rng, 9)}GB`
}

function orderNote(rng: Rng, status: Status) {
  const notes = NOTES[status]
  return notes && chance(rng, 0.35) ? pick(rng, notes) : null
}

/** 60 orders over the last 90 days, newest first. */
function demoOrders(rng: Rng, today: Date, catalog: CatalogEntry[], userIds: string[]): NewOrder[] {
  const customers = demoCustomers(rng)
  const plans = orderPlans(rng, today)
  const fromEtsy = new Set(shuffle(rng, [...plans.keys()]).slice(0, ETSY_ORDERS))
  const etsyIds = new Set<string>()
  return plans.map(({ status, createdAt, updatedAt }, i) => {
    const customer = pick(rng, customers)
    const { items, total } = demoItems(rng, catalog)
    const etsy = fromEtsy.has(i)
    const sent = status === 'shipped' || status === 'delivered'
    return {
      userId: etsy ? null : pick(rng, userIds),
      customerEmail: customer.email,
      customerName: customer.name,
      items,
      totalAmount: total,
      status,
      etsyOrderId: etsy ? freshId(rng, etsyIds) : null,
      shippingAddress: customer.address,
      carrier: sent ? (customer.address.country === 'GB' ? 'Royal Mail' : 'DHL') : null,
      trackingNumber: sent ? trackingNumber(rng, customer.address.country) : null,
      notes: orderNote(rng, status),
      createdAt,
      updatedAt,
    }
  })
}

/** The steps each demo order took to where it is now. */
const DEMO_PATHS: Record<NonNullable<NewOrder['status']>, NonNullable<NewOrder['status']>[]> = {
  pending: [],
  processing: ['processing'],
  shipped: ['processing', 'shipped'],
  delivered: ['processing', 'shipped', 'delivered'],
  cancelled: ['cancelled'],
}

/** Each demo order's timeline: placed, then its steps, spread evenly up to its last update. */
function demoOrderEvents(rows: NewOrder[], placed: { id: string }[]): NewOrderEvent[] {
  return rows.flatMap((row, i) => {
    const orderId = placed[i]!.id
    const userId = row.userId ?? null
    const start = row.createdAt!.getTime()
    const steps = DEMO_PATHS[row.status ?? 'pending']
    const events: NewOrderEvent[] = [
      { orderId, userId, toStatus: 'pending', note: row.etsyOrderId ? 'Imported from Etsy' : 'Order placed', createdAt: row.createdAt },
    ]
    steps.forEach((toStatus, step) => {
      const at = new Date(start + ((row.updatedAt!.getTime() - start) * (step + 1)) / steps.length)
      const note = toStatus === 'shipped' ? `${row.carrier}, tracking ${row.trackingNumber}` : null
      events.push({ orderId, userId, fromStatus: step ? steps[step - 1]! : 'pending', toStatus, note, createdAt: at })
    })
    return events
  })
}

// ---------------------------------------------------------------------------------------------
// Content calendar (the ideas: content.ts)

type Platform = NewContentEntry['platform']
type ContentType = NewContentEntry['contentType']

const TYPES_BY_PLATFORM: Record<Platform, ContentType[]> = {
  instagram: ['post', 'post', 'reel', 'reel', 'story'],
  facebook: ['post', 'post', 'story', 'reel'],
  pinterest: ['post'],
}
const PLATFORMS: Platform[] = [
  'instagram',
  'instagram',
  'instagram',
  'facebook',
  'facebook',
  'pinterest',
]

// 12 published in the past, 3 overdue, 9 in the coming week, 6 further out.
type Slot = 'published' | 'overdue' | 'soon' | 'later'
const SLOTS: [Slot, number][] = [
  ['published', 12],
  ['overdue', 3],
  ['soon', 9],
  ['later', 6],
]

/** Hours from `today` to the scheduled time, per slot (negative = in the past). */
const SLOT_HOURS: Record<Slot, [number, number]> = {
  published: [-60 * 24, -72],
  overdue: [-5 * 24, -6],
  soon: [2, 7 * 24 - 1],
  later: [8 * 24, 30 * 24],
}

function engagement(
  rng: Rng,
  platform: Platform,
  type: ContentType,
  readAt: Date,
): EngagementMetrics {
  const base = { instagram: 1800, facebook: 700, pinterest: 1100 }[platform]
  const boost = { reel: 2.4, post: 1, story: 0.5 }[type]
  const reach = Math.round(base * boost * (0.5 + rng()))
  const likes = Math.round(reach * (0.03 + rng() * 0.06))
  return {
    likes,
    comments: Math.round(likes * (0.03 + rng() * 0.08)),
    shares: Math.round(likes * (0.02 + rng() * 0.06)),
    saves: Math.round(likes * (platform === 'pinterest' ? 0.4 + rng() * 0.4 : 0.05 + rng() * 0.15)),
    reach,
    impressions: Math.round(reach * (1.2 + rng() * 0.6)),
    readAt: readAt.toISOString(),
  }
}

function demoContent(rng: Rng, today: Date, userIds: string[]): NewContentEntry[] {
  const ideas = shuffle(rng, IDEAS)
  const slots = SLOTS.flatMap(([slot, n]) => Array<Slot>(n).fill(slot))
  return slots.map((slot, i) => {
    const idea = ideas[i % ideas.length] as Idea
    const platform = pick(rng, PLATFORMS)
    const contentType = pick(rng, TYPES_BY_PLATFORM[platform])
    const scheduledDate = later(today, int(rng, ...SLOT_HOURS[slot]) * HOUR)
    const createdAt = notAfter(ago(scheduledDate, int(rng, 1, 10) * DAY), ago(today, HOUR))
    const published = slot === 'published'
    const publishedDate = published ? later(scheduledDate, int(rng, 0, 20) * 60_000) : null
    const extra = shuffle(rng, GENERAL_HASHTAGS).slice(0, int(rng, 1, 3))
    return {
      userId: pick(rng, userIds),
      platform,
      contentType,
      title: idea.title,
      description: idea.description,
      mediaUrls: [],
      scheduledDate,
      published,
      publishedDate,
      engagementMetrics: published
        ? engagement(rng, platform, contentType, ago(today, int(rng, 1, 12) * HOUR))
        : {},
      hashtags: [...new Set([...idea.hashtags, ...extra])],
      createdAt,
      updatedAt: publishedDate ?? createdAt,
    }
  })
}

// ---------------------------------------------------------------------------------------------
// Analytics

const FOLLOWERS_START = { instagram: 2_640, facebook: 1_180, pinterest: 610 }
const SOCIAL = ['instagram', 'facebook', 'pinterest'] as const
/** Daily profile visits as a share of followers. */
const VISIT_RATE = { instagram: 0.012, facebook: 0.006, pinterest: 0.01 }

const metric = (metricType: string, platform: string, date: string, value: number) =>
  ({ metricType, platform, date, metricValue: { value } } satisfies NewAnalyticsRow)

// 90 days ending at `today` of the figures only the platforms know, as staff enter them:
// followers and profile visits per social platform. Sales and engagement figures are not
// written here: the rollup computes them from the demo's orders and posts (loadDemo's caller).
function demoAnalytics(rng: Rng, today: Date): NewAnalyticsRow[] {
  const timeZone = env().SHOP_TIMEZONE
  const followers = { ...FOLLOWERS_START }
  const rows: NewAnalyticsRow[] = []
  for (let daysAgo = 89; daysAgo >= 0; daysAgo--) {
    const date = dayOf(ago(today, daysAgo * DAY), timeZone)
    const growth = (89 - daysAgo) / 89 // 0 → 1 over the period
    followers.instagram += int(rng, -2, 7 + Math.round(6 * growth))
    followers.facebook += int(rng, -2, 4)
    followers.pinterest += int(rng, 0, 5)
    for (const platform of SOCIAL) {
      const rate = VISIT_RATE[platform] * (0.6 + rng() * 0.8)
      rows.push(
        metric('followers', platform, date, followers[platform]),
        metric('profile_visits', platform, date, Math.round(followers[platform] * rate)),
      )
    }
  }
  return rows
}

// ---------------------------------------------------------------------------------------------
// Public API

/** True when the database has no users and no fabrics (a fresh install). */
export async function isDatabaseEmpty(db: Database): Promise<boolean> {
  const [user] = await db.select({ id: users.id }).from(users).limit(1)
  if (user) return false
  const [fabric] = await db.select({ id: fabrics.id }).from(fabrics).limit(1)
  return !fabric
}

/**
 * Loads the demo into an empty database, in one transaction, as the tables' owner (setting up
 * is not the app's work: app_user may not, for one, write orders with nobody signed in).
 * Deterministic: the same rows every run, except that dates are relative to `today`.
 */
export async function loadDemo(db: Database, options: { today?: Date } = {}): Promise<DemoCounts> {
  const today = options.today ?? new Date()
  const counts = await asRole('none', async (tx) => {
    const team = await insertUsers(tx, today)
    const catalog = await insertFabrics(tx, demoFabrics(stream(1), today), team[0]!)

    const orderRows = demoOrders(stream(2), today, catalog, team)
    const placed = await tx.insert(orders).values(orderRows).returning({ id: orders.id })
    await tx.insert(orderEvents).values(demoOrderEvents(orderRows, placed))

    const contentRows = demoContent(stream(3), today, team)
    await tx.insert(contentCalendar).values(contentRows)

    const analyticsRows = demoAnalytics(stream(4), today)
    for (const chunk of chunks(analyticsRows)) await tx.insert(analytics).values(chunk)

    return {
      users: team.length,
      fabrics: catalog.length,
      orders: orderRows.length,
      content: contentRows.length,
      analytics: analyticsRows.length,
    }
  }, db)
  // The sales and engagement figures of the demo's 90 days, from its orders and posts.
  const last = dayOf(today, env().SHOP_TIMEZONE)
  await rollupAnalytics({ from: addDays(last, -89), to: last, database: db })
  return counts
}

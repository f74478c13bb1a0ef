// The demo data of `npm run db:seed`: a small fabric shop's team, catalog, orders, content
// calendar and 90 days of analytics. A seeded PRNG draws every value, so each run writes the
// same rows; only the dates move with `today`.
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

export const DEMO_ADMIN_EMAIL = 'admin@tara-hub.local'

export interface DemoCounts {
  users: number
  fabrics: number
  orders: number
  content: number
  analytics: number
}

const SEED = 20_240_601
const HOUR = 3_600_000
const DAY = 24 * HOUR
const CHUNK = 500

// ---------------------------------------------------------------------------------------------
// Randomness and small helpers

type Rng = () => number

function mulberry32(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** One independent stream per table, so changing one section does not reshuffle the others. */
const stream = (n: number) => mulberry32(SEED + n * 0x9e3779b9)

const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1))
const pick = <T>(rng: Rng, list: readonly T[]) => list[int(rng, 0, list.length - 1)] as T
const chance = (rng: Rng, p: number) => rng() < p

function shuffle<T>(rng: Rng, list: readonly T[]): T[] {
  const out = [...list]
  for (let i = out.length - 1; i > 0; i--) {
    const j = int(rng, 0, i)
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

/** Money is integer cents in here; the database gets "123.45". */
function formatCents(cents: number) {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`
}

const digits = (rng: Rng, n: number) =>
  String(int(rng, 1, 9)) + Array.from({ length: n - 1 }, () => int(rng, 0, 9)).join('')

/** A 10-digit id (Etsy's format) not in `used`; adds it there. */
function freshId(rng: Rng, used: Set<string>) {
  let id = digits(rng, 10)
  while (used.has(id)) id = digits(rng, 10)
  used.add(id)
  return id
}

const ago = (today: Date, ms: number) => new Date(today.getTime() - ms)
const later = (date: Date, ms: number) => new Date(date.getTime() + ms)
const notAfter = (date: Date, today: Date) => (date > today ? today : date)

function chunks<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
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
// Fabrics

interface FabricLine {
  name: string
  category: string
  subcategory: string
  composition: string
  weight: string
  width: string
  priceCents: number
  blurb: string
  tags: string[]
  colours: string[]
}

const CARE: Record<string, string> = {
  Linen: 'Machine wash at 40°C. Tumble dry low or line dry. Iron while damp on a hot setting.',
  Cotton: 'Machine wash at 30–40°C with similar colours. Line dry. Iron on a medium setting.',
  Silk: 'Hand wash cold or dry clean. Do not wring. Iron on a low setting, on the reverse.',
  Wool: 'Dry clean or hand wash cold with wool detergent. Dry flat. Steam press with a cloth.',
  Jersey: 'Machine wash at 30°C inside out. Dry flat; do not tumble dry. Cool iron if needed.',
  Denim: 'Wash inside out at 30°C, separately at first. Line dry. Iron on a hot setting.',
}

const FABRIC_LINES: FabricLine[] = [
  {
    name: 'Washed Linen',
    category: 'Linen',
    subcategory: 'Washed linen',
    composition: '100% linen',
    weight: '185',
    width: '140',
    priceCents: 1850,
    blurb:
      'Stonewashed European linen with a soft, lived-in handle. Lovely for relaxed shirts, dresses and trousers.',
    tags: ['linen', 'dressmaking', 'natural fibre'],
    colours: ['Sage', 'Oatmeal', 'Terracotta', 'Midnight'],
  },
  {
    name: 'Linen Canvas',
    category: 'Linen',
    subcategory: 'Heavyweight linen',
    composition: '100% linen',
    weight: '320',
    width: '150',
    priceCents: 2400,
    blurb: 'A dense, hard-wearing linen canvas for workwear jackets, bags and upholstery.',
    tags: ['linen', 'canvas', 'homeware'],
    colours: ['Natural', 'Charcoal'],
  },
  {
    name: 'Linen Viscose Blend',
    category: 'Linen',
    subcategory: 'Linen blends',
    composition: '55% linen, 45% viscose',
    weight: '160',
    width: '140',
    priceCents: 1495,
    blurb:
      'The look of linen with extra drape and fewer creases. A favourite for wide-leg trousers.',
    tags: ['linen', 'viscose', 'drapey'],
    colours: ['Rust', 'Dusty Blue'],
  },
  {
    name: 'Liberty Tana Lawn',
    category: 'Cotton',
    subcategory: 'Lawn',
    composition: '100% cotton',
    weight: '70',
    width: '136',
    priceCents: 2750,
    blurb:
      'The classic fine, silky cotton lawn from Liberty, printed in England. Perfect for blouses and shirts.',
    tags: ['liberty', 'tana lawn', 'cotton', 'floral'],
    colours: ['Betsy', 'Capel', 'Wiltshire', 'Strawberry Thief'],
  },
  {
    name: 'Organic Cotton Poplin',
    category: 'Cotton',
    subcategory: 'Poplin',
    composition: '100% organic cotton (GOTS)',
    weight: '115',
    width: '145',
    priceCents: 1250,
    blurb:
      'A crisp, smooth GOTS-certified poplin that presses beautifully. Great for shirts and linings.',
    tags: ['cotton', 'organic', 'poplin'],
    colours: ['Indigo', 'Mustard', 'Blush'],
  },
  {
    name: 'Double Gauze',
    category: 'Cotton',
    subcategory: 'Double gauze',
    composition: '100% cotton',
    weight: '130',
    width: '135',
    priceCents: 1500,
    blurb: 'Two airy layers of gauze tacked together: soft, breathable and crinkly after washing.',
    tags: ['cotton', 'double gauze', 'babywear'],
    colours: ['Sand', 'Mint', 'Ochre'],
  },
  {
    name: 'Cotton Chambray',
    category: 'Cotton',
    subcategory: 'Chambray',
    composition: '100% cotton',
    weight: '140',
    width: '145',
    priceCents: 1375,
    blurb:
      'A light, denim-look chambray woven with a white weft. Ideal for shirts and summer dresses.',
    tags: ['cotton', 'chambray', 'shirting'],
    colours: ['Light Wash', 'Dark Wash'],
  },
  {
    name: 'Silk Crepe de Chine',
    category: 'Silk',
    subcategory: 'Crepe de chine',
    composition: '100% mulberry silk',
    weight: '80',
    width: '140',
    priceCents: 4200,
    blurb:
      'A fluid crepe de chine with a soft lustre. Cut on the bias for slip dresses and camisoles.',
    tags: ['silk', 'crepe de chine', 'occasionwear'],
    colours: ['Ivory', 'Emerald'],
  },
  {
    name: 'Silk Habotai',
    category: 'Silk',
    subcategory: 'Habotai',
    composition: '100% silk',
    weight: '45',
    width: '140',
    priceCents: 2200,
    blurb: 'A lightweight plain-weave silk for linings, scarves and silk painting.',
    tags: ['silk', 'lining'],
    colours: ['Champagne', 'Rose'],
  },
  {
    name: 'Silk Noil',
    category: 'Silk',
    subcategory: 'Noil',
    composition: '100% silk',
    weight: '140',
    width: '112',
    priceCents: 2950,
    blurb: 'A matte, slubby raw silk that behaves like a soft cotton. Wonderful for boxy tops.',
    tags: ['silk', 'noil', 'raw silk'],
    colours: ['Natural'],
  },
  {
    name: 'Merino Wool Suiting',
    category: 'Wool',
    subcategory: 'Suiting',
    composition: '100% merino wool',
    weight: '260',
    width: '150',
    priceCents: 3600,
    blurb:
      'A fine worsted merino suiting with a clean finish, for tailored trousers, skirts and blazers.',
    tags: ['wool', 'merino', 'tailoring'],
    colours: ['Charcoal', 'Navy'],
  },
  {
    name: 'Boiled Wool',
    category: 'Wool',
    subcategory: 'Coating',
    composition: '100% wool',
    weight: '450',
    width: '140',
    priceCents: 3250,
    blurb:
      'A felted wool that does not fray, so edges can be left raw. Warm and windproof for coats.',
    tags: ['wool', 'coating', 'outerwear'],
    colours: ['Camel', 'Forest'],
  },
  {
    name: 'Wool Tweed',
    category: 'Wool',
    subcategory: 'Tweed',
    composition: '100% wool',
    weight: '380',
    width: '150',
    priceCents: 3800,
    blurb: 'A traditional herringbone tweed woven in Scotland, for jackets, caps and waistcoats.',
    tags: ['wool', 'tweed', 'herringbone'],
    colours: ['Herringbone Grey'],
  },
  {
    name: 'Organic Cotton Jersey',
    category: 'Jersey',
    subcategory: 'Cotton jersey',
    composition: '95% organic cotton, 5% elastane',
    weight: '200',
    width: '160',
    priceCents: 1650,
    blurb: 'A stable single jersey with good recovery for T-shirts, leggings and kidswear.',
    tags: ['jersey', 'knit', 'organic'],
    colours: ['Heather Grey', 'Black', 'Breton Stripe'],
  },
  {
    name: 'Bamboo Jersey',
    category: 'Jersey',
    subcategory: 'Viscose jersey',
    composition: '95% bamboo viscose, 5% elastane',
    weight: '220',
    width: '150',
    priceCents: 1795,
    blurb: 'A silky, cool jersey with a beautiful drape for wrap dresses and loungewear.',
    tags: ['jersey', 'bamboo', 'loungewear'],
    colours: ['Teal', 'Plum'],
  },
  {
    name: 'Organic French Terry',
    category: 'Jersey',
    subcategory: 'Sweatshirting',
    composition: '100% organic cotton',
    weight: '280',
    width: '160',
    priceCents: 1950,
    blurb:
      'Loopback sweatshirting: smooth on the face, soft loops inside. For hoodies and joggers.',
    tags: ['jersey', 'french terry', 'sweatshirt'],
    colours: ['Oatmeal Marl', 'Olive'],
  },
  {
    name: 'Japanese Selvedge Denim',
    category: 'Denim',
    subcategory: 'Selvedge',
    composition: '100% cotton',
    weight: '400',
    width: '80',
    priceCents: 2800,
    blurb:
      'A 13 oz rope-dyed denim from Okayama with a red-line selvedge. Fades beautifully with wear.',
    tags: ['denim', 'selvedge', 'jeans'],
    colours: ['Raw Indigo'],
  },
  {
    name: 'Stretch Denim',
    category: 'Denim',
    subcategory: 'Stretch denim',
    composition: '98% cotton, 2% elastane',
    weight: '330',
    width: '150',
    priceCents: 1600,
    blurb: 'A 10 oz denim with a little stretch for comfortable skinny and straight-leg jeans.',
    tags: ['denim', 'stretch', 'jeans'],
    colours: ['Mid Blue', 'Black'],
  },
]

const EXTRA_FABRIC_TAGS = ['dressmaking', 'sustainable', 'bestseller', 'new in', 'summer', 'winter']

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
// Customers and orders

// prettier-ignore
const FIRST_NAMES = [
  'Amelia', 'Olivia', 'Isla', 'Freya', 'Grace', 'Hannah', 'Ruth', 'Maeve', 'Siobhan', 'Aisha',
  'Fatima', 'Mei', 'Chloé', 'Léa', 'Anke', 'Sanne', 'Emily', 'Sarah', 'Jess', 'Rosa',
  'James', 'Oliver', 'Rahul', 'Daniel', 'Ewan', 'Niamh', 'Harriet', 'Zara', 'Lucy', 'Beth',
]
// prettier-ignore
const LAST_NAMES = [
  'Taylor', 'Brown', 'Wilson', 'Evans', 'Hughes', 'Patel', 'Khan', "O'Connor", 'Murphy',
  'Campbell', 'Stewart', 'Okafor', 'Nowak', 'Martin', 'Dubois', 'Schmidt', 'de Vries',
  'Jenkins', 'Clarke', 'Lewis', 'Morgan', 'Chen', 'Ahmed', 'Walsh', 'Reid',
]
// prettier-ignore
const STREETS = [
  'High Street', 'Church Lane', 'Station Road', 'Victoria Road', 'Mill Lane', 'Park Avenue',
  'Queen Street', 'Orchard Close', 'Kings Road', 'Meadow Way', 'Green Lane', 'Albert Terrace',
]

interface Place {
  city: string
  region?: string
  postalCode: string
  country: string
  /** A local street where the house number follows the street name. */
  streetFirst?: string
  /** A local street where the house number comes first. */
  street?: string
}

// Most customers are in the UK; a few order from abroad.
const PLACES: Place[] = [
  { city: 'Bristol', postalCode: 'BS6 5QA', country: 'GB' },
  { city: 'Bath', region: 'Somerset', postalCode: 'BA1 2LP', country: 'GB' },
  { city: 'Manchester', postalCode: 'M20 2RN', country: 'GB' },
  { city: 'Leeds', region: 'West Yorkshire', postalCode: 'LS6 3HN', country: 'GB' },
  { city: 'York', region: 'North Yorkshire', postalCode: 'YO1 7HH', country: 'GB' },
  { city: 'London', postalCode: 'E8 3PH', country: 'GB' },
  { city: 'London', postalCode: 'SE15 4QL', country: 'GB' },
  { city: 'Brighton', region: 'East Sussex', postalCode: 'BN1 4GH', country: 'GB' },
  { city: 'Norwich', region: 'Norfolk', postalCode: 'NR2 4TE', country: 'GB' },
  { city: 'Edinburgh', postalCode: 'EH6 6QU', country: 'GB' },
  { city: 'Glasgow', postalCode: 'G12 8QQ', country: 'GB' },
  { city: 'Cardiff', postalCode: 'CF10 1EP', country: 'GB' },
  { city: 'Totnes', region: 'Devon', postalCode: 'TQ9 5RY', country: 'GB' },
  { city: 'Cambridge', region: 'Cambridgeshire', postalCode: 'CB1 2LA', country: 'GB' },
  { city: 'Belfast', postalCode: 'BT7 1NN', country: 'GB' },
  { city: 'Dublin', region: 'Co. Dublin', postalCode: 'D08 T6YA', country: 'IE' },
  { city: 'Paris', postalCode: '75011', country: 'FR', street: 'rue Oberkampf' },
  { city: 'Utrecht', postalCode: '3511 LN', country: 'NL', streetFirst: 'Oudegracht' },
  { city: 'Berlin', postalCode: '10997', country: 'DE', streetFirst: 'Wrangelstraße' },
  {
    city: 'Portland',
    region: 'OR',
    postalCode: '97214',
    country: 'US',
    street: 'SE Hawthorne Blvd',
  },
]
const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example.com']

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
// Content calendar

type Platform = NewContentEntry['platform']
type ContentType = NewContentEntry['contentType']

interface Idea {
  title: string
  description: string
  hashtags: string[]
}

const IDEAS: Idea[] = [
  {
    title: 'New in: Washed Linen — Sage',
    description: 'Flat lay of the new sage linen with thread and buttons to match.',
    hashtags: ['linen', 'newin'],
  },
  {
    title: 'Liberty Tana Lawn restock',
    description: 'Betsy and Capel are back. Close-ups of the prints and a folded stack.',
    hashtags: ['liberty', 'tanalawn'],
  },
  {
    title: 'Sewing tip: pre-wash your linen',
    description: 'Why linen shrinks and how to pre-wash it before cutting.',
    hashtags: ['sewingtips', 'linen'],
  },
  {
    title: 'Behind the scenes: the cutting table',
    description: 'A morning of cutting and folding orders, sped up.',
    hashtags: ['behindthescenes', 'smallbusiness'],
  },
  {
    title: 'Customer make: linen wide-leg trousers',
    description: "Sharing a customer's trousers in terracotta linen (with permission).",
    hashtags: ['customermakes', 'memade'],
  },
  {
    title: 'Fabric guide: which jersey for which project?',
    description: 'Cotton, bamboo and French terry compared: stretch, drape and weight.',
    hashtags: ['jersey', 'fabricguide'],
  },
  {
    title: 'Silk care in 30 seconds',
    description: 'Hand-washing silk crepe de chine without fear.',
    hashtags: ['silk', 'fabriccare'],
  },
  {
    title: 'Autumn wool edit',
    description: 'Boiled wool, merino suiting and tweed for coat season.',
    hashtags: ['wool', 'coatmaking'],
  },
  {
    title: 'Selvedge denim up close',
    description: 'The red-line selvedge and the rope-dyed indigo, in macro.',
    hashtags: ['denim', 'selvedge'],
  },
  {
    title: 'Pattern pairing: the boxy tee in silk noil',
    description: 'Our favourite beginner pattern and how much silk noil you need.',
    hashtags: ['patternpairing', 'silknoil'],
  },
  {
    title: 'Swatch Saturday',
    description: 'A poll: which new colourway should we stock next?',
    hashtags: ['swatches', 'colour'],
  },
  {
    title: 'Double gauze baby blankets',
    description: 'A quick make for a new arrival, with double gauze in mint and sand.',
    hashtags: ['doublegauze', 'babymakes'],
  },
  {
    title: 'How we fold and post your fabric',
    description: 'Tissue, string and plastic-free packaging, step by step.',
    hashtags: ['plasticfree', 'smallbusiness'],
  },
  {
    title: 'Meet the team: Priya',
    description: 'Priya on her favourite fabric and her first ever make.',
    hashtags: ['meettheteam', 'smallbusiness'],
  },
  {
    title: 'Organic poplin shirts for summer',
    description: 'Three shirt patterns that shine in organic cotton poplin.',
    hashtags: ['organiccotton', 'shirtmaking'],
  },
  {
    title: 'Last chance: Strawberry Thief',
    description: 'Only a few metres left of the Liberty classic.',
    hashtags: ['liberty', 'lastchance'],
  },
  {
    title: 'Sewing tip: cutting slippery silk',
    description: 'Tissue paper, weights and a rotary cutter: our silk cutting kit.',
    hashtags: ['sewingtips', 'silk'],
  },
  {
    title: 'Mood board: earthy linen palette',
    description: 'Sage, oatmeal, terracotta and rust together.',
    hashtags: ['moodboard', 'linen'],
  },
  {
    title: 'Workshop: make a tote in linen canvas',
    description: 'Sign-ups open for our Saturday beginner workshop.',
    hashtags: ['sewingworkshop', 'linencanvas'],
  },
  {
    title: 'Stretch denim jeans sew-along',
    description: 'Week one of the jeans sew-along: choosing your size.',
    hashtags: ['sewalong', 'jeansmaking'],
  },
  {
    title: 'Bamboo jersey wrap dress',
    description: 'The plum bamboo jersey made up into a wrap dress.',
    hashtags: ['bamboojersey', 'dressmaking'],
  },
  {
    title: 'What is fabric weight (gsm)?',
    description: 'A quick explainer on gsm and how it feels in the hand.',
    hashtags: ['fabricguide', 'sewingtips'],
  },
  {
    title: 'French terry hoodie season',
    description: 'Oatmeal marl and olive French terry with matching ribbing.',
    hashtags: ['frenchterry', 'hoodie'],
  },
  {
    title: 'Our sustainability promise',
    description: 'Deadstock, organic and GOTS: what the labels mean in our shop.',
    hashtags: ['sustainablefabric', 'slowfashion'],
  },
  {
    title: 'Chambray shirt inspiration',
    description: 'Light wash and dark wash chambray on the cutting table.',
    hashtags: ['chambray', 'shirtmaking'],
  },
  {
    title: 'Quick reel: rolling a bolt of tweed',
    description: 'The satisfying sound of herringbone tweed coming off the roll.',
    hashtags: ['tweed', 'wool'],
  },
  {
    title: 'Customer make: silk slip dress',
    description: 'A bias-cut slip in emerald crepe de chine, from one of our regulars.',
    hashtags: ['customermakes', 'silk'],
  },
  {
    title: 'Pinboard: linen summer wardrobe',
    description: 'Ten linen makes for a capsule summer wardrobe.',
    hashtags: ['capsulewardrobe', 'linen'],
  },
  {
    title: 'Weekend opening hours',
    description: 'Reminder of our Saturday studio hours for collections.',
    hashtags: ['shoplocal', 'smallbusiness'],
  },
  {
    title: 'Thank you: 3,000 followers',
    description: 'A thank-you post with a small giveaway of fat quarters.',
    hashtags: ['giveaway', 'thankyou'],
  },
]

const GENERAL_HASHTAGS = [
  'sewing',
  'fabricshop',
  'sewersofinstagram',
  'handmadewardrobe',
  'isew',
  'fabric',
]

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

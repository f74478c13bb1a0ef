// The demo data of `npm run db:seed` (and of the first start on the embedded database): a small
// fabric shop's team, catalog, orders, content calendar and 90 days of analytics, built through
// the same model functions as real use (the orders: orders.server.ts). A seeded PRNG draws every
// value, so each run writes the same rows; only the dates move with `today`. What the demo says (fabric lines, customers' names
// and places, post ideas) is in the plain modules beside this one; the PRNG is random.ts.
import { and, gte, inArray, lte, or, sql } from 'drizzle-orm'
import { asRole, usingDatabase, type Database, type Transaction } from '~/services/db.server'
import { env } from '~/services/env.server'
import { addDays, dayOf, type Day } from '~/utils/dates'
import { rollupAnalytics } from '~/models/analytics.server'
import { withoutRefresh } from '~/models/analytics-refresh.server'
import { createFabric } from '~/models/fabric.server'
import type { FabricFields } from '~/models/fabric-options'
import type { EngagementMetrics } from '~/models/json-types'
import type { Actor } from '~/models/order.server'
import { settleShopCurrency } from '~/models/shop-settings.server'
import { createUser } from '~/models/user.server'
import {
  analytics,
  contentCalendar,
  fabrics,
  orders,
  stockMovements,
  users,
  type NewAnalyticsRow,
  type NewContentEntry,
} from '~/models/schema'
import { GENERAL_HASHTAGS, IDEAS, type Idea } from './content'
import { CARE, EXTRA_FABRIC_TAGS, FABRIC_LINES, type FabricLine } from './fabrics'
import { backdateOrders, placeDemoOrders, planOrders, stockTaken } from './orders.server'
import { ago, chance, chunks, DAY, formatCents, freshId, HOUR, int, later, notAfter, pick, shuffle, stream, type Rng } from './random'

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

/** The team, as an invitation adds them; returns them in DEMO_USERS order. */
async function createTeam(): Promise<Actor[]> {
  const team: Actor[] = []
  for (const { email, name, role } of DEMO_USERS) {
    const created = await createUser({ email, name, role })
    if (!created.ok) throw new Error(`The demo user ${email} exists already`)
    team.push({ id: created.id, role })
  }
  return team
}

// ---------------------------------------------------------------------------------------------
// Fabrics (the lines and their care: fabrics.ts)

interface FabricPlan {
  fields: FabricFields
  /** What is left today, once the demo's orders have taken theirs. */
  stock: number
  createdAt: Date
  updatedAt: Date
}

function fabricTags(rng: Rng, line: FabricLine, colour: string) {
  const tags = new Set(line.tags)
  if (chance(rng, 0.5)) tags.add(colour.toLowerCase())
  if (chance(rng, 0.5)) tags.add(pick(rng, EXTRA_FABRIC_TAGS))
  return [...tags].slice(0, 5)
}

/**
 * 40 catalog rows, each added before the demo's first order: left today, 4 sold out, 6 running
 * low, the rest between 6 and 120 metres.
 */
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
    const added = ago(today, int(rng, 95, 300) * DAY + int(rng, 0, DAY))
    return {
      fields: {
        name: `${line.name} — ${colour}`,
        description: `${line.blurb} Colour: ${colour.toLowerCase()}.`,
        category: line.category,
        subcategory: line.subcategory,
        price: formatCents(line.priceCents),
        weight: line.weight,
        width: line.width,
        composition: line.composition,
        careInstructions: CARE[line.category] ?? null,
        tags: fabricTags(rng, line, colour),
        sku: null,
        etsyListingId: onEtsy.has(i) ? freshId(rng, listingIds) : null,
        lowStockThreshold: 5,
      },
      stock: stockOf.get(i) ?? 0,
      createdAt: added,
      updatedAt: notAfter(later(added, int(rng, 0, 20) * DAY), today),
    }
  })
}

/**
 * The catalog, as the "New fabric" form adds it: each with its first stock, which is what is
 * left today plus what the demo's orders take (`taken`). Returns the ids in plan order.
 */
async function createCatalog(plans: FabricPlan[], taken: number[], adminId: string): Promise<string[]> {
  const ids: string[] = []
  for (const [i, plan] of plans.entries()) {
    const created = await createFabric({ fields: plan.fields, initialStock: plan.stock + taken[i]!, userId: adminId })
    if (!created.ok) throw new Error(`The demo could not add ${plan.fields.name}: ${created.problem}`)
    ids.push(created.id)
  }
  return ids
}

/** As the owner, with updated_at's trigger off: the team and the catalog get the demo's dates. */
async function backdateTeamAndCatalog(tx: Transaction, today: Date, team: Actor[], plans: FabricPlan[], fabricIds: string[]) {
  const at = (d: Date) => sql`${d.toISOString()}::timestamptz`
  const userValues = sql.join(
    DEMO_USERS.map((u, i) => sql`(${team[i]!.id}::uuid, ${at(ago(today, u.joinedDaysAgo * DAY))})`),
    sql`, `,
  )
  await tx.execute(sql`update ${users} u set created_at = v.at, updated_at = v.at
    from (values ${userValues}) as v(id, at) where u.id = v.id`)
  const fabricValues = sql.join(
    plans.map((p, i) => sql`(${fabricIds[i]!}::uuid, ${at(p.createdAt)}, ${at(p.updatedAt)})`),
    sql`, `,
  )
  await tx.execute(sql`update ${fabrics} f set created_at = v.created_at, updated_at = v.updated_at
    from (values ${fabricValues}) as v(id, created_at, updated_at) where f.id = v.id`)
  // Each fabric's first stock was entered when it was added.
  await tx.execute(sql`update ${stockMovements} m set created_at = f.created_at
    from ${fabrics} f where m.fabric_id = f.id and m.reason = 'initial'`)
}

/** The tables whose updated_at a trigger keeps (drizzle/0001_updated_at_triggers.sql). */
const DATED_TABLES = [
  [users, 'users_set_updated_at'],
  [fabrics, 'fabrics_set_updated_at'],
  [orders, 'orders_set_updated_at'],
] as const

async function setUpdatedAtTriggers(tx: Transaction, on: boolean) {
  for (const [table, trigger] of DATED_TABLES) {
    await tx.execute(sql`alter table ${table} ${on ? sql`enable` : sql`disable`} trigger ${sql.identifier(trigger)}`)
  }
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
 * Loads the demo into an empty database through the models, as staff would build the shop: the
 * team is invited, each fabric added with its first stock, each order placed (taking its stock)
 * and moved through its statuses (a cancelled one gives its stock back). Then, as the tables'
 * owner, every row gets the moment the demo says it happened, and the posts and the figures only
 * the platforms know are written. Deterministic: the same rows every run, except that dates are
 * relative to `today`. If anything fails, what was written is taken away again.
 */
export async function loadDemo(db: Database, options: { today?: Date } = {}): Promise<DemoCounts> {
  const today = options.today ?? new Date()
  const last = dayOf(today, env().SHOP_TIMEZONE)
  const first = addDays(last, -89)
  const made: Made = { team: [], fabricIds: [], orderIds: [] }
  try {
    // The rollups the models would ask for (of the day each change was made, today) are held
    // back: the demo's own 90 days are rolled up once it is all in place.
    return await usingDatabase(db, () => withoutRefresh(async () => {
      // The demo's prices are in the shop's currency (an empty shop takes the setting).
      await settleShopCurrency(env().SHOP_CURRENCY)
      made.team = await createTeam()
      const catalog = demoFabrics(stream(1), today)
      const plan = planOrders(stream(2), today, catalog.length, made.team.length)
      made.fabricIds = await createCatalog(catalog, stockTaken(plan, catalog.length), made.team[0]!.id)
      const placed = await placeDemoOrders(plan, made.fabricIds, made.team)
      made.orderIds = placed.map((p) => p.id)

      const counts = await asRole('none', async (tx) => {
        await setUpdatedAtTriggers(tx, false)
        await backdateTeamAndCatalog(tx, today, made.team, catalog, made.fabricIds)
        await backdateOrders(tx, plan, placed)
        await setUpdatedAtTriggers(tx, true)

        const contentRows = demoContent(stream(3), today, made.team.map((u) => u.id))
        await tx.insert(contentCalendar).values(contentRows)
        const analyticsRows = demoAnalytics(stream(4), today)
        for (const chunk of chunks(analyticsRows)) await tx.insert(analytics).values(chunk)
        return {
          users: made.team.length,
          fabrics: made.fabricIds.length,
          orders: placed.length,
          content: contentRows.length,
          analytics: analyticsRows.length,
        }
      }, db)
      // The sales and engagement figures of the demo's 90 days, from its orders and posts.
      await rollupAnalytics({ from: first, to: last, database: db })
      return counts
    }))
  } catch (error) {
    await removeDemo(db, made, { first, last }).catch(() => undefined)
    throw error
  }
}

interface Made {
  team: Actor[]
  fabricIds: string[]
  orderIds: string[]
}

/** Takes away what a failed loadDemo wrote, so that the next start finds an empty database again. */
async function removeDemo(db: Database, made: Made, days: { first: Day; last: Day }) {
  const userIds = made.team.map((u) => u.id)
  await asRole('none', async (tx) => {
    if (made.fabricIds.length) await tx.delete(stockMovements).where(inArray(stockMovements.fabricId, made.fabricIds))
    if (userIds.length) {
      // Orders placed before the one that failed may not be in `made` yet: each has its staff member.
      await tx.delete(orders).where(or(inArray(orders.userId, userIds), made.orderIds.length ? inArray(orders.id, made.orderIds) : undefined))
      await tx.delete(contentCalendar).where(inArray(contentCalendar.userId, userIds))
    }
    await tx.delete(analytics).where(and(gte(analytics.date, days.first), lte(analytics.date, days.last)))
    if (made.fabricIds.length) await tx.delete(fabrics).where(inArray(fabrics.id, made.fabricIds))
    if (userIds.length) await tx.delete(users).where(inArray(users.id, userIds))
  }, db)
}

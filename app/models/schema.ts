// The one source of the database schema: every table, enum, index and relation.
// `npm run db:generate` turns changes here into SQL migrations in drizzle/.
import { relations, sql } from 'drizzle-orm'
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  pgView,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import type {
  AnalyticsValue,
  EngagementMetrics,
  EtsyVariation,
  FabricImage,
  OrderItem,
  ShippingAddress,
} from './json-types'

export const userRole = pgEnum('user_role', ['admin', 'user'])
export const socialPlatform = pgEnum('social_platform', ['instagram', 'facebook', 'pinterest'])
export const contentType = pgEnum('content_type', ['post', 'story', 'reel'])
export const stockReason = pgEnum('stock_reason', [
  'received',
  'sold',
  'damaged',
  'correction',
  'initial',
  'import',
  // Given back by a cancelled order (or a return).
  'returned',
])
export const orderStatus = pgEnum('order_status', [
  'pending',
  'processing',
  'shipped',
  'delivered',
  'cancelled',
])

// `updated_at` is also kept current by a trigger (drizzle/0001_updated_at_triggers.sql),
// so it holds for every UPDATE, whoever writes it.
const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    name: text('name'),
    role: userRole('role').notNull().default('user'),
    emailVerified: timestamp('email_verified', { withTimezone: true }),
    image: text('image'),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
    // A disabled user cannot sign in, and their sessions end when this is set.
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('users_email_idx').on(t.email),
    // Emails are stored lower-cased so that uniqueness is case-insensitive.
    check('users_email_lowercase', sql`${t.email} = lower(${t.email})`),
  ],
)

/** PostgreSQL's full-text document type (only ever written by a generated column). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' })

export const fabrics = pgTable(
  'fabrics',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    description: text('description'),
    category: text('category'),
    subcategory: text('subcategory'),
    price: numeric('price', { precision: 10, scale: 2 }).notNull().default('0'),
    weight: numeric('weight'),
    width: numeric('width'),
    composition: text('composition'),
    careInstructions: text('care_instructions'),
    // Follows the quantity (a check holds them together); only a stock change writes either.
    inStock: boolean('in_stock').notNull().default(false),
    stockQuantity: integer('stock_quantity').notNull().default(0),
    // "Low stock" when 0 < stock_quantity <= low_stock_threshold.
    lowStockThreshold: integer('low_stock_threshold').notNull().default(5),
    images: jsonb('images').$type<FabricImage[]>().notNull().default([]),
    etsyListingId: text('etsy_listing_id'),
    // The shop's own code, shared with the Etsy listing: the Etsy import matches on it first.
    sku: text('sku'),
    // Etsy's variation columns, kept as they came so that an export gives them back.
    etsyVariations: jsonb('etsy_variations').$type<EtsyVariation[]>().notNull().default([]),
    tags: jsonb('tags').$type<string[]>().notNull().default([]),
    // Bumped by every edit of the descriptive fields (not by stock changes): an edit saves only
    // over the version its form was loaded at.
    version: integer('version').notNull().default(1),
    // Archived fabrics leave the list and search, and still show in old orders.
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    // Name and SKU weigh most, then tags and composition, then the description. The SKU's
    // punctuation becomes spaces, so that "TH-10000" is the words "th" and "10000", not "-10000".
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector('english', coalesce(name, '') || ' ' || translate(coalesce(sku, ''), '-_./', '    ')), 'A') || setweight(jsonb_to_tsvector('english', tags, '["string"]'), 'B') || setweight(to_tsvector('english', coalesce(composition, '')), 'B') || setweight(to_tsvector('english', coalesce(description, '')), 'C')`,
      ),
    ...timestamps,
  },
  (t) => [
    index('fabrics_category_idx').on(t.category),
    index('fabrics_subcategory_idx').on(t.subcategory),
    // Partial indexes for the dashboard's and the catalog's "in stock", "low" and "out" counts and
    // filters over current fabrics; each count is an index-only scan of its own index.
    index('fabrics_in_stock_quantity_idx')
      .on(t.stockQuantity)
      .where(sql`${t.inStock} and ${t.archivedAt} is null`),
    index('fabrics_out_of_stock_idx')
      .on(t.id)
      .where(sql`${t.stockQuantity} = 0 and ${t.archivedAt} is null`),
    index('fabrics_low_stock_idx')
      .on(t.stockQuantity, t.id)
      .where(sql`${t.archivedAt} is null and ${t.stockQuantity} > 0 and ${t.stockQuantity} <= ${t.lowStockThreshold}`),
    // Search, tags, and one index per sort order of the list (name also serves matching by title).
    index('fabrics_search_idx').using('gin', t.search),
    index('fabrics_tags_idx').using('gin', sql`${t.tags} jsonb_path_ops`),
    index('fabrics_name_idx').on(t.name, t.id),
    index('fabrics_price_idx').on(t.price, t.id).where(sql`${t.archivedAt} is null`),
    index('fabrics_stock_idx').on(t.stockQuantity, t.id).where(sql`${t.archivedAt} is null`),
    index('fabrics_updated_at_idx').on(t.updatedAt, t.id).where(sql`${t.archivedAt} is null`),
    uniqueIndex('fabrics_sku_idx').on(t.sku),
    check('fabrics_price_nonnegative', sql`${t.price} >= 0`),
    check('fabrics_stock_nonnegative', sql`${t.stockQuantity} >= 0`),
    check('fabrics_in_stock_follows_quantity', sql`${t.inStock} = (${t.stockQuantity} > 0)`),
    check('fabrics_low_stock_threshold_nonnegative', sql`${t.lowStockThreshold} >= 0`),
    check('fabrics_weight_nonnegative', sql`${t.weight} >= 0`),
    check('fabrics_width_nonnegative', sql`${t.width} >= 0`),
  ],
)

// Every change of a fabric's stock: who, when, by how much, why, and the quantity after it.
export const stockMovements = pgTable(
  'stock_movements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    fabricId: uuid('fabric_id')
      .notNull()
      .references(() => fabrics.id),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    delta: integer('delta').notNull(),
    reason: stockReason('reason').notNull(),
    note: text('note'),
    quantityAfter: integer('quantity_after').notNull(),
    // The order that sold (or gave back) the stock, if any.
    orderId: uuid('order_id').references((): AnyPgColumn => orders.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    // The order the changes were applied in, which is the order the history lists them in.
    // `created_at` is the transaction's start (now()): a change that starts first can wait on
    // the fabric's row lock and be applied second, and an Etsy import dates its movements
    // itself. A sequence value is drawn when the row is inserted, which comes after the
    // conditional UPDATE (or SELECT ... FOR UPDATE) that locks the fabric's row, and that lock
    // is held until commit: for one fabric, seq follows the order its stock changed. (A
    // clock_timestamp() taken after the lock would do the same, but can tie and can step back
    // when the server's clock is set; a sequence cannot.) Statements that write several
    // movements of one fabric at once insert them in the order they apply.
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
  },
  (t) => [
    index('stock_movements_fabric_idx').on(t.fabricId, t.seq),
    index('stock_movements_user_idx').on(t.userId),
    // What an order took, so that cancelling gives back exactly that.
    index('stock_movements_order_idx').on(t.orderId).where(sql`${t.orderId} is not null`),
    check('stock_movements_delta_nonzero', sql`${t.delta} <> 0`),
    check('stock_movements_quantity_after_nonnegative', sql`${t.quantityAfter} >= 0`),
  ],
)

export const contentCalendar = pgTable(
  'content_calendar',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    platform: socialPlatform('platform').notNull(),
    contentType: contentType('content_type').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    mediaUrls: jsonb('media_urls').$type<string[]>().notNull().default([]),
    scheduledDate: timestamp('scheduled_date', { withTimezone: true }),
    published: boolean('published').notNull().default(false),
    publishedDate: timestamp('published_date', { withTimezone: true }),
    engagementMetrics: jsonb('engagement_metrics').$type<EngagementMetrics>().notNull().default({}),
    // Without '#', lower-cased, each once (app/utils/hashtags.ts).
    hashtags: jsonb('hashtags').$type<string[]>().notNull().default([]),
    // Bumped by every edit: an edit saves only over the version its form was loaded at.
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    index('content_scheduled_idx').on(t.scheduledDate),
    // Partial index for "scheduled and not yet published" (dashboard, overdue lists).
    index('content_unpublished_scheduled_idx').on(t.scheduledDate).where(sql`not ${t.published}`),
    index('content_user_idx').on(t.userId),
    check(
      'content_published_has_date',
      sql`not ${t.published} or ${t.publishedDate} is not null`,
    ),
    // The platforms' own limits (app/models/content-options.ts), kept by the database too.
    check(
      'content_instagram_caption_limit',
      sql`${t.platform} <> 'instagram' or char_length(coalesce(${t.description}, '')) <= 2200`,
    ),
    check(
      'content_pinterest_description_limit',
      sql`${t.platform} <> 'pinterest' or char_length(coalesce(${t.description}, '')) <= 500`,
    ),
    check(
      'content_instagram_hashtag_limit',
      sql`${t.platform} <> 'instagram' or jsonb_array_length(${t.hashtags}) <= 30`,
    ),
  ],
)

// The fabrics an entry features.
export const contentFabrics = pgTable(
  'content_fabrics',
  {
    contentId: uuid('content_id')
      .notNull()
      .references(() => contentCalendar.id, { onDelete: 'cascade' }),
    fabricId: uuid('fabric_id')
      .notNull()
      .references(() => fabrics.id),
  },
  (t) => [primaryKey({ columns: [t.contentId, t.fabricId] }), index('content_fabrics_fabric_idx').on(t.fabricId)],
)

// Each user's secret calendar feed (/calendar/<token>.ics): only the token's SHA-256 is kept.
// Revoking deletes the row; a new link replaces it.
export const calendarFeeds = pgTable('calendar_feeds', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  tokenHash: text('token_hash').notNull().unique('calendar_feeds_token_hash_key'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
})

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // The number staff and customers quote ("#1042"); given by the database, never reused.
    number: integer('number').notNull().generatedAlwaysAsIdentity({ startWith: 1001 }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    customerEmail: text('customer_email'),
    customerName: text('customer_name').notNull(),
    items: jsonb('items').$type<OrderItem[]>().notNull().default([]),
    // The lines' sum plus shipping and tax, computed by the server (exact decimals).
    totalAmount: numeric('total_amount', { precision: 10, scale: 2 }).notNull().default('0'),
    shippingAmount: numeric('shipping_amount', { precision: 10, scale: 2 }).notNull().default('0'),
    taxAmount: numeric('tax_amount', { precision: 10, scale: 2 }).notNull().default('0'),
    status: orderStatus('status').notNull().default('pending'),
    etsyOrderId: text('etsy_order_id'),
    shippingAddress: jsonb('shipping_address').$type<ShippingAddress>(),
    carrier: text('carrier'),
    trackingNumber: text('tracking_number'),
    notes: text('notes'),
    // Bumped by every edit and status change: a form saves only over the version it was loaded at.
    version: integer('version').notNull().default(1),
    // Number, customer name, email (whole and in parts) and Etsy order id, for the list's search.
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(
        sql`to_tsvector('simple', number::text || ' ' || customer_name || ' ' || coalesce(customer_email, '') || ' ' || translate(coalesce(customer_email, ''), '@.+_-', '     ') || ' ' || coalesce(etsy_order_id, ''))`,
      ),
    ...timestamps,
  },
  (t) => [
    index('orders_status_idx').on(t.status),
    // One index per sort of the list, with and without a status tab; every order ends on the id.
    index('orders_created_at_idx').on(t.createdAt, t.id),
    index('orders_status_created_at_idx').on(t.status, t.createdAt, t.id),
    index('orders_total_idx').on(t.totalAmount, t.id),
    index('orders_status_total_idx').on(t.status, t.totalAmount, t.id),
    index('orders_search_idx').using('gin', t.search),
    index('orders_user_idx').on(t.userId),
    uniqueIndex('orders_number_idx').on(t.number),
    // Etsy's order id is the idempotency key of the Etsy import.
    uniqueIndex('orders_etsy_order_id_idx').on(t.etsyOrderId),
    check('orders_total_nonnegative', sql`${t.totalAmount} >= 0`),
    check('orders_shipping_nonnegative', sql`${t.shippingAmount} >= 0`),
    check('orders_tax_nonnegative', sql`${t.taxAmount} >= 0`),
    // A shipped (or delivered) order says how it went.
    check(
      'orders_shipped_has_tracking',
      sql`${t.status} not in ('shipped', 'delivered') or ${t.etsyOrderId} is not null or ${t.trackingNumber} is not null`,
    ),
  ],
)

// The orders a signed-in staff member may see, for the list, its export, packing slips and the
// home page's counts (drizzle/0010_least_privilege.sql). Row-level security on `orders` would
// keep PostgreSQL from using the list's indexes for conditions whose operators are not leakproof
// (the status tabs' enum equality, the search's @@), so these reads go through this view instead:
// it belongs to the tables' owner, so the policies do not apply inside it, and its own condition
// is the policy's (no rows unless the transaction names an enabled user). app_user cannot create
// functions, so no leaky function of its own can watch rows go by before that condition.
export const ordersVisible = pgView('orders_visible').as((qb) =>
  qb
    .select()
    .from(orders)
    .where(sql`(select app_current_user_is_staff())`),
)

// Every change of an order: placed, each status change, edits. The order page's timeline.
export const orderEvents = pgTable(
  'order_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    // Null when the order was placed (or imported).
    fromStatus: orderStatus('from_status'),
    toStatus: orderStatus('to_status').notNull(),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('order_events_order_idx').on(t.orderId, t.createdAt)],
)

export const analytics = pgTable(
  'analytics',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    metricType: text('metric_type').notNull(),
    metricValue: jsonb('metric_value').$type<AnalyticsValue>().notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    // A sales channel or social platform (app/models/analytics-options.ts); '' is all together.
    platform: text('platform').notNull().default(''),
    // Who entered a figure by hand; null for the figures the rollup computes.
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    ...timestamps,
  },
  (t) => [
    index('analytics_date_idx').on(t.date),
    // One figure per metric, day and platform: every writer upserts on this key. It also serves
    // the dashboard's reads (a metric over a range of days).
    uniqueIndex('analytics_metric_date_platform_idx').on(t.metricType, t.date, t.platform),
    check('analytics_metric_type_name', sql`${t.metricType} ~ '^[a-z][a-z0-9_]{1,39}$'`),
    check(
      'analytics_platform_known',
      sql`${t.platform} in ('', 'etsy', 'shop', 'instagram', 'facebook', 'pinterest')`,
    ),
    check('analytics_value_is_number', sql`jsonb_typeof(${t.metricValue} -> 'value') = 'number'`),
  ],
)

// Sign-in links (app/auth/auth.server.ts). Only the SHA-256 of the emailed token is kept;
// a row is consumed once (`used_at`), and is bound to the user and the email it was sent to.
export const loginTokens = pgTable(
  'login_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    redirectTo: text('redirect_to').notNull().default('/'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('login_tokens_user_idx').on(t.userId), index('login_tokens_expires_idx').on(t.expiresAt)],
)

// Server-side sessions: the cookie holds a random id, the table only its SHA-256.
// A session ends when idle for 7 days or 30 days after sign-in, whichever comes first.
export const sessions = pgTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
)

// Rate limits without Redis: one row per allowed request in a sliding window.
// `key` is a SHA-256 (of "login-email:<email>" and the like), never the email or address itself.
export const rateLimitHits = pgTable(
  'rate_limit_hits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    key: text('key').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('rate_limit_hits_key_at_idx').on(t.key, t.at)],
)

// Mail waiting to go out (sign-in links, invitations): written by the request, sent afterwards
// by app/auth/auth.server.ts (deliverPendingMail), retried with backoff. No link or token is
// kept here: the token is made when the mail is sent. `last_error` holds an SMTP code only.
export const mailKind = ['sign-in', 'invitation'] as const
export type MailKind = (typeof mailKind)[number]

export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: mailKind }).notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    redirectTo: text('redirect_to').notNull().default('/'),
    /** The inviter's name as the invitation names them (invitations only). */
    invitedBy: text('invited_by'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** While set in the future, one instance is sending this mail: the others leave it alone. */
    leasedUntil: timestamp('leased_until', { withTimezone: true }),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    failedAt: timestamp('failed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('mail_outbox_kind', sql`${t.kind} in ('sign-in', 'invitation')`),
    index('mail_outbox_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.sentAt} is null and ${t.failedAt} is null`),
    index('mail_outbox_failed_idx').on(t.failedAt).where(sql`${t.failedAt} is not null`),
    index('mail_outbox_user_idx').on(t.userId),
  ],
)

// The shop's settings that its stored data depends on: one row. `currency` is the currency every
// stored price and amount is in, recorded when the shop is first set up (SHOP_CURRENCY then); the
// app refuses to start while SHOP_CURRENCY says another (app/models/shop-settings.server.ts).
export const shopSettings = pgTable(
  'shop_settings',
  {
    id: boolean('id').primaryKey().default(true),
    currency: text('currency').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('shop_settings_one_row', sql`${t.id}`),
    check('shop_settings_currency_code', sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
)

export const usersRelations = relations(users, ({ many }) => ({
  content: many(contentCalendar),
  orders: many(orders),
}))

export const fabricsRelations = relations(fabrics, ({ many }) => ({
  stockMovements: many(stockMovements),
}))

export const stockMovementsRelations = relations(stockMovements, ({ one }) => ({
  fabric: one(fabrics, { fields: [stockMovements.fabricId], references: [fabrics.id] }),
  user: one(users, { fields: [stockMovements.userId], references: [users.id] }),
}))

export const contentCalendarRelations = relations(contentCalendar, ({ one, many }) => ({
  author: one(users, { fields: [contentCalendar.userId], references: [users.id] }),
  fabrics: many(contentFabrics),
}))

export const contentFabricsRelations = relations(contentFabrics, ({ one }) => ({
  content: one(contentCalendar, { fields: [contentFabrics.contentId], references: [contentCalendar.id] }),
  fabric: one(fabrics, { fields: [contentFabrics.fabricId], references: [fabrics.id] }),
}))

export const ordersRelations = relations(orders, ({ one, many }) => ({
  user: one(users, { fields: [orders.userId], references: [users.id] }),
  events: many(orderEvents),
}))

export const orderEventsRelations = relations(orderEvents, ({ one }) => ({
  order: one(orders, { fields: [orderEvents.orderId], references: [orders.id] }),
  user: one(users, { fields: [orderEvents.userId], references: [users.id] }),
}))

export type User = typeof users.$inferSelect
export type UserRole = (typeof userRole.enumValues)[number]
export type NewUser = typeof users.$inferInsert
export type Fabric = typeof fabrics.$inferSelect
export type NewFabric = typeof fabrics.$inferInsert
export type StockMovement = typeof stockMovements.$inferSelect
export type StockReason = (typeof stockReason.enumValues)[number]
export type ContentEntry = typeof contentCalendar.$inferSelect
export type NewContentEntry = typeof contentCalendar.$inferInsert
export type SocialPlatform = (typeof socialPlatform.enumValues)[number]
export type ContentType = (typeof contentType.enumValues)[number]
export type Order = typeof orders.$inferSelect
export type NewOrder = typeof orders.$inferInsert
export type OrderStatus = (typeof orderStatus.enumValues)[number]
export type OrderEvent = typeof orderEvents.$inferSelect
export type NewOrderEvent = typeof orderEvents.$inferInsert
export type AnalyticsRow = typeof analytics.$inferSelect
export type NewAnalyticsRow = typeof analytics.$inferInsert

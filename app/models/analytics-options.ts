// The analytics' fixed choices and the dashboard's data shapes, shared by the models, the charts
// and the pages (safe in the browser bundle).
import type { OrderStatus } from './schema'

/** Metrics the rollup computes from orders and the content calendar; nobody types these in. */
export const COMPUTED_METRICS = ['revenue', 'orders', 'units_sold', 'average_order_value', 'engagement'] as const
export type ComputedMetric = (typeof COMPUTED_METRICS)[number]

/** Metrics staff usually enter by hand (any other lower-case name is allowed too). */
export const SUGGESTED_MANUAL_METRICS = ['followers', 'profile_visits', 'link_clicks', 'etsy_visits', 'etsy_favorites']

/** The columns of a CSV of figures entered by hand (app/models/analytics-import.server.ts). */
export const FIGURES_CSV_COLUMNS = ['date', 'metric_type', 'platform', 'value'] as const
export const MAX_FIGURES_FILE_BYTES = 2 * 1024 * 1024

/** A metric's name: lower-case letters, digits and underscores, starting with a letter. */
export const METRIC_NAME_PATTERN = /^[a-z][a-z0-9_]{1,39}$/

/** Sales channels (orders) and social platforms (content); '' is all platforms together. */
export const SALES_CHANNELS = ['etsy', 'shop'] as const
export const SOCIAL_PLATFORMS = ['instagram', 'facebook', 'pinterest'] as const
export const METRIC_PLATFORMS = [...SALES_CHANNELS, ...SOCIAL_PLATFORMS] as const
export type MetricPlatform = (typeof METRIC_PLATFORMS)[number]
export type SocialPlatformName = (typeof SOCIAL_PLATFORMS)[number]

export const PLATFORM_LABELS: Record<MetricPlatform | '', string> = {
  '': 'All platforms',
  etsy: 'Etsy',
  shop: 'Shop',
  instagram: 'Instagram',
  facebook: 'Facebook',
  pinterest: 'Pinterest',
}

/** The dashboard's ranges: the last N days up to today (in the shop's time zone), or custom. */
export const RANGE_DAYS = [7, 30, 90, 365] as const
export const DEFAULT_RANGE_DAYS = 30
/** The longest custom range, in days. */
export const MAX_RANGE_DAYS = 731

// ---------------------------------------------------------------------------------------------
// The dashboard's data, as the model returns it and the charts draw it. Dates are 'YYYY-MM-DD'
// days in the shop's time zone; money is a number in the shop's currency (two decimals).

export interface DailyPoint {
  date: string
  value: number
}

/** Revenue per day; `previous[i]` is day i of the period of the same length just before. */
export interface RevenueSeries {
  current: DailyPoint[]
  previous: DailyPoint[]
}

export interface StatusCount {
  status: OrderStatus
  count: number
}

/** `key` is the fabric's id, or the line's name for lines without a catalog fabric. */
export interface FabricRevenue {
  key: string
  name: string
  revenue: number
  units: number
}

/** One week (Monday to Sunday, `week` is the Monday): interactions per social platform. */
export interface WeeklyEngagement {
  week: string
  instagram: number
  facebook: number
  pinterest: number
}

/** One week: posts published that week, and the interactions those posts have had. */
export interface PostsVsEngagement {
  week: string
  posts: number
  engagement: number
}

export interface DashboardTotals {
  revenue: number
  previousRevenue: number
  orders: number
  previousOrders: number
  unitsSold: number
  averageOrderValue: number | null
  engagement: number
  postsPublished: number
}

/** A metric entered by hand: its latest value in the range, per platform. */
export interface ManualFigure {
  metricType: string
  platform: MetricPlatform | ''
  date: string
  value: number
}

export interface Dashboard {
  from: string
  to: string
  previousFrom: string
  previousTo: string
  platform: MetricPlatform | ''
  totals: DashboardTotals
  revenue: RevenueSeries
  ordersByStatus: StatusCount[]
  topFabrics: FabricRevenue[]
  engagement: WeeklyEngagement[]
  postsVsEngagement: PostsVsEngagement[]
  manual: ManualFigure[]
}

/** The charts, by the name their CSV download uses. */
export const CHARTS = ['revenue', 'orders-by-status', 'top-fabrics', 'engagement', 'posts-vs-engagement'] as const
export type ChartName = (typeof CHARTS)[number]

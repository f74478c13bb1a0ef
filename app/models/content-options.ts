// The content calendar's fixed choices and the platforms' limits, shared by the forms (client
// code) and app/models/content.server.ts. The database keeps the same limits as checks
// (app/models/schema.ts).
import type { ContentType, SocialPlatform } from './schema'

export const PLATFORMS = ['instagram', 'facebook', 'pinterest'] as const satisfies readonly SocialPlatform[]
export const CONTENT_TYPES = ['post', 'story', 'reel'] as const satisfies readonly ContentType[]

export const PLATFORM_LABELS: Record<SocialPlatform, string> = {
  instagram: 'Instagram',
  facebook: 'Facebook',
  pinterest: 'Pinterest',
}
export const TYPE_LABELS: Record<ContentType, string> = { post: 'Post', story: 'Story', reel: 'Reel' }

/** What the description is called on each platform, and how long it may be. */
export const DESCRIPTION_LIMITS: Record<SocialPlatform, { label: string; max: number }> = {
  instagram: { label: 'caption', max: 2200 },
  facebook: { label: 'post text', max: 63_206 },
  pinterest: { label: 'description', max: 500 },
}
/** Instagram allows 30 hashtags on a post; the others have no hard limit, so we keep a sane one. */
export const HASHTAG_LIMITS: Record<SocialPlatform, number> = { instagram: 30, facebook: 100, pinterest: 100 }

export const CONTENT_LIMITS = {
  title: 200,
  mediaUrls: 10,
  mediaUrl: 2000,
  hashtag: 100,
  fabrics: 10,
} as const

/**
 * An entry's status: draft (no date yet), scheduled (a date, not published), overdue (its date
 * has passed and it is not published), published.
 */
export const CONTENT_STATUSES = ['draft', 'scheduled', 'overdue', 'published'] as const
export type ContentStatus = (typeof CONTENT_STATUSES)[number]
export const STATUS_LABELS: Record<ContentStatus, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  overdue: 'Overdue',
  published: 'Published',
}

export function contentStatus(
  entry: { published: boolean; scheduledDate: Date | string | null },
  now: Date = new Date(),
): ContentStatus {
  if (entry.published) return 'published'
  if (!entry.scheduledDate) return 'draft'
  return new Date(entry.scheduledDate) < now ? 'overdue' : 'scheduled'
}

export const ENGAGEMENT_FIELDS = ['likes', 'comments', 'shares', 'saves', 'reach', 'impressions'] as const
export const ENGAGEMENT_LABELS: Record<(typeof ENGAGEMENT_FIELDS)[number], string> = {
  likes: 'Likes',
  comments: 'Comments',
  shares: 'Shares',
  saves: 'Saves',
  reach: 'Reach',
  impressions: 'Impressions',
}

export const CALENDAR_VIEWS = ['month', 'week', 'list'] as const
export type CalendarView = (typeof CALENDAR_VIEWS)[number]

/** What breaks a platform's limits, by field: the form and a duplicate to another platform both ask. */
export function platformProblems({
  platform,
  description,
  hashtags,
}: {
  platform: SocialPlatform
  description: string | null | undefined
  hashtags: readonly string[]
}): { description?: string; hashtags?: string } {
  const problems: { description?: string; hashtags?: string } = {}
  const { label, max } = DESCRIPTION_LIMITS[platform]
  const length = [...(description ?? '')].length
  if (length > max) {
    problems.description = `A ${PLATFORM_LABELS[platform]} ${label} can be at most ${max.toLocaleString('en-GB')} characters; this one has ${length.toLocaleString('en-GB')}.`
  }
  const tagMax = HASHTAG_LIMITS[platform]
  if (hashtags.length > tagMax) {
    problems.hashtags = `${PLATFORM_LABELS[platform]} allows at most ${tagMax} hashtags; there are ${hashtags.length}.`
  }
  return problems
}

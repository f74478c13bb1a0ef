// The calendar entry form's rules, shared by the actions that check it and the form that shows
// it: the zod schema (new and edit, in the shop's time zone), the text the form shows for an
// entry, and the address of a fabric image used as media. No server code: the form imports it too.
import { z } from 'zod'
import { CONTENT_LIMITS, CONTENT_TYPES, ENGAGEMENT_FIELDS, PLATFORMS, platformProblems } from './content-options'
import type { EngagementReading, FabricImage } from './json-types'
import { fromLocalInput, toLocalInput } from '~/utils/dates'
import { formatNumber } from '~/utils/format'
import { formatHashtags, parseHashtags } from '~/utils/hashtags'
import { text, Version } from '~/utils/validation'

/** A checkbox group's values: none, one (a string) or several. */
const checked = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v == null || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(item))

function isWebAddress(text: string): boolean {
  if (!URL.canParse(text)) return false
  const url = new URL(text)
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
}

/** The media field: one address per line; blank lines are fine. */
function mediaLines(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
}

/** The form's schema; `timeZone` is the shop's, in which the date and time are typed. */
export function contentFormSchema(timeZone: string) {
  return z
    .object({
      platform: z.enum(PLATFORMS, { error: 'Choose a platform.' }),
      contentType: z.enum(CONTENT_TYPES, { error: 'Choose what kind of content this is.' }),
      title: text('Enter a title.')
        .trim()
        .min(1, 'Enter a title.')
        .max(CONTENT_LIMITS.title, `Keep the title under ${CONTENT_LIMITS.title} characters.`),
      description: text()
        .optional()
        .transform((v) => v?.trim() || null),
      mediaUrls: text()
        .optional()
        .transform(mediaLines)
        .superRefine((lines, ctx) => {
          lines.forEach((line, i) => {
            if (line.length > CONTENT_LIMITS.mediaUrl || !isWebAddress(line)) {
              ctx.addIssue({
                code: 'custom',
                message: `Line ${i + 1} (“${line.slice(0, 60)}”) is not a web address: it must start with http:// or https://.`,
              })
            }
          })
        }),
      mediaPicks: checked(text().refine(isWebAddress, 'Pick images from the list.')),
      hashtags: text()
        .optional()
        .transform((v) => parseHashtags(v))
        .superRefine(({ tags, invalid }, ctx) => {
          if (invalid.length) {
            ctx.addIssue({
              code: 'custom',
              message: `Not a hashtag: ${invalid.map((w) => `“${w}”`).join(', ')}. Use letters, numbers and _ only.`,
            })
          }
          if (tags.some((t) => t.length > CONTENT_LIMITS.hashtag)) {
            ctx.addIssue({ code: 'custom', message: `Keep each hashtag under ${CONTENT_LIMITS.hashtag} characters.` })
          }
        })
        .transform(({ tags }) => tags),
      scheduledAt: text()
        .optional()
        .transform((v, ctx) => {
          if (!v?.trim()) return null
          const instant = fromLocalInput(v, timeZone)
          if (!instant) {
            ctx.addIssue({ code: 'custom', message: 'Enter a date and time, like 2026-12-01 14:30.' })
            return z.NEVER
          }
          return instant
        }),
      fabricIds: checked(z.uuid('Pick fabrics from the list.')).pipe(
        z.array(z.uuid()).max(CONTENT_LIMITS.fabrics, `Feature at most ${CONTENT_LIMITS.fabrics} fabrics.`),
      ),
    })
    .superRefine((value, ctx) => {
      const problems = platformProblems(value)
      if (problems.description) ctx.addIssue({ code: 'custom', path: ['description'], message: problems.description })
      if (problems.hashtags) ctx.addIssue({ code: 'custom', path: ['hashtags'], message: problems.hashtags })
      const media = new Set([...value.mediaPicks, ...value.mediaUrls])
      if (media.size > CONTENT_LIMITS.mediaUrls) {
        ctx.addIssue({
          code: 'custom',
          path: ['mediaUrls'],
          message: `Use at most ${CONTENT_LIMITS.mediaUrls} images or videos; there are ${media.size}.`,
        })
      }
    })
    .transform(({ mediaPicks, mediaUrls, scheduledAt, ...rest }) => ({
      ...rest,
      mediaUrls: [...new Set([...mediaPicks, ...mediaUrls])],
      scheduledDate: scheduledAt,
    }))
}

export function editContentSchema(timeZone: string) {
  return z.object({ version: Version }).and(contentFormSchema(timeZone))
}

/** The form's text values (what an input shows), e.g. from an entry or a copy of one. */
export interface ContentFormValues {
  platform?: string
  contentType?: string
  title?: string
  description?: string
  mediaUrls?: string
  mediaPicks?: string[]
  hashtags?: string
  scheduledAt?: string
  fabricIds?: string[]
}

export interface FabricChoice {
  id: string
  name: string
  sku: string | null
  images: FabricImage[]
}

/** The web address of a fabric image, as it goes into an entry's media. */
export function fabricImageUrl(appUrl: string, image: FabricImage): string {
  return new URL(image.src, appUrl).toString()
}

/**
 * An entry as the form shows it. Media that are images of the featured fabrics become ticked
 * image choices; other addresses go in the text field, one per line.
 */
export function entryFormValues(
  entry: {
    platform: string
    contentType: string
    title: string
    description: string | null
    mediaUrls: string[]
    hashtags: string[]
    scheduledDate: Date | string | null
    fabrics: FabricChoice[]
  },
  { appUrl, timeZone }: { appUrl: string; timeZone: string },
): ContentFormValues {
  const imageUrls = new Set(entry.fabrics.flatMap((f) => f.images.map((image) => fabricImageUrl(appUrl, image))))
  return {
    platform: entry.platform,
    contentType: entry.contentType,
    title: entry.title,
    description: entry.description ?? '',
    mediaUrls: entry.mediaUrls.filter((url) => !imageUrls.has(url)).join('\n'),
    mediaPicks: entry.mediaUrls.filter((url) => imageUrls.has(url)),
    hashtags: formatHashtags(entry.hashtags),
    scheduledAt: entry.scheduledDate ? toLocalInput(new Date(entry.scheduledDate), timeZone) : '',
    fabricIds: entry.fabrics.map((f) => f.id),
  }
}

// ---------------------------------------------------------------------------------------------
// An engagement reading (the entry page's "Record engagement" form). Figures are counts as people
// copy them from an app: "2,400", "2 400" and "2400" are all 2400; blank means "not read" (null,
// shown as "not read", never 0); a negative or fractional figure is refused next to its field.

/** The largest figure a reading takes: anything larger is a typing mistake. */
export const MAX_READING = 1_000_000_000

export const READING_MESSAGES = {
  negative: 'Enter a whole number of 0 or more.',
  fraction: 'Enter a whole number, without a fraction.',
  format: 'Enter a whole number like 2,400, or leave it blank if you did not read it.',
  tooLarge: `Enter at most ${formatNumber(MAX_READING)}.`,
  none: 'Enter at least one figure (leave the ones you did not read blank).',
} as const

// Digit groups of three after the first, separated by commas or spaces (plain, no-break, thin).
const GROUPED = /^\d{1,3}(?:[, \u00a0\u202f\u2009]\d{3})+$/

/** A figure as typed: null when blank, the count, or the reason it is refused. */
export function readCount(typed: string): { ok: true; value: number | null } | { ok: false; message: string } {
  const t = typed.trim()
  if (t === '') return { ok: true, value: null }
  if (/^[-\u2212]\s*[\d.,]/.test(t)) return { ok: false, message: READING_MESSAGES.negative }
  if (/^[\d, \u00a0\u202f\u2009]*\.\d*$/.test(t) && /\d/.test(t)) return { ok: false, message: READING_MESSAGES.fraction }
  if (!/^\d+$/.test(t) && !GROUPED.test(t)) return { ok: false, message: READING_MESSAGES.format }
  const value = Number(t.replace(/\D/g, ''))
  if (value > MAX_READING) return { ok: false, message: READING_MESSAGES.tooLarge }
  return { ok: true, value }
}

const count = text()
  .optional()
  .transform((typed, ctx) => {
    const read = readCount(typed ?? '')
    if (read.ok) return read.value
    ctx.addIssue({ code: 'custom', message: read.message })
    return z.NEVER
  })

/** The form's schema; `timeZone` is the shop's, `now` the time the form is sent (no reading from the future). */
export function engagementSchema(timeZone: string, now: Date) {
  return z
    .object({
      likes: count,
      comments: count,
      shares: count,
      saves: count,
      reach: count,
      impressions: count,
      readAt: text('Enter when you read these figures.').transform((v, ctx) => {
        const at = fromLocalInput(v, timeZone)
        if (!at) ctx.addIssue({ code: 'custom', message: 'Enter a date and time, like 2026-12-01 14:30.' })
        else if (at.getTime() > now.getTime() + 5 * 60_000) ctx.addIssue({ code: 'custom', message: 'That is in the future.' })
        return at ?? z.NEVER
      }),
    })
    .superRefine((value, ctx) => {
      if (ENGAGEMENT_FIELDS.every((f) => value[f] === null)) ctx.addIssue({ code: 'custom', message: READING_MESSAGES.none })
    })
    .transform(({ readAt, ...figures }): EngagementReading => ({ ...figures, readAt: readAt.toISOString() }))
}

// The calendar entry form (new and edit): its zod schema, which the actions check, and the
// fields. Works with JavaScript off: "Find fabrics" submits the form and comes back with
// matches to tick, keeping everything typed.
import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { Form } from '@remix-run/react'
import { z } from 'zod'
import { FormErrors, SelectField, TextAreaField, TextField } from '~/components/form'
import { useTimeZone } from '~/components/time-zone'
import {
  CONTENT_LIMITS,
  CONTENT_TYPES,
  DESCRIPTION_LIMITS,
  PLATFORM_LABELS,
  PLATFORMS,
  platformProblems,
  TYPE_LABELS,
} from '~/models/content-options'
import type { FabricImage } from '~/models/json-types'
import { fromLocalInput, toLocalInput } from '~/utils/dates'
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

function asList(value: unknown): string[] {
  return value == null ? [] : Array.isArray(value) ? value.map(String) : [String(value)]
}

export function ContentForm({
  id,
  lastResult,
  defaultValue,
  fabricChoices,
  appUrl,
  submitLabel,
  children,
}: {
  id: string
  lastResult: SubmissionResult<string[]> | undefined | null
  defaultValue: ContentFormValues
  /** Fabrics the entry features or the last "Find fabrics" found, with their images. */
  fabricChoices: FabricChoice[]
  appUrl: string
  submitLabel: string
  children?: React.ReactNode
}) {
  // The server checks the form (the same schema as the action's): no client JavaScript.
  const timeZone = useTimeZone()
  const [form, fields] = useForm<Omit<ContentFormValues, 'fabricIds' | 'mediaPicks'> & {
    fabricIds?: string[]
    mediaPicks?: string[]
    fabricQuery?: string
  }>({
    id,
    lastResult,
    defaultValue,
  })
  const values = (lastResult?.initialValue ?? defaultValue) as Record<string, unknown>
  const pickedFabrics = new Set(asList(values.fabricIds))
  const pickedImages = new Set(asList(values.mediaPicks))
  const description = String(values.description ?? '')
  const length = [...description].length
  return (
    <Form method="post" className="stack content-form" {...getFormProps(form)}>
      {/* Enter in any field saves: the first submit button of a form is its default. */}
      <button type="submit" name="intent" value="save" className="visually-hidden" tabIndex={-1} aria-hidden="true">
        {submitLabel}
      </button>
      <FormErrors id={form.errorId} errors={form.errors} />
      {children}
      <div className="field-row">
        <SelectField
          label="Platform"
          field={fields.platform}
          options={PLATFORMS.map((p) => ({ value: p, label: PLATFORM_LABELS[p] }))}
        />
        <SelectField
          label="Type"
          field={fields.contentType}
          options={CONTENT_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] }))}
        />
      </div>
      <TextField label="Title" field={fields.title} autoComplete="off" />
      <TextAreaField
        label="Description (caption)"
        field={fields.description}
        rows={6}
        hint={
          <>
            {PLATFORMS.map((p) => `${PLATFORM_LABELS[p]} up to ${DESCRIPTION_LIMITS[p].max.toLocaleString('en-GB')}`).join(
              ', ',
            )}{' '}
            characters. {length ? `This text: ${length.toLocaleString('en-GB')} characters.` : null}
          </>
        }
      />
      <TextField
        label="Hashtags"
        field={fields.hashtags}
        autoComplete="off"
        hint="Like #linen #sewing, or separated by commas. Instagram allows 30."
      />
      <TextField
        label={`Scheduled for (${timeZone} time)`}
        field={fields.scheduledAt}
        type="datetime-local"
        hint="Leave empty for a draft with no date yet."
      />
      <TextAreaField
        label="Media addresses"
        field={fields.mediaUrls}
        rows={3}
        hint="One web address (https://…) per line, or tick images of the fabrics below."
      />

      <fieldset className="fabric-picker">
        <legend>Featured fabrics</legend>
        {fabricChoices.length ? (
          <ul className="choices">
            {fabricChoices.map((fabric) => (
              <li key={fabric.id}>
                <label>
                  <input
                    type="checkbox"
                    name={fields.fabricIds.name}
                    value={fabric.id}
                    defaultChecked={pickedFabrics.has(fabric.id)}
                  />{' '}
                  {fabric.name}
                  {fabric.sku ? ` (${fabric.sku})` : null}
                </label>
                {fabric.images.length ? (
                  <ul className="choices image-picks">
                    {fabric.images.map((image) => {
                      const url = fabricImageUrl(appUrl, image)
                      return (
                        <li key={image.src}>
                          <label>
                            <input
                              type="checkbox"
                              name={fields.mediaPicks.name}
                              value={url}
                              defaultChecked={pickedImages.has(url)}
                            />{' '}
                            <img src={image.thumb ?? image.src} alt="" width={48} height={48} loading="lazy" /> Use
                            image{image.alt ? `: ${image.alt}` : ''}
                          </label>
                        </li>
                      )
                    })}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="hint">No fabrics yet: find one by name or SKU.</p>
        )}
        {fields.fabricIds.errors ? <p className="field-error">{fields.fabricIds.errors.join(' ')}</p> : null}
        {fields.mediaPicks.errors ? <p className="field-error">{fields.mediaPicks.errors.join(' ')}</p> : null}
        <div className="field-row search-row">
          <TextField label="Find fabrics" field={fields.fabricQuery} type="search" autoComplete="off" />
          <button type="submit" name="intent" value="find" formNoValidate>
            Find fabrics
          </button>
        </div>
      </fieldset>

      <p>
        <button type="submit" name="intent" value="save">
          {submitLabel}
        </button>
      </p>
    </Form>
  )
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

// The calendar entry form (new and edit): its fields (the schema the actions check is in
// app/models/content-form.ts). Works with JavaScript off: "Find fabrics" (or Enter in its box)
// submits the form and comes back with matches to tick, keeping everything typed.
import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { Form } from '@remix-run/react'
import { FormErrors, SelectField, TextAreaField, TextField } from '~/components/form'
import { formatNumber } from '~/utils/format'
import { useTimeZone } from '~/components/time-zone'
import { fabricImageUrl, type ContentFormValues, type FabricChoice } from '~/models/content-form'
import { CONTENT_TYPES, DESCRIPTION_LIMITS, HASHTAG_LIMITS, PLATFORM_LABELS, PLATFORMS, TYPE_LABELS } from '~/models/content-options'
import { countCharacters, countLimits, countText } from '~/enhance/counts'
import { parseHashtags } from '~/utils/hashtags'

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
  // Live counts against the chosen platform's limits: rendered here, kept up to date by app/enhance/enhance.js.
  const platform = PLATFORMS.find((p) => p === values.platform) ?? PLATFORMS[0]
  const counted = (count: number, max: number, unit: string) => countText({ count, max, unit, label: PLATFORM_LABELS[platform] })
  return (
    <Form method="post" className="stack content-form" {...getFormProps(form)}>
      {/* Enter in a field submits with this, the form's first submit button: it searches when
          "Find fabrics" holds text, and saves otherwise (app/models/content-form.server.ts). */}
      <button type="submit" name="intent" value="enter" className="visually-hidden" tabIndex={-1} aria-hidden="true">
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
            {PLATFORMS.map((p) => `${PLATFORM_LABELS[p]} up to ${formatNumber(DESCRIPTION_LIMITS[p].max)}`).join(
              ', ',
            )}{' '}
            characters.{' '}
            <output
              htmlFor={fields.description.id}
              data-count-for={fields.description.id}
              data-count-by={fields.platform.id}
              data-count-limits={countLimits(Object.fromEntries(PLATFORMS.map((p) => [p, DESCRIPTION_LIMITS[p].max])))}
              aria-live="polite"
            >
              {counted(countCharacters(description), DESCRIPTION_LIMITS[platform].max, 'characters')}
            </output>
          </>
        }
      />
      <TextField
        label="Hashtags"
        field={fields.hashtags}
        autoComplete="off"
        hint={
          <>
            Like #linen #sewing, or separated by commas. Instagram allows 30.{' '}
            <output
              htmlFor={fields.hashtags.id}
              data-hashtag-count-for={fields.hashtags.id}
              data-count-by={fields.platform.id}
              data-count-limits={countLimits(HASHTAG_LIMITS)}
              aria-live="polite"
            >
              {counted(parseHashtags(String(values.hashtags ?? '')).tags.length, HASHTAG_LIMITS[platform], 'hashtags')}
            </output>
          </>
        }
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

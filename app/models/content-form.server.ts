// What the new-entry and edit-entry actions share: "Find fabrics" (which only re-renders the
// form with matches, keeping what was typed) and checking a submission.
//
// Enter in a field submits with the form's first submit button, a hidden one whose intent is
// "enter": it searches when the "Find fabrics" box holds text (Enter there searches, as in any
// search box), and saves otherwise (Enter in the title saves). After a search the box is
// emptied, so the next Enter saves; the message says what was searched for.
import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { z } from 'zod'
import { contentFormSchema, editContentSchema } from './content-form'
import { fabricChoices, fabricsByIds, type Actor, type ContentFields } from './content.server'
import { env } from '~/services/env.server'
import { readSearchText } from '~/utils/validation'

const anything = z.looseObject({})

type Choices = Awaited<ReturnType<typeof fabricChoices>>

export type ContentFormOutcome =
  | { kind: 'render'; status: number; result: SubmissionResult<string[]>; choices: Choices; message?: string }
  | {
      kind: 'valid'
      fields: ContentFields
      version: number | null
      /** The form again, with these errors, keeping what was typed. */
      reply: (errors: { formErrors?: string[] }) => SubmissionResult<string[]>
      choices: () => Promise<Choices>
    }

/** The submit asks for fabrics: "Find fabrics" pressed, or Enter with text in its box. */
export function isSearch(formData: FormData): boolean {
  const intent = formData.get('intent')
  if (intent === 'find') return true
  const query = formData.get('fabricQuery')
  return intent === 'enter' && typeof query === 'string' && query.trim() !== ''
}

export async function readContentForm({
  formData,
  actor,
  edit,
}: {
  formData: FormData
  actor: Actor
  edit: boolean
}): Promise<ContentFormOutcome> {
  const ticked = formData.getAll('fabricIds').map(String)
  if (isSearch(formData)) {
    const { query, error } = readSearchText(formData.get('fabricQuery'))
    formData.delete('fabricQuery')
    const submission = parseWithZod(formData, { schema: anything })
    const choices = await fabricChoices({ actor, ids: ticked, query })
    const found = choices.length - choices.filter((c) => ticked.includes(c.id)).length
    const message =
      error ??
      (!query
        ? 'Type part of a fabric’s name or its SKU, then press “Find fabrics”.'
        : found
          ? `Found ${found} fabric${found === 1 ? '' : 's'} for “${query}”: tick the ones this entry features.`
          : `No fabric matches “${query}”.`)
    return { kind: 'render', status: 200, result: submission.reply(), choices, message }
  }
  const timeZone = env().SHOP_TIMEZONE
  const schema = edit ? editContentSchema(timeZone) : contentFormSchema(timeZone)
  const submission = parseWithZod(formData, { schema })
  if (submission.status !== 'success') {
    return { kind: 'render', status: 400, result: submission.reply(), choices: await fabricChoices({ actor, ids: ticked }) }
  }
  const { version, ...value } = submission.value as z.infer<typeof schema> & { version?: number }
  // Only fabrics that exist (a forged id is dropped, not a database error).
  const existing = await fabricsByIds({ ids: value.fabricIds, actor })
  const fields: ContentFields = { ...value, fabricIds: existing.map((f) => f.id) }
  return {
    kind: 'valid',
    fields,
    version: version ?? null,
    reply: (errors) => submission.reply(errors),
    choices: () => fabricChoices({ actor, ids: fields.fabricIds }),
  }
}

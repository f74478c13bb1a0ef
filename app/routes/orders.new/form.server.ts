// The new-order form's submits (this route's alone, so it lives beside it): "Find fabrics",
// "Add", "Remove" only re-render the form (keeping what was typed); "Place order" checks it and
// places the order.
import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { lineQuantity, newOrderSchema, type LineFabric, type OrderFormValues } from '~/models/order-form'
import { findFabrics } from '~/models/fabric.server'
import { MAX_LINE_QUANTITY, MAX_ORDER_LINES } from '~/models/order-options'
import { lineFabrics, placeOrder, type Actor } from '~/models/order.server'
import { readSearchText } from '~/utils/validation'

export interface NewOrderView {
  result: SubmissionResult<string[]>
  fabrics: Record<string, LineFabric>
  matches: LineFabric[]
  query: string
  /** "Quantity to add" as typed (kept through every submit), and why it cannot be added. */
  addQuantity: string
  addQuantityError: string | null
  message: string | null
}

export type NewOrderOutcome =
  | { kind: 'render'; status: number; view: NewOrderView }
  | { kind: 'placed'; id: string; number: number }

/** The form's fields as typed, with its lines as a list (Conform's `lines[0].quantity` names). */
function typedValues(formData: FormData): OrderFormValues {
  const values: Record<string, string> = {}
  const lines: { fabricId?: string; quantity?: string }[] = []
  for (const [name, value] of formData) {
    if (typeof value !== 'string') continue
    const line = /^lines\[(\d{1,3})\]\.(fabricId|quantity)$/.exec(name)
    if (line) {
      const index = Number(line[1])
      if (index < MAX_ORDER_LINES * 2) (lines[index] ??= {})[line[2] as 'fabricId' | 'quantity'] = value
    } else values[name] = value
  }
  const { intent: _intent, add: _add, remove: _remove, fabricQuery: _q, addQuantity: _a, ...fields } = values
  return { ...fields, lines: lines.filter(Boolean) }
}

async function fabricsOf(values: OrderFormValues) {
  const found = await lineFabrics((values.lines ?? []).flatMap((l) => (l.fabricId ? [l.fabricId] : [])))
  return Object.fromEntries(found.map((f) => [f.id, f]))
}

type Extra = Partial<NewOrderView> & Pick<NewOrderView, 'fabrics' | 'query' | 'addQuantity'>

function render(values: OrderFormValues, extra: Extra, status = 200) {
  const result: SubmissionResult<string[]> = { initialValue: values as Record<string, unknown> as never, ...extra.result }
  return {
    kind: 'render' as const,
    status,
    view: { result, matches: [], message: null, addQuantityError: null, ...extra },
  }
}

/** "Quantity to add" as typed: what comes back in the box, whatever the submit. */
function typedAddQuantity(formData: FormData) {
  const typed = formData.get('addQuantity')
  return typeof typed === 'string' ? typed.slice(0, 20) : '1'
}

export async function readNewOrderForm({ formData, actor }: { formData: FormData; actor: Actor }): Promise<NewOrderOutcome> {
  const values = typedValues(formData)
  const { query, error: queryError } = readSearchText(formData.get('fabricQuery'))
  const add = formData.get('add')
  const remove = formData.get('remove')
  const addQuantity = typedAddQuantity(formData)

  if (typeof add === 'string') {
    const quantity = lineQuantity(addQuantity.trim() || '1')
    if (quantity === null) {
      // Nothing is added rather than a guess: the box keeps what was typed, with why.
      const [fabrics, matches] = await Promise.all([fabricsOf(values), query ? findFabrics({ q: query, limit: 10 }) : []])
      return render(
        values,
        {
          fabrics,
          matches,
          query,
          addQuantity,
          addQuantityError: `Enter how many to add, a whole number from 1 to ${MAX_LINE_QUANTITY.toLocaleString('en-US')}.`,
        },
        400,
      )
    }
    const lines = values.lines ?? []
    const existing = lines.find((l) => l.fabricId === add)
    const next =
      existing || lines.length >= MAX_ORDER_LINES
        ? lines.map((l) => (l === existing ? { ...l, quantity: String((Number(l.quantity) || 0) + quantity) } : l))
        : [...lines, { fabricId: add, quantity: String(quantity) }]
    const nextValues = { ...values, lines: next }
    const fabrics = await fabricsOf(nextValues)
    const name = fabrics[add]?.name
    return render(nextValues, {
      fabrics,
      query,
      addQuantity,
      message: !name
        ? 'That fabric is no longer in the catalog.'
        : existing
          ? `Added ${quantity} more of ${name}.`
          : lines.length >= MAX_ORDER_LINES
            ? `An order holds at most ${MAX_ORDER_LINES} lines.`
            : `Added ${quantity} × ${name}.`,
    })
  }
  if (typeof remove === 'string') {
    const index = Number(remove)
    const nextValues = { ...values, lines: (values.lines ?? []).filter((_, i) => i !== index) }
    return render(nextValues, { fabrics: await fabricsOf(nextValues), query, addQuantity, message: 'Removed the line.' })
  }
  if (formData.get('intent') === 'find') {
    const [fabrics, matches] = await Promise.all([fabricsOf(values), query ? findFabrics({ q: query, limit: 10 }) : []])
    return render(values, {
      fabrics,
      matches,
      query,
      addQuantity,
      message:
        queryError ??
        (!query
          ? 'Type part of a fabric’s name or its SKU, then press “Find fabrics”.'
          : matches.length
            ? `Found ${matches.length} fabric${matches.length === 1 ? '' : 's'} for “${query}”.`
            : `No fabric matches “${query}”.`),
    })
  }

  const submission = parseWithZod(formData, { schema: newOrderSchema })
  if (submission.status !== 'success') {
    return render(values, { fabrics: await fabricsOf(values), query, addQuantity, result: submission.reply() }, 400)
  }
  const { lines, details } = submission.value
  const placed = await placeOrder({ details, lines, actor })
  if (placed.ok) return { kind: 'placed', id: placed.id, number: placed.number }
  const fabrics = await fabricsOf(values)
  switch (placed.problem) {
    case 'no-lines':
      return render(
        values,
        { fabrics, query, addQuantity, result: submission.reply({ fieldErrors: { lines: ['Add at least one fabric.'] } }) },
        400,
      )
    case 'unknown-fabric':
      return render(
        values,
        {
          fabrics,
          query,
          addQuantity,
          result: submission.reply({
            fieldErrors: Object.fromEntries(
              placed.indexes.map((i) => [`lines[${i}].fabricId`, ['This fabric is no longer in the catalog: remove the line.']]),
            ),
          }),
        },
        409,
      )
    case 'stock':
      return render(
        values,
        {
          fabrics,
          query,
          addQuantity,
          result: submission.reply({
            formErrors: [
              `Not enough stock, so the order was not placed: ${placed.shortages
                .map((s) => `line ${s.index + 1} (${s.name}) wants ${s.wanted}, ${s.left} left`)
                .join('; ')}.`,
            ],
            fieldErrors: Object.fromEntries(
              placed.shortages.map((s) => [
                `lines[${s.index}].quantity`,
                [s.left ? `Only ${s.left} left of ${s.name}.` : `${s.name} is out of stock.`],
              ]),
            ),
          }),
        },
        409,
      )
  }
}

import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { Conflict } from '~/components/conflict'
import { EditOrderForm } from '~/components/order-form'
import { detailsFormValues, editOrderSchema, type OrderFormValues } from '~/models/order-form'
import { orderLabel } from '~/models/order-options'
import { getOrder, updateOrderDetails } from '~/models/order.server'
import { requireUser } from '~/auth/auth.server'
import { redirectWithFlash } from '~/services/flash.server'
import { notFound } from '~/services/http.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Edit order ${data ? orderLabel(data.order.number) : ''} · Tara Hub` },
]

/** Whether the form shows the carrier and tracking number, and must keep the tracking number. */
const shippedAs = (order: { status: string; etsyOrderId: string | null }): false | '1' | 'etsy' =>
  order.status === 'shipped' || order.status === 'delivered' ? (order.etsyOrderId ? 'etsy' : '1') : false

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const order = await getOrder(params.id!, user.id)
  if (!order) throw notFound()
  return { order, values: detailsFormValues(order) }
}

const LABELS: [keyof OrderFormValues, string][] = [
  ['customerName', 'Customer name'],
  ['customerEmail', 'Email'],
  ['shipName', 'Recipient'],
  ['line1', 'Address line 1'],
  ['line2', 'Address line 2'],
  ['city', 'Town or city'],
  ['region', 'County, state or province'],
  ['postalCode', 'Postcode or ZIP'],
  ['country', 'Country'],
  ['notes', 'Notes'],
  ['carrier', 'Carrier'],
  ['trackingNumber', 'Tracking number'],
]

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: editOrderSchema })
  if (submission.status !== 'success') return data({ result: submission.reply(), conflict: null }, { status: 400 })
  const { version, details } = submission.value
  const saved = await updateOrderDetails({ id: params.id!, version, details, actor: user })
  if (saved.ok) return redirectWithFlash(`/orders/${params.id}`, 'Saved the order’s details.')
  if (saved.problem === 'not-found') throw notFound()
  // Nothing is written: the form keeps what this user typed, and shows what is saved now.
  const theirs = detailsFormValues(saved.current)
  const yours = Object.fromEntries(LABELS.map(([key]) => [key, String(formData.get(key) ?? '')])) as OrderFormValues
  return data(
    {
      result: submission.reply({ formErrors: ['Someone else changed this order while you were editing it. Nothing was saved.'] }),
      conflict: { version: saved.current.version, shipped: shippedAs(saved.current), theirs, yours },
    },
    { status: 409 },
  )
}

export default function EditOrderPage() {
  const { order, values } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const conflict = actionData?.conflict
  const shipped = conflict?.shipped ?? shippedAs(order)
  return (
    <>
      <p>
        <Link to={`/orders/${order.id}`}>← Order {orderLabel(order.number)}</Link>
      </p>
      <h1>Edit order {orderLabel(order.number)}</h1>
      <p className="hint">
        The lines cannot change once stock is taken: to change them, cancel this order and place a new one.
      </p>
      {conflict ? (
        <Conflict
          thing="order"
          fields={LABELS.filter(([key]) => shipped || (key !== 'carrier' && key !== 'trackingNumber')).map(([key, label]) => ({
            label,
            theirs: conflict.theirs[key] as string,
            yours: conflict.yours[key] as string,
          }))}
        />
      ) : null}
      <EditOrderForm
        lastResult={actionData?.result ?? null}
        defaultValue={values}
        shipped={shipped}
        version={conflict?.version ?? order.version}
        submitLabel={conflict ? 'Save mine over theirs' : 'Save changes'}
      />
    </>
  )
}

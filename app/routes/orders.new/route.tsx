import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { Flash } from '~/components/form'
import { NewOrderForm } from '~/components/order-form'
import { orderLabel } from '~/models/order-options'
import { lineFabrics } from '~/models/order.server'
import { requireUser } from '~/auth/auth.server'
import { env } from '~/services/env.server'
import { redirectWithFlash } from '~/services/flash.server'
import { searchParamsOf } from '~/utils/validation'
import { readNewOrderForm } from './form.server'

export const meta: MetaFunction = () => [{ title: 'New order · Tara Hub' }]

/** `?fabric=<id>` starts the order with that fabric (the fabric page links here). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request)
  const start = searchParamsOf(request).getAll('fabric').slice(0, 10)
  const fabrics = await lineFabrics(start)
  return {
    currency: env().SHOP_CURRENCY,
    fabrics: Object.fromEntries(fabrics.map((f) => [f.id, f])),
    defaultValue: { lines: fabrics.map((f) => ({ fabricId: f.id, quantity: '1' })) },
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const outcome = await readNewOrderForm({ formData: await request.formData(), actor: user })
  if (outcome.kind === 'placed') {
    return redirectWithFlash(`/orders/${outcome.id}`, `Placed order ${orderLabel(outcome.number)}.`)
  }
  return data(outcome.view, { status: outcome.status })
}

export default function NewOrderPage() {
  const { currency, fabrics, defaultValue } = useLoaderData<typeof loader>()
  const view = useActionData<typeof action>()
  return (
    <>
      <p>
        <Link to="/orders">← Orders</Link>
      </p>
      <h1>New order</h1>
      <p className="hint">Prices are today’s catalog prices; the stock is taken when the order is placed.</p>
      <Flash message={view?.message} />
      <NewOrderForm
        lastResult={view?.result ?? null}
        defaultValue={defaultValue}
        fabrics={view?.fabrics ?? fabrics}
        matches={view?.matches ?? []}
        query={view?.query ?? ''}
        addQuantity={view?.addQuantity ?? '1'}
        addQuantityError={view?.addQuantityError ?? null}
        currency={currency}
      />
    </>
  )
}

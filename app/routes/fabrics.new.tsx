import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { FabricForm } from '~/components/fabric-form'
import { NewFabricSchema } from '~/models/fabric-form'
import { createFabric, fabricFacets } from '~/models/fabric.server'
import { requireAdmin } from '~/auth/auth.server'
import { env } from '~/services/env.server'
import { redirectWithFlash } from '~/services/flash.server'

export const meta: MetaFunction = () => [{ title: 'New fabric · Tara Hub' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request)
  return {
    suggestions: await fabricFacets(),
    currency: env().SHOP_CURRENCY,
    lowStockThreshold: env().LOW_STOCK_THRESHOLD,
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request)
  const submission = parseWithZod(await request.formData(), { schema: NewFabricSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const { initialStock, ...fields } = submission.value
  const created = await createFabric({ fields, initialStock, userId: user.id })
  if (!created.ok) {
    return data(submission.reply({ fieldErrors: { sku: ['Another fabric already has this SKU.'] } }), { status: 409 })
  }
  return redirectWithFlash(`/fabrics/${created.id}`, `Added ${fields.name}.`)
}

export default function NewFabricPage() {
  const { suggestions, currency, lowStockThreshold } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  return (
    <>
      <p>
        <Link to="/fabrics">← Fabrics</Link>
      </p>
      <h1>New fabric</h1>
      <FabricForm
        id="new-fabric"
        isNew
        lastResult={lastResult}
        defaultValue={{ lowStockThreshold: String(lowStockThreshold), initialStock: '0' }}
        suggestions={suggestions}
        currency={currency}
        submitLabel="Add fabric"
      />
    </>
  )
}

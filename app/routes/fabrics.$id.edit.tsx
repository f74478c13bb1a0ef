import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { Conflict } from '~/components/conflict'
import { FabricForm } from '~/components/fabric-form'
import { EditFabricSchema, type FabricFormValues } from '~/models/fabric-form'
import { FABRIC_FIELDS, type FabricFields } from '~/models/fabric-options'
import { fabricFacets, getFabric, updateFabric, type FabricDetail } from '~/models/fabric.server'
import { requireAdmin } from '~/auth/auth.server'
import { env } from '~/services/env.server'
import { redirectWithFlash } from '~/services/flash.server'
import { formatTags } from '~/utils/tags'
import { notFound } from '~/services/http.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Edit ${data?.fabric.name ?? 'fabric'} · Tara Hub` },
]

/** A fabric's fields as the form shows them (text, tags joined by commas). */
function formValues(fabric: Pick<FabricDetail, (typeof FABRIC_FIELDS)[number]>) {
  return Object.fromEntries(
    FABRIC_FIELDS.map((key) => {
      const value = fabric[key]
      return [key, Array.isArray(value) ? formatTags(value) : value == null ? '' : String(value)]
    }),
  ) as Record<(typeof FABRIC_FIELDS)[number], string>
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireAdmin(request)
  const [fabric, suggestions] = await Promise.all([getFabric(params.id!), fabricFacets()])
  if (!fabric) throw notFound()
  return { fabric, values: formValues(fabric), suggestions, currency: env().SHOP_CURRENCY }
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireAdmin(request)
  const submission = parseWithZod(await request.formData(), { schema: EditFabricSchema })
  if (submission.status !== 'success') return data({ result: submission.reply(), conflict: null }, { status: 400 })
  const { version, ...fields } = submission.value
  const saved = await updateFabric({ id: params.id!, version, fields: fields satisfies FabricFields })
  if (saved.ok) return redirectWithFlash(`/fabrics/${params.id}`, `Saved ${fields.name}.`)
  switch (saved.problem) {
    case 'not-found':
      throw notFound()
    case 'sku-taken':
      return data(
        { result: submission.reply({ fieldErrors: { sku: ['Another fabric already has this SKU.'] } }), conflict: null },
        { status: 409 },
      )
    case 'conflict':
      // Nothing is written: the form keeps what this user typed, and shows what the other saved.
      return data(
        {
          result: submission.reply({
            formErrors: ['Someone else changed this fabric while you were editing it. Nothing was saved.'],
          }),
          conflict: { version: saved.current.version, theirs: formValues(saved.current), yours: formValues({ ...saved.current, ...fields }) },
        },
        { status: 409 },
      )
  }
}

const LABELS: Record<(typeof FABRIC_FIELDS)[number], string> = {
  name: 'Name',
  sku: 'SKU',
  category: 'Category',
  subcategory: 'Subcategory',
  price: 'Price',
  weight: 'Weight',
  width: 'Width',
  composition: 'Composition',
  careInstructions: 'Care instructions',
  description: 'Description',
  tags: 'Tags',
  etsyListingId: 'Etsy listing id',
  lowStockThreshold: 'Low stock at',
}

export default function EditFabricPage() {
  const { fabric, values, suggestions, currency } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const conflict = actionData?.conflict
  const defaultValue: FabricFormValues = { ...values, version: String(fabric.version) }
  return (
    <>
      <p>
        <Link to={`/fabrics/${fabric.id}`}>← {fabric.name}</Link>
      </p>
      <h1>Edit {fabric.name}</h1>
      {conflict ? (
        <Conflict
          thing="fabric"
          fields={FABRIC_FIELDS.map((key) => ({ label: LABELS[key], theirs: conflict.theirs[key], yours: conflict.yours[key] }))}
        />
      ) : null}
      <FabricForm
        id="edit-fabric"
        isNew={false}
        lastResult={actionData?.result}
        defaultValue={defaultValue}
        suggestions={suggestions}
        currency={currency}
        submitLabel={conflict ? 'Save mine over theirs' : 'Save changes'}
      >
        {/* Saving again after a conflict means: over the version just shown. */}
        <input type="hidden" name="version" value={conflict?.version ?? fabric.version} />
      </FabricForm>
    </>
  )
}

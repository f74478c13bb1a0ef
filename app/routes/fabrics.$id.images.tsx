// /fabrics/:id/images: an admin uploads, describes and removes a fabric's images, with
// JavaScript off. The upload is a plain multipart form; every problem with a file is shown next
// to the file field, and the alt text typed stays in its field.
import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { Confirm, ConfirmLink } from '~/components/confirm'
import { thumbDimensions } from '~/components/fabric-gallery'
import { FieldError, FormErrors, TextField } from '~/components/form'
import { getFabricImages, setImageAlt } from '~/models/fabric-images.server'
import type { FabricImage } from '~/models/json-types'
import { requireAdmin } from '~/auth/auth.server'
import { env } from '~/services/env.server'
import { redirectWithFlash } from '~/services/flash.server'
import {
  addImagesToFabric,
  ImageError,
  IMAGE_TYPES,
  MAX_IMAGE_BYTES,
  MAX_IMAGES_PER_FABRIC,
  removeImageFromFabric,
} from '~/models/images.server'
import { searchParamsOf, text } from '~/utils/validation'
import { notFound, readMultipart } from '~/services/http.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Images of ${data.fabric.name} · Tara Hub` : 'Fabric images · Tara Hub' },
]

const AltText = text().trim().max(300, 'Keep the alt text under 300 characters.')

const Upload = z.object({
  intent: z.literal('upload'),
  alt: AltText.default(''),
  images: z
    .array(z.instanceof(File), { error: 'Choose at least one image.' })
    .min(1, 'Choose at least one image.')
    .max(MAX_IMAGES_PER_FABRIC, `Choose at most ${MAX_IMAGES_PER_FABRIC} images at a time.`),
})
const ChangeAlt = z.object({ intent: z.literal('alt'), src: text().min(1), alt: AltText.default('') })
const Remove = z.object({ intent: z.literal('remove'), src: text().min(1) })
const ImagesAction = z.discriminatedUnion('intent', [Upload, ChangeAlt, Remove])

async function requireFabric(id: string | undefined) {
  const fabric = await getFabricImages({ fabricId: id ?? '' })
  if (!fabric) throw notFound()
  return fabric
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireAdmin(request)
  const fabric = await requireFabric(params.id)
  // The limits come with the data: the page's code must not import the server's modules.
  return {
    fabric,
    // `?remove=2` asks before removing image 2 (components/confirm.tsx).
    confirmRemove: Number(searchParamsOf(request).get('remove')) || null,
    limits: { images: MAX_IMAGES_PER_FABRIC, megabytes: MAX_IMAGE_BYTES / 1024 / 1024, types: IMAGE_TYPES.join(',') },
  }
}

type ReadForm = { ok: true; form: FormData } | { ok: false; status: number; message: string; values: FormData }

/**
 * The posted form. Uploads are read into memory, at most 8 files of 10 MB each; an oversized
 * file stops the reading at once, and what was typed before it (the alt text field comes first
 * in the form for this reason) is kept to show again.
 */
async function readForm(request: Request): Promise<ReadForm> {
  const unreadable = (values: FormData) =>
    ({ ok: false, status: 400, message: 'The form could not be read. Try again.', values }) as const
  const read = await readMultipart({ request, maxPartBytes: MAX_IMAGE_BYTES, maxFiles: MAX_IMAGES_PER_FABRIC })
  if (!read) {
    try {
      return { ok: true, form: await request.formData() }
    } catch {
      return unreadable(new FormData())
    }
  }
  if (read.ok) return read
  if (read.problem === 'too-large') {
    const message = read.filename ? new ImageError(read.filename, 'too-large').message : 'The form is too large.'
    return { ok: false, status: 413, message, values: read.values }
  }
  if (read.problem === 'too-many-files') {
    return { ok: false, status: 413, message: `Choose at most ${MAX_IMAGES_PER_FABRIC} images at a time.`, values: read.values }
  }
  // A body cut short or not multipart after all: nothing the user can do but try again.
  return unreadable(read.values)
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

function tooManyMessage(count: number) {
  const room = MAX_IMAGES_PER_FABRIC - count
  return room > 0
    ? `A fabric can have at most ${MAX_IMAGES_PER_FABRIC} images: this one has ${count}, so add at most ${room} more.`
    : `A fabric can have at most ${MAX_IMAGES_PER_FABRIC} images, and this one has ${count}: remove ${
        1 - room === 1 ? 'one' : 1 - room
      } to add another.`
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireAdmin(request)
  const fabric = await requireFabric(params.id)
  const here = `/fabrics/${fabric.id}/images`
  const read = await readForm(request)
  if (!read.ok) {
    const submission = parseWithZod(read.values, { schema: Upload })
    return data(
      {
        result: submission.reply({ fieldErrors: { images: [read.message] }, hideFields: ['images'] }),
        intent: 'upload',
        src: undefined,
      },
      { status: read.status },
    )
  }
  const submission = parseWithZod(read.form, { schema: ImagesAction })
  if (submission.status !== 'success') {
    const { intent, src } = submission.payload
    return data(
      {
        result: submission.reply({ hideFields: ['images'] }),
        intent: typeof intent === 'string' ? intent : undefined,
        src: typeof src === 'string' ? src : undefined,
      },
      { status: 400 },
    )
  }
  const value = submission.value
  const uploadDir = env().UPLOAD_DIR
  if (value.intent === 'upload') {
    const files = await Promise.all(
      value.images.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })),
    )
    const added = await addImagesToFabric({ uploadDir, fabricId: fabric.id, files, alt: value.alt })
    if (added.ok) return redirectWithFlash(here, `${plural(added.images.length, 'image', 'images')} added.`)
    if (added.problem === 'not-found') throw notFound()
    const [errors, status] =
      added.problem === 'invalid' ? [added.errors.map((e) => e.message), 400] : [[tooManyMessage(added.count)], 409]
    return data(
      { result: submission.reply({ fieldErrors: { images: errors }, hideFields: ['images'] }), intent: 'upload', src: undefined },
      { status },
    )
  }
  const done =
    value.intent === 'alt'
      ? await setImageAlt({ fabricId: fabric.id, src: value.src, alt: value.alt })
      : await removeImageFromFabric({ uploadDir, fabricId: fabric.id, src: value.src })
  if (!done) return redirectWithFlash(here, 'That image is no longer there: someone may have removed it.')
  return redirectWithFlash(here, value.intent === 'alt' ? 'Alt text saved.' : 'Image removed.')
}

type ActionData = { result: SubmissionResult<string[]>; intent: string | undefined; src: string | undefined } | undefined

function resultFor(actionData: ActionData, intent: string, src?: string) {
  return actionData && actionData.intent === intent && actionData.src === src ? actionData.result : undefined
}

function ImageItem({
  image,
  number,
  name,
  actionData,
  confirmRemove,
}: {
  image: FabricImage
  number: number
  name: string
  actionData: ActionData
  confirmRemove: boolean
}) {
  const [form, fields] = useForm<z.input<typeof ChangeAlt>>({
    id: `alt-${number}`,
    lastResult: resultFor(actionData, 'alt', image.src),
    defaultValue: { alt: image.alt },
  })
  const size = thumbDimensions({ image })
  const { key, ...altProps } = getInputProps(fields.alt, { type: 'text' })
  const label = `image ${number}${image.alt ? ` (${image.alt})` : ''}`
  return (
    <li className="image-card">
      <a href={image.src}>
        <img
          src={image.thumb ?? image.src}
          alt={image.alt || `${name}, image ${number}`}
          width={size?.width}
          height={size?.height}
          loading="lazy"
          decoding="async"
        />
      </a>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="alt" />
        <input type="hidden" name="src" value={image.src} />
        <div className="field">
          <label htmlFor={fields.alt.id}>Alt text of image {number}</label>
          <input key={key} {...altProps} />
          <FieldError id={fields.alt.errorId} errors={fields.alt.errors} />
        </div>
        <FormErrors id={form.errorId} errors={form.errors} />
        <button type="submit" className="secondary" aria-label={`Save alt text of image ${number}`}>
          Save
        </button>
      </Form>
      <ConfirmLink dialog={`remove-image-${number}`} to={`?remove=${number}`}>
        Remove {label}…
      </ConfirmLink>
      <Confirm
        id={`remove-image-${number}`}
        open={confirmRemove}
        title={`Remove ${label} of ${name}?`}
        confirmLabel={`Remove ${label}`}
        cancelTo="."
        fields={{ intent: 'remove', src: image.src }}
      >
        <p>The file is deleted. This cannot be undone.</p>
      </Confirm>
    </li>
  )
}

type Limits = Awaited<ReturnType<typeof loader>>['limits']

function UploadForm({ count, limits, actionData }: { count: number; limits: Limits; actionData: ActionData }) {
  const [form, fields] = useForm<z.input<typeof Upload>>({ id: 'upload', lastResult: resultFor(actionData, 'upload') })
  const invalid = Boolean(fields.images.errors?.length)
  return (
    <Form
      method="post"
      encType="multipart/form-data"
      className="card stack"
      aria-labelledby="upload-title"
      {...getFormProps(form)}
    >
      <h2 id="upload-title">Add images</h2>
      <FormErrors id={form.errorId} errors={form.errors} />
      <input type="hidden" name="intent" value="upload" />
      <TextField label="Alt text (describes the images for screen readers)" field={fields.alt} autoComplete="off" />
      <div className="field">
        <label htmlFor={fields.images.id}>Images</label>
        <p className="hint">
          JPEG, PNG or WebP, up to {limits.megabytes} MB each. A fabric has at most {limits.images} images; this one
          has {count}.
        </p>
        <input
          type="file"
          id={fields.images.id}
          name={fields.images.name}
          accept={limits.types}
          multiple
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? fields.images.errorId : undefined}
        />
        <FieldError id={fields.images.errorId} errors={fields.images.errors} />
      </div>
      <button type="submit">Upload</button>
    </Form>
  )
}

export default function FabricImagesPage() {
  const { fabric, limits, confirmRemove } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData
  return (
    <>
      <p>
        <Link to={`/fabrics/${fabric.id}`}>Back to {fabric.name}</Link>
      </p>
      <h1>Images of {fabric.name}</h1>
      {fabric.images.length ? (
        <ul className="image-cards" aria-label="Current images">
          {fabric.images.map((image, index) => (
            <ImageItem
              key={image.src}
              image={image}
              number={index + 1}
              name={fabric.name}
              actionData={actionData}
              confirmRemove={confirmRemove === index + 1}
            />
          ))}
        </ul>
      ) : (
        <p className="empty">No images yet.</p>
      )}
      <div className="cards">
        <UploadForm count={fabric.images.length} limits={limits} actionData={actionData} />
      </div>
    </>
  )
}

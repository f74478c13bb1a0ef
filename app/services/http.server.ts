// Answers a loader or action throws or returns, one way each: when the request cannot go on,
//   throw notFound()                 → 404, the app's error page ("Not found")
//   throw notFound('No such backup') → 404 with what is missing
// and for a download,
//   return csvResponse({ body, filename }) → a CSV file, whole or streamed
// and for a form that carries files,
//   await readMultipart({ request, … })    → the form, or why it could not be read
import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type UploadHandler,
} from '@remix-run/node'

/** A 404 for a record, file or page that does not exist (or that this user may not know of). */
export function notFound(message = 'Not found'): Response {
  return new Response(message, { status: 404, statusText: 'Not Found' })
}

/** How reading a multipart form ended: the form, or why not, with the text fields read until then. */
export type MultipartRead =
  | { ok: true; form: FormData }
  | {
      ok: false
      /** A part over its limit, more files than allowed, or a body cut short or not multipart after all. */
      problem: 'too-large' | 'too-many-files' | 'unreadable'
      /** The field, and the file name (when a file), of the part that was too large. */
      field?: string
      filename?: string
      /** The text fields read before it stopped, to show again. */
      values: FormData
    }

class TooManyFiles extends Error {}

/**
 * Reads a multipart form (one that carries files), part by part, as it arrives. Files go where
 * `upload` puts them (it returns what the form holds in a file's place, and throws
 * MaxPartSizeExceededError past its own limit), or into memory when there is no `upload`: then
 * every part, text or file, takes at most `maxPartBytes`. More than `maxFiles` files stop it.
 * Returns null, reading nothing, when the request is not multipart: read it as a plain form.
 */
export async function readMultipart({
  request,
  maxFiles = Number.POSITIVE_INFINITY,
  ...where
}: { request: Request; maxFiles?: number } & (
  | { upload: UploadHandler; maxPartBytes?: undefined }
  | { maxPartBytes: number; upload?: undefined }
)): Promise<MultipartRead | null> {
  if (!(request.headers.get('Content-Type') ?? '').startsWith('multipart/form-data')) return null
  const store = where.upload ?? unstable_createMemoryUploadHandler({ maxPartSize: where.maxPartBytes })
  const values = new FormData()
  let files = 0
  let current: { field: string; filename: string | undefined } = { field: '', filename: undefined }
  const handler: UploadHandler = async (part) => {
    current = { field: part.name, filename: part.filename || undefined }
    if (part.filename && ++files > maxFiles) throw new TooManyFiles()
    const value = await store(part)
    if (typeof value === 'string') values.append(part.name, value)
    return value
  }
  try {
    return { ok: true, form: await unstable_parseMultipartFormData(request, handler) }
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { ok: false, problem: 'too-large', ...current, field: error.field, values }
    if (error instanceof TooManyFiles) return { ok: false, problem: 'too-many-files', values }
    return { ok: false, problem: 'unreadable', values }
  }
}

/**
 * A CSV download: `body` whole or streamed, saved as `filename`. What it holds is the data as it
 * is now, for whoever asked, so no cache keeps it; and a browser never reads it as anything else.
 */
export function csvResponse({ body, filename }: { body: string | ReadableStream<Uint8Array>; filename: string }): Response {
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}

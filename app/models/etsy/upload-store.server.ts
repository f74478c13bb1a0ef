// Uploads awaiting confirmation, for both Etsy imports: each file is written to a directory every
// app instance shares, under a random id, and read again by the preview and by the confirm. One
// that is never confirmed is deleted after a day.
import { randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { MaxPartSizeExceededError, type UploadHandler } from '@remix-run/node'
import { env } from '~/services/env.server'

/** Uploads that were never confirmed are deleted after a day. */
const UPLOAD_TTL_MS = 24 * 60 * 60 * 1000

// A hidden directory: the server's static /uploads handler ignores dot-directories, so an upload
// (the whole catalog, a year of orders) is never served to anyone who learns its id.
const importsDir = () => path.resolve(env().UPLOAD_DIR, '.imports')
const IMPORT_ID = /^[a-f0-9]{32}$/
const DIGEST = /^[a-f0-9]{32}$/

export const GONE =
  'This upload is no longer here: it was imported already, or it is more than a day old. Upload the file again.'

/** An upload's id: 128 random bits as hex. Anything else (a path, "..") is refused. */
export function isImportId(value: unknown): value is string {
  return typeof value === 'string' && IMPORT_ID.test(value)
}

/** A plan's digest, as a confirm form sends it back. */
export function isImportDigest(value: unknown): value is string {
  return typeof value === 'string' && DIGEST.test(value)
}

/** Where an upload awaiting confirmation is kept (its id is checked first). */
export function importFile(uploadId: string) {
  if (!isImportId(uploadId)) throw new Error('not an import id')
  return path.join(importsDir(), `${uploadId}.csv`)
}

/** Deletes uploads older than a day (any instance may have written them; a lost race is fine). */
export async function pruneImportFiles({ olderThanMs = UPLOAD_TTL_MS }: { olderThanMs?: number } = {}) {
  const dir = importsDir()
  const names = await readdir(dir).catch(() => [] as string[])
  const cutoff = Date.now() - olderThanMs
  let removed = 0
  for (const name of names) {
    if (!/^[a-f0-9]{32}\.csv$/.test(name)) continue
    const file = path.join(dir, name)
    const info = await stat(file).catch(() => null)
    if (info && info.mtimeMs < cutoff) {
      await rm(file, { force: true })
      removed++
    }
  }
  return removed
}

/**
 * Writes a stream to a new upload, at most `limit` bytes; returns its id. Past the limit it
 * reads the rest without keeping it (so the browser gets the answer rather than a reset
 * connection), deletes what it wrote and throws MaxPartSizeExceededError.
 */
export async function saveUpload(data: AsyncIterable<Uint8Array>, field: string, limit: number): Promise<string> {
  await mkdir(importsDir(), { recursive: true })
  await pruneImportFiles()
  const uploadId = randomBytes(16).toString('hex')
  const file = importFile(uploadId)
  let size = 0
  let tooLarge = false
  async function* limited() {
    for await (const chunk of data) {
      size += chunk.byteLength
      if (size > limit) tooLarge = true
      if (!tooLarge) yield chunk
    }
  }
  try {
    await pipeline(limited, createWriteStream(file, { flags: 'wx', mode: 0o600 }))
  } catch (error) {
    await rm(file, { force: true })
    throw error
  }
  if (tooLarge) {
    await rm(file, { force: true })
    throw new MaxPartSizeExceededError(field, limit)
  }
  return uploadId
}

/**
 * The upload handler of an import form: the first file of each of `fields` goes to disk (never
 * into memory), at most `limit` bytes, and the form gets its upload id in its place; every other
 * part is left out. Past the limit it throws MaxPartSizeExceededError; `discard` then removes
 * whatever was saved before.
 */
export function uploadsToDisk({ fields, limit }: { fields: readonly string[]; limit: number }): {
  handler: UploadHandler
  discard: () => Promise<void>
} {
  const saved: string[] = []
  const taken = new Set<string>()
  return {
    handler: async ({ name, filename, data }) => {
      // No file chosen sends an empty filename; a field is read once.
      if (!fields.includes(name) || !filename || taken.has(name)) return undefined
      taken.add(name)
      const uploadId = await saveUpload(data, name, limit)
      saved.push(uploadId)
      return uploadId
    },
    discard: () => discardUploads({ uploadIds: saved }),
  }
}

/**
 * Copies a file from the server's own disk into the uploads awaiting confirmation (scripts and
 * tests); returns its id. The size limits guard uploads through the web, not the server's own files.
 */
export async function storeFile({ file }: { file: string }): Promise<string> {
  return saveUpload(createReadStream(file), 'file', Number.POSITIVE_INFINITY)
}

/** Deletes an upload (there or not); anything but an upload's id is left alone. */
export async function discardUpload({ uploadId }: { uploadId: string }) {
  if (isImportId(uploadId)) await rm(importFile(uploadId), { force: true })
}

export async function discardUploads({ uploadIds }: { uploadIds: string[] }) {
  await Promise.all(uploadIds.map((uploadId) => discardUpload({ uploadId })))
}

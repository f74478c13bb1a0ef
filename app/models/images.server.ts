// Fabric images: checked by their bytes (never by name or declared type), decoded with sharp,
// stored as two WebP files (a thumbnail and a display size) under UPLOAD_DIR, and added to the
// fabric's `images` in one conditional UPDATE. Nothing stays behind when any step fails: files
// are written only once every image of an upload has been read, and are deleted again when the
// database refuses them.
import { randomBytes } from 'node:crypto'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import {
  addFabricImages,
  getFabricImages,
  MAX_IMAGES_PER_FABRIC,
  removeFabricImage,
} from '~/models/fabric-images.server'
import type { FabricImage } from '~/models/json-types'
import { errorSummary } from '~/services/db.server'
import { logger } from '~/services/logger.server'

export { MAX_IMAGES_PER_FABRIC }

export const MAX_IMAGE_BYTES = 10 * 1024 * 1024
/** The thumbnail fits a 240 px square: sharp at 2× in the images page's grid, ample for list rows. */
export const THUMB_SIZE = 240
/** The display size's long side; smaller images keep their size. */
export const DISPLAY_SIZE = 1600
// A 10 MB PNG of one colour can declare billions of pixels; decoding it would take gigabytes.
export const MAX_INPUT_PIXELS = 50_000_000
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const

export type ImageFormat = 'jpeg' | 'png' | 'webp'
export type ImageProblem = 'empty' | 'type' | 'unreadable' | 'too-large' | 'too-many-pixels'

/** An upload the user can fix: the message names the file and says what is wrong. */
export class ImageError extends Error {
  override name = 'ImageError'
  constructor(
    readonly fileName: string,
    readonly problem: ImageProblem,
  ) {
    super(imageErrorMessage(fileName, problem))
  }
}

function imageErrorMessage(fileName: string, problem: ImageProblem): string {
  switch (problem) {
    case 'empty':
      return `${fileName} is empty.`
    case 'type':
      return `${fileName} is not a JPEG, PNG or WebP image.`
    case 'unreadable':
      return `${fileName} could not be read as an image.`
    case 'too-large':
      return `${fileName} is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB.`
    case 'too-many-pixels':
      return `${fileName} has too many pixels (at most ${MAX_INPUT_PIXELS / 1_000_000} megapixels).`
  }
}

const startsWith = (bytes: Uint8Array, signature: number[], at = 0) =>
  bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b)

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0))

/** The image format the bytes start with (magic numbers), whatever the file is called. */
export function detectImageFormat({ bytes }: { bytes: Uint8Array }): ImageFormat | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg'
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png'
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp'
  return null
}

export interface UploadedImage {
  /** The name the user's file had: only ever shown back to them. */
  name: string
  bytes: Uint8Array
}

/** An image read and resized in memory, not yet stored. */
export interface PreparedImage {
  name: string
  thumb: Buffer
  display: Buffer
  width: number
  height: number
}

/** Checks and converts one upload; throws ImageError for anything wrong with the file. */
export async function prepareImage({ name, bytes }: UploadedImage): Promise<PreparedImage> {
  if (bytes.length === 0) throw new ImageError(name, 'empty')
  if (bytes.length > MAX_IMAGE_BYTES) throw new ImageError(name, 'too-large')
  const format = detectImageFormat({ bytes })
  if (!format) throw new ImageError(name, 'type')
  // 'truncated' refuses a file cut short, yet keeps the odd camera JPEG with a harmless warning.
  const input = { failOn: 'truncated', limitInputPixels: MAX_INPUT_PIXELS } as const
  try {
    const meta = await sharp(bytes, input).metadata()
    if (meta.format !== format) throw new ImageError(name, 'unreadable')
    if ((meta.width ?? 0) * (meta.height ?? 0) > MAX_INPUT_PIXELS) throw new ImageError(name, 'too-many-pixels')
    // Decoded once, turned upright by its EXIF orientation; the outputs carry no metadata
    // (no GPS position from the phone that took the photo).
    const { data, info } = await sharp(bytes, input)
      .rotate()
      .resize({ width: DISPLAY_SIZE, height: DISPLAY_SIZE, fit: 'inside', withoutEnlargement: true })
      .raw()
      .timeout({ seconds: 30 })
      .toBuffer({ resolveWithObject: true })
    const raw = { raw: { width: info.width, height: info.height, channels: info.channels } }
    const [display, thumb] = await Promise.all([
      sharp(data, raw).webp({ quality: 82 }).toBuffer(),
      sharp(data, raw)
        .resize({ width: THUMB_SIZE, height: THUMB_SIZE, fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 75 })
        .toBuffer(),
    ])
    return { name, thumb, display, width: info.width, height: info.height }
  } catch (error) {
    if (error instanceof ImageError) throw error
    if (error instanceof Error && /pixel limit/i.test(error.message)) throw new ImageError(name, 'too-many-pixels')
    throw new ImageError(name, 'unreadable')
  }
}

/**
 * Reads every upload one after the other (a few 10 MB decodes at once would be a lot of memory
 * for a small server); returns the images, or every file's problem.
 */
export async function prepareImages({
  files,
}: {
  files: UploadedImage[]
}): Promise<{ ok: true; images: PreparedImage[] } | { ok: false; errors: ImageError[] }> {
  const images: PreparedImage[] = []
  const errors: ImageError[] = []
  for (const file of files) {
    try {
      images.push(await prepareImage(file))
    } catch (error) {
      if (!(error instanceof ImageError)) throw error
      errors.push(error)
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, images }
}

const PUBLIC_PREFIX = '/uploads/'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const STORED_NAME = /^[0-9a-f]{32}-(thumb|display)\.webp$/

function fabricDir(uploadDir: string, fabricId: string) {
  if (!UUID.test(fabricId)) throw new Error('a fabric id is a uuid')
  return path.join(path.resolve(uploadDir), 'fabrics', fabricId.toLowerCase())
}

/**
 * The file behind a public URL this module wrote, or null for anything else (an Etsy image
 * URL, a path that tries to leave the fabric's directory).
 */
export function storedFilePath({ uploadDir, url }: { uploadDir: string; url: string }): string | null {
  if (!url.startsWith(PUBLIC_PREFIX)) return null
  const [area, fabricId, file, ...rest] = url.slice(PUBLIC_PREFIX.length).split('/')
  if (area !== 'fabrics' || !fabricId || !UUID.test(fabricId) || !file || !STORED_NAME.test(file) || rest.length) {
    return null
  }
  return path.join(fabricDir(uploadDir, fabricId), file)
}

/** Writes the two WebP files of each image; on any failure deletes what it wrote and throws. */
export async function writeFabricImages({
  uploadDir,
  fabricId,
  images,
  alt,
}: {
  uploadDir: string
  fabricId: string
  images: PreparedImage[]
  alt: string
}): Promise<FabricImage[]> {
  const dir = fabricDir(uploadDir, fabricId)
  const url = (file: string) => `${PUBLIC_PREFIX}fabrics/${fabricId.toLowerCase()}/${file}`
  const written: string[] = []
  try {
    await mkdir(dir, { recursive: true })
    const stored: FabricImage[] = []
    for (const image of images) {
      const base = randomBytes(16).toString('hex')
      for (const [size, bytes] of [
        ['thumb', image.thumb],
        ['display', image.display],
      ] as const) {
        const file = path.join(dir, `${base}-${size}.webp`)
        // 'wx': never overwrite, even in the 2^-128 case of a repeated name.
        await writeFile(file, bytes, { flag: 'wx' })
        written.push(file)
      }
      stored.push({
        src: url(`${base}-display.webp`),
        thumb: url(`${base}-thumb.webp`),
        alt,
        width: image.width,
        height: image.height,
      })
    }
    return stored
  } catch (error) {
    await removeFiles(written)
    throw error
  }
}

async function removeFiles(files: string[]) {
  await Promise.all(
    files.map((file) =>
      // The database no longer names the file: failing here must not fail the request.
      rm(file, { force: true }).catch((error: unknown) => logger().warn(`image cleanup: ${errorSummary(error)}`)),
    ),
  )
}

/** Deletes the files behind URLs this module stored; other URLs (Etsy's) are left alone. */
async function deleteStoredFiles({ uploadDir, urls }: { uploadDir: string; urls: string[] }) {
  const files = urls.map((url) => storedFilePath({ uploadDir, url })).filter((file): file is string => file !== null)
  await removeFiles(files)
}

/**
 * Deletes the files of images this module has just written and no fabric has taken (an upload
 * the database refused). A removed image's files go through removeImageFromFabric instead: other
 * fabrics may name them.
 */
export async function deleteImageFiles({ uploadDir, images }: { uploadDir: string; images: FabricImage[] }) {
  const urls = images.flatMap((image) => [image.src, image.thumb]).filter((url): url is string => Boolean(url))
  await deleteStoredFiles({ uploadDir, urls })
}

export type AddImagesResult =
  | { ok: true; images: FabricImage[] }
  | { ok: false; problem: 'not-found' }
  | { ok: false; problem: 'invalid'; errors: ImageError[] }
  /** `count`: how many images the fabric has now. */
  | { ok: false; problem: 'too-many'; count: number }

/**
 * Adds uploads to a fabric: all of them or none. The limit of 8 is enforced by the UPDATE
 * itself, so concurrent uploads cannot pass it; the loser's files are deleted again.
 */
export async function addImagesToFabric({
  uploadDir,
  fabricId,
  files,
  alt,
}: {
  uploadDir: string
  fabricId: string
  files: UploadedImage[]
  alt: string
}): Promise<AddImagesResult> {
  const fabric = await getFabricImages({ fabricId })
  if (!fabric) return { ok: false, problem: 'not-found' }
  // Saves decoding 8 photos that could never fit.
  if (fabric.images.length + files.length > MAX_IMAGES_PER_FABRIC) {
    return { ok: false, problem: 'too-many', count: fabric.images.length }
  }
  const prepared = await prepareImages({ files })
  if (!prepared.ok) return { ok: false, problem: 'invalid', errors: prepared.errors }
  const images = await writeFabricImages({ uploadDir, fabricId, images: prepared.images, alt })
  let saved: Awaited<ReturnType<typeof addFabricImages>>
  try {
    saved = await addFabricImages({ fabricId, images })
  } catch (error) {
    await deleteImageFiles({ uploadDir, images })
    throw error
  }
  if (saved) return { ok: true, images }
  await deleteImageFiles({ uploadDir, images })
  const now = await getFabricImages({ fabricId })
  return now ? { ok: false, problem: 'too-many', count: now.images.length } : { ok: false, problem: 'not-found' }
}

/**
 * Removes one image from a fabric, then (after the commit) those of its files no fabric names
 * any more: a file another fabric still shows stays. Null when the fabric or image is not there.
 */
export async function removeImageFromFabric({
  uploadDir,
  fabricId,
  src,
}: {
  uploadDir: string
  fabricId: string
  src: string
}): Promise<FabricImage | null> {
  const removed = await removeFabricImage({ fabricId, src })
  if (!removed) return null
  await deleteStoredFiles({ uploadDir, urls: removed.unreferenced })
  return removed.image
}

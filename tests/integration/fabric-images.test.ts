// Fabric images on every driver: real sharp on generated images, files in a temporary
// upload directory, the `images` column as the only record of them.
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { crc32 } from 'node:zlib'
import { eq } from 'drizzle-orm'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addFabricImages, getFabricImages, setImageAlt } from '~/models/fabric-images.server'
import { fabrics } from '~/models/schema'
import {
  addImagesToFabric,
  detectImageFormat,
  MAX_IMAGE_BYTES,
  removeImageFromFabric,
  storedFilePath,
} from '~/models/images.server'
import { TARGETS, useMigratedDatabase } from '../setup/databases'

type Format = 'jpeg' | 'png' | 'webp'

/** A real image with detail (noise), so that encoders produce sizeable, truncatable files. */
async function makeImage(format: Format, width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3)
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919) % 251
  return sharp(pixels, { raw: { width, height, channels: 3 } })[format]().toBuffer()
}

async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return []
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort()
}

describe.each(TARGETS)('fabric images on %s', (target) => {
  const database = useMigratedDatabase(target)
  let uploadDir = ''

  beforeAll(async () => {
    uploadDir = await mkdtemp(path.join(tmpdir(), 'tara-images-'))
  })
  afterAll(async () => {
    await rm(uploadDir, { recursive: true, force: true })
  })

  async function newFabric(name = 'Indigo linen') {
    const [row] = await database.db.insert(fabrics).values({ name }).returning({ id: fabrics.id })
    return row!.id
  }

  async function fabricRow(id: string) {
    const [row] = await database.db
      .select({ images: fabrics.images, version: fabrics.version })
      .from(fabrics)
      .where(eq(fabrics.id, id))
    return row!
  }

  const fabricFiles = (id: string) => filesUnder(path.join(uploadDir, 'fabrics', id))

  /** Every stored file is named by the database, and every name in the database is a file. */
  async function expectNoOrphans(id: string) {
    const { images } = await fabricRow(id)
    const named = images
      .flatMap((image) => [image.src, image.thumb!])
      .map((url) => storedFilePath({ uploadDir, url }))
      .sort()
    expect(await fabricFiles(id)).toEqual(named)
  }

  it('accepts JPEG, PNG and WebP, each stored as a WebP thumbnail and display size', async () => {
    const id = await newFabric()
    const cases = [
      { format: 'jpeg', width: 2400, height: 1200, display: [1600, 800], thumb: [240, 120] },
      { format: 'png', width: 800, height: 600, display: [800, 600], thumb: [240, 180] },
      { format: 'webp', width: 300, height: 500, display: [300, 500], thumb: [144, 240] },
    ] as const
    const files = await Promise.all(
      cases.map(async (c) => ({ name: `swatch.${c.format}`, bytes: await makeImage(c.format, c.width, c.height) })),
    )
    const result = await addImagesToFabric({ uploadDir, fabricId: id, files, alt: 'Indigo linen, folded' })
    expect(result.ok).toBe(true)
    if (!result.ok) return

    const { images, version } = await fabricRow(id)
    expect(images).toEqual(result.images)
    // Adding images is not an edit of the fabric's description.
    expect(version).toBe(1)
    for (const [i, c] of cases.entries()) {
      const image = images[i]!
      expect(image).toMatchObject({ alt: 'Indigo linen, folded', width: c.display[0], height: c.display[1] })
      expect(image.src).toMatch(new RegExp(`^/uploads/fabrics/${id}/[0-9a-f]{32}-display\\.webp$`))
      expect(image.thumb).toBe(image.src.replace('-display.webp', '-thumb.webp'))
      const display = await sharp(storedFilePath({ uploadDir, url: image.src })!).metadata()
      const thumb = await sharp(storedFilePath({ uploadDir, url: image.thumb! })!).metadata()
      expect([display.format, display.width, display.height]).toEqual(['webp', ...c.display])
      expect([thumb.format, thumb.width, thumb.height]).toEqual(['webp', ...c.thumb])
    }
    await expectNoOrphans(id)
  })

  it('turns a photo upright by its EXIF orientation and keeps no metadata', async () => {
    const id = await newFabric()
    const sideways = await sharp(await makeImage('jpeg', 400, 200))
      .withMetadata({ orientation: 6 })
      .toBuffer()
    const result = await addImagesToFabric({ uploadDir, fabricId: id, files: [{ name: 'phone.jpg', bytes: sideways }], alt: '' })
    expect(result.ok && result.images[0]).toMatchObject({ width: 200, height: 400 })
    const [image] = (await fabricRow(id)).images
    const display = await sharp(storedFilePath({ uploadDir, url: image!.src })!).metadata()
    expect([display.width, display.height, display.exif, display.orientation]).toEqual([200, 400, undefined, undefined])
  })

  it('judges a file by its content, not its name', async () => {
    const id = await newFabric()
    const text = { name: 'photo.jpg', bytes: Buffer.from('Not a photo at all, just some text.\n') }
    // sharp reads GIF and TIFF, but they are not what the shop accepts.
    const gif = { name: 'photo.png', bytes: await sharp(await makeImage('png', 20, 20)).gif().toBuffer() }
    const result = await addImagesToFabric({ uploadDir, fabricId: id, files: [text, gif], alt: '' })
    expect(result).toMatchObject({ ok: false, problem: 'invalid' })
    expect(!result.ok && result.problem === 'invalid' && result.errors.map((e) => e.message)).toEqual([
      'photo.jpg is not a JPEG, PNG or WebP image.',
      'photo.png is not a JPEG, PNG or WebP image.',
    ])
    expect(detectImageFormat({ bytes: await makeImage('webp', 4, 4) })).toBe('webp')
    // A real PNG with a misleading name is fine.
    const png = { name: 'notes.txt', bytes: await makeImage('png', 30, 20) }
    expect((await addImagesToFabric({ uploadDir, fabricId: id, files: [png], alt: '' })).ok).toBe(true)
    expect((await fabricRow(id)).images).toHaveLength(1)
    await expectNoOrphans(id)
  })

  it('refuses a truncated JPEG with a clear message, and then writes none of the upload', async () => {
    const id = await newFabric()
    const good = { name: 'good.jpg', bytes: await makeImage('jpeg', 400, 300) }
    const whole = await makeImage('jpeg', 400, 300)
    const broken = { name: 'photo.jpg', bytes: whole.subarray(0, Math.floor(whole.length * 0.6)) }
    const result = await addImagesToFabric({ uploadDir, fabricId: id, files: [good, broken], alt: 'kept?' })
    expect(!result.ok && result.problem === 'invalid' && result.errors.map((e) => e.message)).toEqual([
      'photo.jpg could not be read as an image.',
    ])
    expect((await fabricRow(id)).images).toEqual([])
    expect(await fabricFiles(id)).toEqual([])
  })

  it('refuses a file over 10 MB, and an image that would decode to too many pixels', async () => {
    const id = await newFabric()
    const big = Buffer.alloc(MAX_IMAGE_BYTES + 1)
    big.set([0xff, 0xd8, 0xff, 0xe0])
    const small = await makeImage('png', 10, 10)
    // A tiny PNG whose header claims 20000 × 20000 pixels (with a valid checksum).
    const bomb = Buffer.from(small)
    bomb.writeUInt32BE(20_000, 16)
    bomb.writeUInt32BE(20_000, 20)
    bomb.writeUInt32BE(crc32(bomb.subarray(12, 29)) >>> 0, 29)
    const result = await addImagesToFabric({
      uploadDir,
      fabricId: id,
      files: [
        { name: 'photo.jpg', bytes: big },
        { name: 'bomb.png', bytes: bomb },
      ],
      alt: '',
    })
    expect(!result.ok && result.problem === 'invalid' && result.errors.map((e) => e.message)).toEqual([
      'photo.jpg is larger than 10 MB.',
      'bomb.png has too many pixels (at most 50 megapixels).',
    ])
    expect(await fabricFiles(id)).toEqual([])
  })

  it('refuses a 9th image and leaves no files behind', async () => {
    const id = await newFabric()
    const jpeg = await makeImage('jpeg', 64, 48)
    const some = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `f${i}.jpg`, bytes: jpeg }))
    expect((await addImagesToFabric({ uploadDir, fabricId: id, files: some(5), alt: '' })).ok).toBe(true)
    expect(await addImagesToFabric({ uploadDir, fabricId: id, files: some(4), alt: '' })).toEqual({
      ok: false,
      problem: 'too-many',
      count: 5,
    })
    expect((await addImagesToFabric({ uploadDir, fabricId: id, files: some(3), alt: '' })).ok).toBe(true)
    expect(await addImagesToFabric({ uploadDir, fabricId: id, files: some(1), alt: '' })).toEqual({
      ok: false,
      problem: 'too-many',
      count: 8,
    })
    // The UPDATE itself holds the limit, whatever its caller checked before.
    const [first] = (await fabricRow(id)).images
    expect(await addFabricImages({ fabricId: id, images: [{ ...first!, src: '/uploads/x' }] })).toBeNull()
    expect((await fabricRow(id)).images).toHaveLength(8)
    expect(await fabricFiles(id)).toHaveLength(16)
    await expectNoOrphans(id)
  })

  it('12 concurrent single-image uploads to one fabric store exactly 8, and no stray files', async () => {
    const id = await newFabric()
    const jpeg = await makeImage('jpeg', 64, 48)
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        addImagesToFabric({ uploadDir, fabricId: id, files: [{ name: `p${i}.jpg`, bytes: jpeg }], alt: `photo ${i}` }),
      ),
    )
    expect(results.filter((r) => r.ok)).toHaveLength(8)
    expect(results.filter((r) => !r.ok && r.problem === 'too-many')).toHaveLength(4)
    const { images } = await fabricRow(id)
    expect(images).toHaveLength(8)
    expect(new Set(images.map((i) => i.src)).size).toBe(8)
    await expectNoOrphans(id)
  })

  it('removes an image and its files, changes alt text, and never touches the version', async () => {
    const id = await newFabric()
    const files = await Promise.all(
      ['a.png', 'b.png'].map(async (name) => ({ name, bytes: await makeImage('png', 50, 50) })),
    )
    expect((await addImagesToFabric({ uploadDir, fabricId: id, files, alt: 'two' })).ok).toBe(true)
    const [a, b] = (await fabricRow(id)).images
    expect(await fabricFiles(id)).toHaveLength(4)

    expect(await removeImageFromFabric({ uploadDir, fabricId: id, src: a!.src })).toEqual(a)
    expect((await fabricRow(id)).images).toEqual([b])
    expect(existsSync(storedFilePath({ uploadDir, url: a!.src })!)).toBe(false)
    expect(existsSync(storedFilePath({ uploadDir, url: a!.thumb! })!)).toBe(false)
    await expectNoOrphans(id)
    expect(await removeImageFromFabric({ uploadDir, fabricId: id, src: a!.src })).toBeNull()

    expect(await setImageAlt({ fabricId: id, src: b!.src, alt: 'Blue linen, close up' })).toEqual({
      ...b,
      alt: 'Blue linen, close up',
    })
    expect((await fabricRow(id)).images[0]?.alt).toBe('Blue linen, close up')
    expect(await setImageAlt({ fabricId: id, src: a!.src, alt: 'gone' })).toBeNull()
    expect((await fabricRow(id)).version).toBe(1)
  })

  /** A fabric with one uploaded image, and a second fabric whose image names the same files. */
  async function sharedImage(name: string) {
    const owner = await newFabric(`${name} (owner)`)
    const upload = await addImagesToFabric({
      uploadDir,
      fabricId: owner,
      files: [{ name: 'p.png', bytes: await makeImage('png', 40, 40) }],
      alt: name,
    })
    if (!upload.ok) throw new Error('upload failed')
    const image = upload.images[0]!
    const other = await newFabric(`${name} (other)`)
    expect(await addFabricImages({ fabricId: other, images: [{ ...image, alt: '' }] })).not.toBeNull()
    const files = [image.src, image.thumb!].map((url) => storedFilePath({ uploadDir, url })!)
    return { owner, other, image, files }
  }

  const existing = (files: string[]) => files.filter((file) => existsSync(file))

  it('keeps a file another fabric names (an Etsy export imported onto it), and deletes it with the last', async () => {
    const { owner, other, image, files } = await sharedImage('Shared')
    // The other fabric lets it go: the owner still shows it.
    expect(await removeImageFromFabric({ uploadDir, fabricId: other, src: image.src })).toMatchObject({ src: image.src })
    expect(existing(files)).toEqual(files)
    await expectNoOrphans(owner)

    // As an import writes it: the display size only. Then the owner lets go first.
    expect(await addFabricImages({ fabricId: other, images: [{ src: image.src, alt: '' }] })).not.toBeNull()
    expect(await removeImageFromFabric({ uploadDir, fabricId: owner, src: image.src })).toEqual(image)
    expect(existing(files)).toEqual([files[0]])
    expect(await removeImageFromFabric({ uploadDir, fabricId: other, src: image.src })).toMatchObject({ src: image.src })
    expect(existing(files)).toEqual([])
  })

  it('two fabrics letting go of one file at once delete it once both are done, never before', async () => {
    // Many pairs at once: whichever removal decides last sees the other's, and deletes the files.
    const pairs = await Promise.all(Array.from({ length: 6 }, (_, i) => sharedImage(`Pair ${i}`)))
    const removed = await Promise.all(
      pairs.flatMap(({ owner, other, image }) =>
        [owner, other].map((fabricId) => removeImageFromFabric({ uploadDir, fabricId, src: image.src })),
      ),
    )
    expect(removed.every((r) => r !== null)).toBe(true)
    expect(existing(pairs.flatMap((p) => p.files))).toEqual([])
  })

  // The embedded database has one session: no removal there can wait on another's lock.
  if (target !== 'pglite') {
    it('a removal that waits on a lock never loses the file the other removal still needs', async () => {
      const { owner, other, image, files } = await sharedImage('Held')
      let waiting: Promise<unknown> | undefined
      await database.db.transaction(async (tx) => {
        // Another session holds the other fabric's row: its removal waits there (or before it),
        // and the other fabric names the file until that removal commits.
        await tx.select({ id: fabrics.id }).from(fabrics).where(eq(fabrics.id, other)).for('update')
        waiting = removeImageFromFabric({ uploadDir, fabricId: other, src: image.src })
        expect(await removeImageFromFabric({ uploadDir, fabricId: owner, src: image.src })).toEqual(image)
        expect(existing(files)).toEqual(files)
      })
      // Released at commit: the waiting removal goes ahead, finds no one else, and deletes them.
      expect(await waiting).toMatchObject({ src: image.src })
      expect(existing(files)).toEqual([])
    })
  }

  it('an unknown fabric, or an id that is not a uuid, is simply not found', async () => {
    const jpeg = { name: 'p.jpg', bytes: await makeImage('jpeg', 20, 20) }
    for (const fabricId of ['7d0f6bbf-3f5e-4f43-9a38-000000000000', 'not-a-uuid', "1' or '1'='1"]) {
      expect(await getFabricImages({ fabricId })).toBeNull()
      expect(await addImagesToFabric({ uploadDir, fabricId, files: [jpeg], alt: '' })).toEqual({
        ok: false,
        problem: 'not-found',
      })
      expect(await removeImageFromFabric({ uploadDir, fabricId, src: '/uploads/x' })).toBeNull()
      expect(await setImageAlt({ fabricId, src: '/uploads/x', alt: '' })).toBeNull()
    }
    // Only files this app wrote are ever deleted: never a path that leaves the upload directory.
    expect(storedFilePath({ uploadDir, url: '/uploads/fabrics/../../etc/passwd' })).toBeNull()
    expect(storedFilePath({ uploadDir, url: 'https://i.etsystatic.com/1/il_fullxfull.jpg' })).toBeNull()
  })
})

// A fabric's images page, with JavaScript off: upload, see, describe and remove images, and
// clear errors next to the file field for files that are not good images.
import { randomBytes } from 'node:crypto'
import sharp from 'sharp'
import { servers } from '../../playwright.config'
import { expect, onDatabase, signedOut, signIn, test } from './fixtures'

const app = servers.postgres.url
const ALT_LABEL = 'Alt text (describes the images for screen readers)'

/** A demo fabric that has no images yet (each test takes the next one). */
async function fabricWithoutImages() {
  const [fabric] = await onDatabase<{ id: string; name: string; version: number }>(
    'select id, name, version from fabrics where jsonb_array_length(images) = 0 order by name limit 1',
  )
  if (!fabric) throw new Error('every demo fabric has images already')
  return fabric
}

async function imagesOf(id: string) {
  const [row] = await onDatabase<{ images: { src: string; thumb: string; alt: string }[]; version: number }>(
    'select images, version from fabrics where id = $1',
    [id],
  )
  return row!
}

/** A JPEG with some detail in it (noise), as a camera would give. */
async function photo(width = 1200, height = 900) {
  const pixels = Buffer.alloc(width * height * 3)
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919) % 251
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg().toBuffer()
}

test('an admin uploads a photo, sees its thumbnail (WebP), changes its alt text and removes it', async ({ page }) => {
  const fabric = await fabricWithoutImages()
  await page.goto(`${app}/fabrics/${fabric.id}/images`)
  await expect(page.getByRole('heading', { level: 1, name: `Images of ${fabric.name}` })).toBeVisible()
  await expect(page.getByText('No images yet.')).toBeVisible()
  await expect(page.getByRole('link', { name: `Back to ${fabric.name}` })).toHaveAttribute('href', `/fabrics/${fabric.id}`)
  await expect(page.locator('script:not([data-enhance])')).toHaveCount(0)

  const upload = page.getByRole('form', { name: 'Add images' })
  await upload.getByLabel(ALT_LABEL).fill(`${fabric.name}, folded on the counter`)
  await upload.getByLabel('Images', { exact: true }).setInputFiles({
    name: 'IMG_0042.JPG',
    mimeType: 'image/jpeg',
    buffer: await photo(),
  })
  await upload.getByRole('button', { name: 'Upload' }).click()
  await expect(page.getByRole('status')).toHaveText('1 image added.')

  const thumbnail = page.getByRole('img', { name: `${fabric.name}, folded on the counter` })
  await expect(thumbnail).toBeVisible()
  expect(await thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(240)
  const src = (await thumbnail.getAttribute('src'))!
  expect(src).toMatch(new RegExp(`^/uploads/fabrics/${fabric.id}/[0-9a-f]{32}-thumb\\.webp$`))
  const response = await page.request.get(`${app}${src}`)
  expect(response.status()).toBe(200)
  expect(response.headers()['content-type']).toBe('image/webp')
  expect(response.headers()['cache-control']).toContain('immutable')
  expect(response.headers()['x-content-type-options']).toBe('nosniff')
  const body = await response.body()
  expect([body.subarray(0, 4).toString('latin1'), body.subarray(8, 12).toString('latin1')]).toEqual(['RIFF', 'WEBP'])

  const stored = await imagesOf(fabric.id)
  expect(stored.images).toHaveLength(1)
  expect(stored.images[0]).toMatchObject({ thumb: src, alt: `${fabric.name}, folded on the counter`, width: 1200, height: 900 })
  expect(stored.version).toBe(fabric.version)
  expect((await page.request.get(`${app}${stored.images[0]!.src}`)).headers()['content-type']).toBe('image/webp')

  await page.getByLabel('Alt text of image 1', { exact: true }).fill('Close-up of the weave')
  await page.getByRole('button', { name: 'Save alt text of image 1' }).click()
  await expect(page.getByRole('status')).toHaveText('Alt text saved.')
  await expect(page.getByRole('img', { name: 'Close-up of the weave' })).toBeVisible()

  await page.getByRole('link', { name: 'Remove image 1 (Close-up of the weave)…' }).click()
  await expect(page.getByRole('heading', { name: `Remove image 1 (Close-up of the weave) of ${fabric.name}?` })).toBeVisible()
  await page.getByRole('button', { name: 'Remove image 1 (Close-up of the weave)' }).click()
  await expect(page.getByRole('status')).toHaveText('Image removed.')
  await expect(page.getByText('No images yet.')).toBeVisible()
  expect((await imagesOf(fabric.id)).images).toEqual([])
  // The files went with it.
  expect((await page.request.get(`${app}${src}`)).status()).toBe(404)
})

test.describe('files that are not good images', () => {
  test.use({ expectedConsoleErrors: [/status of 4\d\d/] })

  test('are refused next to the file field, with the alt text kept and nothing saved', async ({ page }) => {
    const fabric = await fabricWithoutImages()
    await page.goto(`${app}/fabrics/${fabric.id}/images`)
    const upload = page.getByRole('form', { name: 'Add images' })
    const files = upload.getByLabel('Images', { exact: true })
    const whole = await photo(400, 300)
    for (const [file, status, message] of [
      [{ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('Just some text.\n') }, 400, 'photo.jpg is not a JPEG, PNG or WebP image.'],
      [
        { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: whole.subarray(0, whole.length / 2) },
        400,
        'photo.jpg could not be read as an image.',
      ],
      [
        { name: 'huge.jpg', mimeType: 'image/jpeg', buffer: Buffer.concat([whole, Buffer.alloc(10 * 1024 * 1024)]) },
        413,
        'huge.jpg is larger than 10 MB.',
      ],
    ] as const) {
      await upload.getByLabel(ALT_LABEL).fill('Kept alt text')
      await files.setInputFiles(file)
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        upload.getByRole('button', { name: 'Upload' }).click(),
      ])
      expect(response.status()).toBe(status)
      await expect(files).toHaveAttribute('aria-invalid', 'true')
      await expect(files).toHaveAccessibleDescription(message)
      await expect(upload.getByLabel(ALT_LABEL)).toHaveValue('Kept alt text')
    }

    // More files than a fabric may have, in one go.
    await files.setInputFiles(
      Array.from({ length: 9 }, (_, i) => ({ name: `p${i}.jpg`, mimeType: 'image/jpeg', buffer: whole })),
    )
    await upload.getByRole('button', { name: 'Upload' }).click()
    await expect(files).toHaveAccessibleDescription('Choose at most 8 images at a time.')

    // No file at all.
    await upload.getByRole('button', { name: 'Upload' }).click()
    await expect(files).toHaveAccessibleDescription('Choose at least one image.')
    expect((await imagesOf(fabric.id)).images).toEqual([])
  })

  test('a fabric that has 8 images takes no more', async ({ page }) => {
    const fabric = await fabricWithoutImages()
    const dot = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'
    const eight = Array.from({ length: 8 }, (_, i) => ({ src: `${dot}#${i}`, alt: `Dot ${i + 1}` }))
    await onDatabase('update fabrics set images = $2::jsonb where id = $1', [fabric.id, JSON.stringify(eight)])
    try {
      await page.goto(`${app}/fabrics/${fabric.id}/images`)
      const upload = page.getByRole('form', { name: 'Add images' })
      await upload.getByLabel(ALT_LABEL).fill('One too many')
      await upload.getByLabel('Images', { exact: true }).setInputFiles({
        name: 'ninth.jpg',
        mimeType: 'image/jpeg',
        buffer: await photo(40, 30),
      })
      await upload.getByRole('button', { name: 'Upload' }).click()
      await expect(upload.getByLabel('Images', { exact: true })).toHaveAccessibleDescription(
        'A fabric can have at most 8 images, and this one has 8: remove one to add another.',
      )
      await expect(upload.getByLabel(ALT_LABEL)).toHaveValue('One too many')
      expect((await imagesOf(fabric.id)).images).toEqual(eight)
    } finally {
      await onDatabase("update fabrics set images = '[]'::jsonb where id = $1", [fabric.id])
    }
  })

  test('an unknown fabric, or an address that is not a fabric id, is a 404', async ({ page }) => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-fabric']) {
      const response = await page.goto(`${app}/fabrics/${id}/images`)
      expect(response?.status()).toBe(404)
      await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible()
    }
    expect((await page.request.get(`${app}/uploads/fabrics/`)).status()).toBe(404)
    expect((await page.request.get(`${app}/uploads/fabrics/nothing-here.webp`)).status()).toBe(404)
  })
})

test.describe('staff who are not admins', () => {
  test.use({ storageState: signedOut, expectedConsoleErrors: [/status of 403/] })

  test('get a 403 page, and cannot upload', async ({ page }) => {
    const fabric = await fabricWithoutImages()
    const email = `images-${randomBytes(4).toString('hex')}@example.com`
    await onDatabase("insert into users (email, name, role) values ($1, 'Shop helper', 'user')", [email])
    await signIn(page, app, email)
    const response = await page.goto(`${app}/fabrics/${fabric.id}/images`)
    expect(response?.status()).toBe(403)
    await expect(page.getByRole('heading', { level: 1, name: 'You do not have access to this page' })).toBeVisible()
    const post = await page.request.post(`${app}/fabrics/${fabric.id}/images`, {
      headers: { Origin: app },
      multipart: {
        intent: 'upload',
        alt: '',
        images: { name: 'p.jpg', mimeType: 'image/jpeg', buffer: await photo(40, 30) },
      },
    })
    expect(post.status()).toBe(403)
    expect((await imagesOf(fabric.id)).images).toEqual([])
  })
})

// A fabric's photos: the gallery of its detail page and the small thumbnail of list rows.
// Width and height are always given when known, so the page does not jump as images arrive
// on a slow connection; every image loads lazily.
import type { FabricImage } from '~/models/json-types'

/** The size the thumbnail file has: the display size scaled into a 240 px square. */
export function thumbDimensions({ image, box = 240 }: { image: FabricImage; box?: number }) {
  if (!image.width || !image.height) return undefined
  const scale = Math.min(1, box / image.width, box / image.height)
  return { width: Math.max(1, Math.round(image.width * scale)), height: Math.max(1, Math.round(image.height * scale)) }
}

function altFor(image: FabricImage, name: string, index: number, count: number) {
  if (image.alt) return image.alt
  return count > 1 ? `${name}, image ${index + 1} of ${count}` : name
}

/** The fabric's images at display size; nothing at all when it has none. */
export function FabricGallery({ images, name }: { images: FabricImage[]; name: string }) {
  if (images.length === 0) return null
  return (
    <ul className="gallery" aria-label={`Images of ${name}`}>
      {images.map((image, index) => {
        const thumb = image.thumb ? thumbDimensions({ image }) : undefined
        // A phone can take the thumbnail; the tablet gets the display size.
        const srcSet = thumb && image.thumb ? `${image.thumb} ${thumb.width}w, ${image.src} ${image.width}w` : undefined
        return (
          <li key={image.src}>
            <img
              src={image.src}
              srcSet={srcSet}
              sizes={srcSet ? '(max-width: 40rem) 100vw, 24rem' : undefined}
              alt={altFor(image, name, index, images.length)}
              width={image.width}
              height={image.height}
              className={image.width && image.height ? undefined : 'unsized'}
              loading="lazy"
              decoding="async"
            />
          </li>
        )
      })}
    </ul>
  )
}

/** A list row's 48 px thumbnail, or a neutral box when the fabric has no image. */
export function FabricThumb({
  image,
  name,
}: {
  image?: (Pick<FabricImage, 'src' | 'thumb'> & { alt?: string }) | null
  name: string
}) {
  if (!image) return <span className="fabric-thumb fabric-thumb-empty" aria-hidden="true" />
  return (
    <img
      className="fabric-thumb"
      src={image.thumb ?? image.src}
      alt={image.alt || name}
      width={48}
      height={48}
      loading="lazy"
      decoding="async"
    />
  )
}

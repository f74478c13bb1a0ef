// How large a request body each route takes, in one table: the server (server/body-limits.ts)
// refuses anything larger before reading a byte of it (413), so that a huge body can neither fill
// the memory nor keep a request busy for long. Uploads get what README promises plus room for the form around
// them; every other form gets DEFAULT_BODY_LIMIT.
import { MAX_IMAGE_BYTES, MAX_IMAGES_PER_FABRIC } from '~/models/images.server'
import { MAX_FIGURES_FILE_BYTES } from './analytics-options'
import { MAX_IMPORT_BYTES } from './etsy/listings-import.server'
import { MAX_ORDERS_FILE_MEGABYTES, ORDERS_UPLOAD_FIELDS } from './etsy/orders-import.server'
import { FABRIC_LIMITS } from './fabric-options'

const KB = 1024
const MB = 1024 * KB

/** Any form that carries no file: sign-in, stock, orders, calendar entries, bulk actions. */
export const DEFAULT_BODY_LIMIT = 64 * KB
/** The other fields of an upload form and the multipart headers around its files. */
const FORM_AROUND_FILES = 64 * KB

export interface BodyLimit {
  /** The route, as README names it. */
  route: string
  pattern: RegExp
  bytes: number
}

// Paths as Express sees them; a trailing `.data` is the same route's single-fetch request (a
// form submitted with JavaScript on). Anything that matches none gets DEFAULT_BODY_LIMIT, so an
// oddly spelled path can only ever get less.
export const BODY_LIMITS: BodyLimit[] = [
  // EtsyListingsDownload.csv, up to 20 MB.
  { route: '/fabrics/import', pattern: /^\/fabrics\/import$/, bytes: MAX_IMPORT_BYTES + FORM_AROUND_FILES },
  // EtsySoldOrders.csv and EtsySoldOrderItems.csv together, up to 64 MB each.
  {
    route: '/orders/import',
    pattern: /^\/orders\/import$/,
    bytes: ORDERS_UPLOAD_FIELDS.length * MAX_ORDERS_FILE_MEGABYTES * MB + FORM_AROUND_FILES,
  },
  // Up to 8 images at a time, 10 MB each.
  {
    route: '/fabrics/:id/images',
    pattern: /^\/fabrics\/[^/]+\/images$/,
    bytes: MAX_IMAGES_PER_FABRIC * MAX_IMAGE_BYTES + FORM_AROUND_FILES,
  },
  // A CSV of figures entered by hand, up to 2 MB.
  { route: '/analytics/metrics', pattern: /^\/analytics\/metrics$/, bytes: MAX_FIGURES_FILE_BYTES + FORM_AROUND_FILES },
  // A fabric's description may hold 100,000 characters: up to 9 bytes each once form-encoded.
  {
    route: '/fabrics/new, /fabrics/:id/edit',
    pattern: /^\/fabrics\/(new|[^/]+\/edit)$/,
    bytes: Math.max(MB, FABRIC_LIMITS.description * 9 + DEFAULT_BODY_LIMIT),
  },
]

/** The limit for a request path (Express's `req.path`). */
export function bodyLimitFor(pathname: string): number {
  const route = pathname.replace(/\.data$/, '').replace(/(.)\/+$/, '$1')
  return BODY_LIMITS.find((limit) => limit.pattern.test(route))?.bytes ?? DEFAULT_BODY_LIMIT
}

/** "64 KB", "20 MB", "80.1 MB": how a limit is shown to people. */
export function formatBytes(bytes: number): string {
  if (bytes < MB) return `${Math.round(bytes / KB)} KB`
  return `${Number((bytes / MB).toFixed(1))} MB`
}

/** Why the server (server/body-limits.ts) refused a request's body: the page at /request-refused says it. */
export interface RefusedBody {
  status: 411 | 413
  /** The route's limit, as formatBytes shows it. */
  limit: string
}

declare module '@remix-run/node' {
  interface AppLoadContext {
    /** Set by server/body-limits.ts when it refused the request's body (the request became GET /request-refused). */
    refusedBody?: RefusedBody
  }
}

// Resource routes (the CSV files) never reach the document renderer, whose 503 page
// (app/entry.server.tsx) answers for pages when the database is down: they catch with
// `.catch(databaseUnavailable)` and answer the same 503, with the same words, themselves.
import styles from '~/styles/app.css?raw'
import { errorSummary, isDatabaseUnavailable } from './db.server'
import { logger } from './logger.server'

const PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tara Hub</title><style>${styles}</style></head>
<body><main><section class="error-page">
<h1>The database is not answering</h1>
<p>Nothing was lost. Wait a moment, then try again.</p>
</section></main></body>
</html>`

/** Throws a 503 page when `error` says the database is down; throws `error` itself otherwise. */
export function databaseUnavailable(error: unknown): never {
  if (!isDatabaseUnavailable(error)) throw error
  logger().warn(`database unavailable: ${errorSummary(error)}`)
  throw new Response(PAGE, {
    status: 503,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Retry-After': '30',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      'X-Content-Type-Options': 'nosniff',
    },
  })
}

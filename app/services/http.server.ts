// Answers a loader or action throws or returns, one way each: when the request cannot go on,
//   throw notFound()                 → 404, the app's error page ("Not found")
//   throw notFound('No such backup') → 404 with what is missing
// and for a download,
//   return csvResponse({ body, filename }) → a CSV file, whole or streamed

/** A 404 for a record, file or page that does not exist (or that this user may not know of). */
export function notFound(message = 'Not found'): Response {
  return new Response(message, { status: 404, statusText: 'Not Found' })
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

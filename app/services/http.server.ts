// Answers a loader or action throws or returns when the request cannot go on: one way each.
//   throw notFound()                 → 404, the app's error page ("Not found")
//   throw notFound('No such backup') → 404 with what is missing

/** A 404 for a record, file or page that does not exist (or that this user may not know of). */
export function notFound(message = 'Not found'): Response {
  return new Response(message, { status: 404, statusText: 'Not Found' })
}

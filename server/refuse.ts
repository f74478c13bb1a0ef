// A request the server refuses before any route sees it (a body too large or of unknown length,
// server/body-limits.ts; a change sent from another site's page, the Origin check in server/app.ts)
// goes on as GET /request-refused, so that the answer is the app's own page (its layout, what
// happened and what to do), never plain text. Its body is never read: only ever dropped.
import type { Request, Response } from 'express'

/** How long a refused request's body may still be read (and dropped) after its answer went out. */
const LINGER_MS = 2_000

export function refuse(req: Request, res: Response) {
  // A lingering close, as web servers do: the client may still be sending when the page goes out,
  // and closing the connection at once would reset it, so that the client sees a broken connection
  // instead of the page. Node reads and drops what is still sent (never kept, never parsed); if
  // it has not all come within LINGER_MS, the connection is closed.
  res.once('finish', () => {
    if (req.complete) return
    const linger = setTimeout(() => req.socket.destroy(), LINGER_MS)
    linger.unref()
    req.once('end', () => clearTimeout(linger))
    req.once('close', () => clearTimeout(linger))
  })
  req.method = 'GET'
  req.url = req.originalUrl = '/request-refused'
}

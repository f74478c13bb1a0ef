import { pingDatabase } from '~/services/db.server'

// GET /healthz: 200 {"db":"ok"} when the database answers, 503 otherwise.
export async function loader() {
  const headers = { 'Cache-Control': 'no-store' }
  try {
    await pingDatabase()
    return Response.json({ db: 'ok' }, { headers })
  } catch {
    return Response.json({ db: 'unavailable' }, { status: 503, headers })
  }
}

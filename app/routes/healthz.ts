import { databaseStatus } from '~/models/health.server'

// GET /healthz: 200 {"db":"ok"} when the database answers, 503 {"db":"unavailable"} otherwise.
export async function loader() {
  const status = await databaseStatus()
  return Response.json(
    { db: status },
    { status: status === 'ok' ? 200 : 503, headers: { 'Cache-Control': 'no-store' } },
  )
}

import { health } from '~/models/health.server'

// GET /healthz: 200 {"db":"ok","queue":"ok"} when the database answers (the queue "lagging" when
// a job has waited too long for a worker), 503 {"db":"unavailable"} otherwise.
export async function loader() {
  const status = await health()
  return Response.json(status, { status: status.db === 'ok' ? 200 : 503, headers: { 'Cache-Control': 'no-store' } })
}

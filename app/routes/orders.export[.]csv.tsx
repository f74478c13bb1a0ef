// GET /orders/export.csv: the orders list as filtered (the same query string as /orders: status,
// dates, search, sort; every page, no paging) as CSV for the accountant, one row per order, or with
// `?lines=1` one row per order line. Streamed as it is read. Admins only.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportFilename, exportOrders, parseOrderQuery } from '~/models/order-list.server'
import { requireAdmin } from '~/auth/auth.server'
import { env } from '~/services/env.server'
import { csvResponse } from '~/services/http.server'
import { databaseUnavailable } from '~/services/outage.server'
import { searchParamsOf } from '~/utils/validation'

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdmin(request).catch(databaseUnavailable)
  const params = searchParamsOf(request)
  const query = parseOrderQuery(params)
  const lines = params.get('lines') === '1'
  const timeZone = env().SHOP_TIMEZONE
  const csv = await exportOrders(admin.id, query, { lines, timeZone }).catch(databaseUnavailable)
  return csvResponse({ body: csv, filename: exportFilename({ lines, timeZone }) })
}

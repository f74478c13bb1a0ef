// GET /fabrics/export.csv: the catalog, or the list as filtered (the same query string as
// /fabrics, every match, no pages), as Etsy's listings file. Importing it changes nothing.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { etsyListingsCsv, EXPORT_FILENAME } from '~/models/etsy/listings-export.server'
import { parseFabricQuery } from '~/models/fabric.server'
import { requireUser } from '~/auth/auth.server'
import { csvResponse } from '~/services/http.server'
import { databaseUnavailable } from '~/services/outage.server'
import { searchParamsOf } from '~/utils/validation'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request).catch(databaseUnavailable)
  const query = parseFabricQuery(searchParamsOf(request))
  const csv = await etsyListingsCsv({ query }).catch(databaseUnavailable)
  return csvResponse({ body: csv, filename: EXPORT_FILENAME })
}

// GET /admin/backups/<name> (admins): one backup's data file, as a download.
import { createReadStream } from 'node:fs'
import { notFound } from '~/services/http.server'
import { Readable } from 'node:stream'
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireAdmin } from '~/auth/auth.server'
import { backupFile } from '~/services/backup/jobs.server'

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireAdmin(request)
  const name = params.name ?? ''
  // Only a listed backup's own name: never a path.
  const file = await backupFile(name)
  if (!file) throw notFound('No such backup')
  return new Response(Readable.toWeb(createReadStream(file.path)) as ReadableStream, {
    headers: {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(file.size),
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}

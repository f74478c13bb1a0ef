import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { DataTable } from '~/components/data-table'
import { listContent } from '~/models/content.server'
import { formatDateTime } from '~/utils/format'
import { requireUser } from '~/services/auth.server'

export const meta: MetaFunction = () => [{ title: 'Calendar · Tara Hub' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request)
  return { entries: await listContent() }
}

export default function CalendarPage() {
  const { entries } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Content calendar</h1>
      <DataTable
        rows={entries}
        empty="Nothing planned yet."
        columns={[
          { header: 'Scheduled', cell: (e) => formatDateTime(e.scheduledDate) },
          { header: 'Platform', cell: (e) => <span className={`tag tag-${e.platform}`}>{e.platform}</span> },
          { header: 'Type', cell: (e) => e.contentType },
          { header: 'Title', cell: (e) => e.title },
          { header: 'Author', cell: (e) => e.author },
          { header: 'Status', cell: (e) => (e.published ? 'Published' : 'Scheduled') },
        ]}
      />
    </>
  )
}

import type { MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { listContent } from '~/models/content.server'
import { formatDateTime } from '~/utils/format'

export const meta: MetaFunction = () => [{ title: 'Calendar · Tara Hub' }]

export async function loader() {
  return { entries: await listContent() }
}

export default function CalendarPage() {
  const { entries } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Content calendar</h1>
      {entries.length === 0 ? (
        <p className="empty">Nothing planned yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Scheduled</th>
                <th scope="col">Platform</th>
                <th scope="col">Type</th>
                <th scope="col">Title</th>
                <th scope="col">Author</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.scheduledDate)}</td>
                  <td>
                    <span className={`tag tag-${e.platform}`}>{e.platform}</span>
                  </td>
                  <td>{e.contentType}</td>
                  <td>{e.title}</td>
                  <td>{e.author}</td>
                  <td>{e.published ? 'Published' : 'Scheduled'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}

import type { MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { DataTable } from '~/components/data-table'
import { listUsers } from '~/models/user.server'

export const meta: MetaFunction = () => [{ title: 'Users · Tara Hub' }]

export async function loader() {
  return { users: await listUsers() }
}

export default function UsersPage() {
  const { users } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Users</h1>
      <DataTable
        rows={users}
        empty="No users yet."
        columns={[
          { header: 'Name', cell: (u) => u.name ?? '—' },
          { header: 'Email', cell: (u) => u.email },
          { header: 'Role', cell: (u) => u.role },
        ]}
      />
    </>
  )
}

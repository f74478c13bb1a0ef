import type { MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
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
      {users.length === 0 ? (
        <p className="empty">No users yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <td>{u.name ?? '—'}</td>
                  <td>{u.email}</td>
                  <td>{u.role}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}

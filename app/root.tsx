import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import {
  isRouteErrorResponse,
  Link,
  Form,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react'
import { useContext, type ReactNode } from 'react'
import { Flash } from '~/components/form'
import { CspNonce, DatabaseUnavailable } from '~/components/server-status'
import { getUser } from '~/auth/auth.server'
import { env } from '~/services/env.server'
import { takeFlash } from '~/services/flash.server'
import styles from '~/styles/app.css?raw'
// The one deferred script of every page (progressive enhancement; README, "Progressive enhancement").
import enhanceUrl from '~/enhance/enhance.js?url'

// Public pages (sign-in) render in this layout too: it shows who is signed in, if anyone.
// Each page's own loader does the access check (requireUser / requireAdmin).
export async function loader({ request }: LoaderFunctionArgs) {
  const [user, flash] = await Promise.all([getUser(request), takeFlash(request)])
  return data(
    { shopName: env().SHOP_NAME, timeZone: env().SHOP_TIMEZONE, user, flash: flash.message },
    { headers: flash.headers },
  )
}

export const meta: MetaFunction = () => [{ title: 'Tara Hub' }]

const NAV = [
  { to: '/', label: 'Dashboard', end: true },
  { to: '/fabrics', label: 'Fabrics' },
  { to: '/orders', label: 'Orders' },
  { to: '/calendar', label: 'Calendar' },
  { to: '/analytics', label: 'Analytics' },
  { to: '/users', label: 'Users', admin: true },
  { to: '/admin/backups', label: 'Backups', admin: true },
  { to: '/admin/jobs', label: 'Jobs', admin: true },
]

/** A route opts in to client JavaScript with `export const handle = { hydrate: true }`. */
export interface RouteHandle {
  hydrate?: boolean
}

export function Layout({ children }: { children: ReactNode }) {
  const root = useRouteLoaderData<typeof loader>('root')
  const user = root?.user
  const nonce = useContext(CspNonce)
  const hydrate = useMatches().some((m) => (m.handle as RouteHandle | undefined)?.hydrate)
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="data:," />
        <Meta />
        <Links />
        <style nonce={nonce} dangerouslySetInnerHTML={{ __html: styles }} />
        <script defer src={enhanceUrl} nonce={nonce} data-enhance="" />
      </head>
      <body>
        <a className="skip" href="#main">
          Skip to content
        </a>
        <header className="top">
          <Link to="/" className="brand">
            {root?.shopName ?? 'Tara Hub'}
          </Link>
          {user ? (
            <>
              <nav aria-label="Main">
                <ul>
                  {NAV.filter((item) => !item.admin || user.role === 'admin').map((item) => (
                    <li key={item.to}>
                      <NavLink to={item.to} end={item.end} prefetch="none">
                        {item.label}
                      </NavLink>
                    </li>
                  ))}
                </ul>
              </nav>
              <Form method="post" action="/logout" className="account">
                <span>
                  Signed in as <strong>{user.name ?? user.email}</strong> <span className="role">({user.role})</span>
                </span>
                <button type="submit">Sign out</button>
              </Form>
            </>
          ) : null}
        </header>
        <main id="main">
          <Flash message={root?.flash} />
          {children}
        </main>
        {hydrate ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}

export function ErrorBoundary() {
  const error = useRouteError()
  const databaseDown = useContext(DatabaseUnavailable)
  if (databaseDown) {
    return (
      <section className="error-page">
        <h1>The database is not answering</h1>
        <p>Nothing was lost. Wait a moment, then try again.</p>
        <p>
          <Link to=".">Try again</Link>
        </p>
      </section>
    )
  }
  if (isRouteErrorResponse(error) && error.status === 403) {
    return (
      <section className="error-page">
        <h1>You do not have access to this page</h1>
        <p>This page is for the shop's admins. Ask an admin if you need something here.</p>
        <p>
          <Link to="/">Go to the dashboard</Link>
        </p>
      </section>
    )
  }
  if (isRouteErrorResponse(error) && (error.status === 413 || error.status === 411)) {
    const { limit } = (error.data ?? {}) as { limit?: string }
    return (
      <section className="error-page">
        <h1>{error.status === 413 ? 'What you sent is too large' : 'What you sent has no stated size'}</h1>
        <p>
          {error.status === 413
            ? `This page takes at most ${limit ?? 'a limited size'}: nothing was saved. Go back and send less (fewer or smaller files).`
            : `Nothing was saved. This page takes at most ${limit ?? 'a limited size'}, and only from a browser's form, which says how much it sends.`}
        </p>
        <p>
          <Link to="/">Go to the dashboard</Link>
        </p>
      </section>
    )
  }
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <section className="error-page">
        <h1>Page not found</h1>
        <p>There is no page at this address. It may have moved, or the link may be mistyped.</p>
        <p>
          <Link to="/">Go to the dashboard</Link>
        </p>
      </section>
    )
  }
  const status = isRouteErrorResponse(error) ? error.status : 500
  const detail =
    process.env.NODE_ENV === 'development' && error instanceof Error ? error.stack : undefined
  return (
    <section className="error-page">
      <h1>Something went wrong</h1>
      <p>
        The page could not be shown (error {status}). Your data is safe; try again, and tell the
        shop admin if it keeps happening.
      </p>
      {detail ? <pre>{detail}</pre> : null}
      <p>
        <Link to="/">Go to the dashboard</Link>
      </p>
    </section>
  )
}

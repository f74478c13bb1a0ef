import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import {
  isRouteErrorResponse,
  Link,
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
import { DatabaseUnavailable } from '~/components/server-status'
import { env } from '~/services/env.server'
import styles from '~/styles/app.css?raw'

export async function loader(_args: LoaderFunctionArgs) {
  return { shopName: env().SHOP_NAME }
}

export const meta: MetaFunction = () => [{ title: 'Tara Hub' }]

const NAV = [
  { to: '/', label: 'Dashboard', end: true },
  { to: '/fabrics', label: 'Fabrics' },
  { to: '/orders', label: 'Orders' },
  { to: '/calendar', label: 'Calendar' },
  { to: '/analytics', label: 'Analytics' },
  { to: '/users', label: 'Users' },
]

/** A route opts in to client JavaScript with `export const handle = { hydrate: true }`. */
export interface RouteHandle {
  hydrate?: boolean
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>('root')
  const hydrate = useMatches().some((m) => (m.handle as RouteHandle | undefined)?.hydrate)
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="data:," />
        <Meta />
        <Links />
        <style dangerouslySetInnerHTML={{ __html: styles }} />
      </head>
      <body>
        <a className="skip" href="#main">
          Skip to content
        </a>
        <header className="top">
          <Link to="/" className="brand">
            {data?.shopName ?? 'Tara Hub'}
          </Link>
          <nav aria-label="Main">
            <ul>
              {NAV.map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end={item.end} prefetch="none">
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main">{children}</main>
        {hydrate ? (
          <>
            <ScrollRestoration />
            <Scripts />
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

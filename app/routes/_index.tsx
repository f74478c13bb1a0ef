import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { PlatformTag } from '~/components/calendar-views'
import { Figure } from '~/components/figures'
import { getDashboard } from '~/models/dashboard.server'
import { ORDER_STATUS_LABELS } from '~/models/order-options'
import { useTimeZone } from '~/components/time-zone'
import { formatDateTime, formatNumber } from '~/utils/format'
import { requireUser } from '~/auth/auth.server'

export const meta: MetaFunction = () => [{ title: 'Dashboard · Tara Hub' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return getDashboard(user.id)
}


type Post = ReturnType<typeof useLoaderData<typeof loader>>['posts']['upcoming'][number]

function PostList({ posts, empty, timeZone }: { posts: Post[]; empty: string; timeZone: string }) {
  if (!posts.length) return <p className="empty">{empty}</p>
  return (
    <ul className="upcoming">
      {posts.map((p) => (
        <li key={p.id}>
          <time dateTime={String(p.scheduledDate)}>{formatDateTime(p.scheduledDate, timeZone, { weekday: true })}</time>{' '}
          <PlatformTag platform={p.platform} />{' '}
          <Link to={`/calendar/entries/${p.id}`}>{p.title}</Link>
        </li>
      ))}
    </ul>
  )
}

export default function DashboardPage() {
  const timeZone = useTimeZone()
  const { fabrics, orders, posts } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Dashboard</h1>
      <div className="cards">
        <section className="card" aria-labelledby="stock-heading">
          <h2 id="stock-heading">
            <Link to="/fabrics">Fabric stock</Link>
          </h2>
          <dl className="figures">
            <Figure label="In stock" value={fabrics.inStock} note={`of ${formatNumber(fabrics.total)} fabrics`} />
            <Figure label="Low stock" value={fabrics.low} note="at or under their threshold" />
            <Figure label="Out of stock" value={fabrics.out} />
          </dl>
        </section>

        <section className="card" aria-labelledby="orders-heading">
          <h2 id="orders-heading">
            <Link to="/orders">Open orders</Link>
          </h2>
          <dl className="figures">
            <Figure label="Open" value={orders.open} note="pending, processing or shipped" />
            {(['pending', 'processing', 'shipped'] as const).map((s) => (
              <Figure key={s} label={ORDER_STATUS_LABELS[s]} value={orders.byStatus[s]} />
            ))}
          </dl>
        </section>

        <section className="card" aria-labelledby="posts-heading">
          <h2 id="posts-heading">
            <Link to="/calendar">Posts this week</Link>
          </h2>
          <dl className="figures">
            <Figure label="Scheduled in the next 7 days" value={posts.nextSevenDays} />
            <Figure label="Overdue" value={posts.overdue} note="scheduled, not yet published" />
          </dl>
          <h3>Next 7 days</h3>
          <PostList posts={posts.upcoming} empty="Nothing is scheduled for the next 7 days." timeZone={timeZone} />
          <h3>Overdue</h3>
          <PostList posts={posts.overdueList} empty="Nothing is overdue." timeZone={timeZone} />
        </section>
      </div>
    </>
  )
}

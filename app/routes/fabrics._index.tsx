import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation } from '@remix-run/react'
import { z } from 'zod'
import { Confirm } from '~/components/confirm'
import { FabricThumb } from '~/components/fabric-gallery'
import { FieldError, FilterSelect, FormErrors } from '~/components/form'
import { StockMark } from '~/components/stock-mark'
import { RowCheck } from '~/components/row-check'
import {
  fabricFacets,
  listFabrics,
  markOutOfStock,
  parseFabricQuery,
  setArchived,
  setCategory,
} from '~/models/fabric.server'
import { PAGE_SIZE, type FabricSort } from '~/models/fabric-options'
import { requireAdmin, requireUser } from '~/auth/auth.server'
import { env } from '~/services/env.server'
import { redirectWithFlash } from '~/services/flash.server'
import { listUrl } from '~/utils/list-url'
import { formatNumber } from '~/utils/format'
import { formatMoney } from '~/utils/money'
import { searchParamsOf, text } from '~/utils/validation'

export const meta: MetaFunction = () => [{ title: 'Fabrics · Tara Hub' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const query = parseFabricQuery(searchParamsOf(request))
  const [list, facets] = await Promise.all([listFabrics(query), fabricFacets()])
  return { query, list, facets, isAdmin: user.role === 'admin', currency: env().SHOP_CURRENCY }
}

const Bulk = z
  .object({
    operation: z.enum(['category', 'out-of-stock', 'archive', 'restore'], { error: 'Choose what to do.' }),
    category: text().trim().max(80, 'Keep the category under 80 characters.').optional(),
    ids: z.array(z.uuid()).max(PAGE_SIZE, 'Tick at most one page of fabrics.').optional(),
    /** Archiving asks first (components/confirm.tsx): the question's button sends this. */
    confirmed: z.literal('1').optional(),
  })
  .refine((v) => v.ids?.length, { message: 'Tick at least one fabric first.', path: ['ids'] })

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request)
  const submission = parseWithZod(await request.formData(), { schema: Bulk })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const { operation, category, ids = [], confirmed } = submission.value
  if (operation === 'archive' && !confirmed) return { confirmArchive: ids }
  const changed =
    operation === 'category'
      ? await setCategory({ ids, category: category || null })
      : operation === 'out-of-stock'
        ? await markOutOfStock({ ids, userId: user.id })
        : await setArchived({ ids, archived: operation === 'archive' })
  const done = {
    category: category ? `Category set to ${category}` : 'Category cleared',
    'out-of-stock': 'Marked out of stock',
    archive: 'Archived',
    restore: 'Restored',
  }[operation]
  const back = new URL(request.url)
  back.searchParams.delete('index')
  return redirectWithFlash(`/fabrics${back.search}`, `${done}: ${changed} of ${ids.length} fabrics changed.`)
}

const SORT_LABELS: Record<FabricSort, string> = {
  relevance: 'Best match',
  name: 'Name',
  price: 'Price, low to high',
  'price-desc': 'Price, high to low',
  stock: 'Stock, low to high',
  updated: 'Recently updated',
}

const STOCK_OPTIONS = [
  ['in', 'In stock'],
  ['low', 'Low stock'],
  ['out', 'Out of stock'],
] as const

function Filters() {
  const { query, list, facets } = useLoaderData<typeof loader>()
  return (
    <Form method="get" className="filters" role="search" aria-label="Fabrics">
      {query.archived ? <input type="hidden" name="archived" value="1" /> : null}
      <div className="field search">
        <label htmlFor="filter-q">Search</label>
        <input id="filter-q" type="search" name="q" defaultValue={query.q ?? ''} placeholder="Name, tag, fibre…" />
      </div>
      <FilterSelect
        name="category"
        label="Category"
        value={query.category}
        options={facets.categories.map((c) => [c, c])}
      />
      <FilterSelect
        name="subcategory"
        label="Subcategory"
        value={query.subcategory}
        options={facets.subcategories.map((c) => [c, c])}
      />
      <FilterSelect name="stock" label="Stock" value={query.stock} options={STOCK_OPTIONS} />
      <div className="field">
        <label htmlFor="filter-tag">Tag</label>
        <input id="filter-tag" name="tag" defaultValue={query.tag ?? ''} size={10} />
      </div>
      <div className="field">
        <label htmlFor="filter-sort">Sort</label>
        <select id="filter-sort" name="sort" defaultValue={list.sort}>
          {(Object.keys(SORT_LABELS) as FabricSort[])
            .filter((s) => s !== 'relevance' || query.q)
            .map((s) => (
              <option key={s} value={s}>
                {SORT_LABELS[s]}
              </option>
            ))}
        </select>
      </div>
      <button type="submit">Show</button>
    </Form>
  )
}

/** "Archive the ticked fabrics?", with their names, before archiving them. */
function ConfirmArchive({ ids, names }: { ids: string[]; names: Map<string, string> }) {
  const search = new URLSearchParams(useLocation().search)
  search.delete('index')
  const named = ids.map((id) => names.get(id)).filter(Boolean)
  const what = ids.length === 1 && named.length === 1 ? `“${named[0]}”` : `${ids.length} fabrics`
  return (
    <Confirm
      id="archive-fabrics"
      open
      title={`Archive ${what}?`}
      confirmLabel={`Archive ${what}`}
      cancelTo={`/fabrics${search.size ? `?${search}` : ''}`}
      fields={{ operation: 'archive', confirmed: '1', ids }}
    >
      {ids.length > 1 && named.length ? <p>{named.map((name) => `“${name}”`).join(', ')}</p> : null}
      <p>They leave the fabric lists; their stock history and orders stay. You can restore them from the archived fabrics.</p>
    </Confirm>
  )
}

function BulkActions({ facets, archived }: { facets: { categories: string[] }; archived: boolean }) {
  const reply = useActionData<typeof action>()
  const lastResult = reply && 'confirmArchive' in reply ? undefined : reply
  const [form, fields] = useForm<{ operation: string; category: string; ids: string[] }>({ id: 'bulk', lastResult })
  return (
    <Form method="post" className="bulk" aria-labelledby="bulk-title" {...getFormProps(form)}>
      <h2 id="bulk-title" className="visually-hidden">
        Change the ticked fabrics
      </h2>
      <FormErrors id={form.errorId} errors={form.errors} />
      <div className="field">
        <label htmlFor={fields.operation.id}>With the ticked fabrics</label>
        <select
          id={fields.operation.id}
          name={fields.operation.name}
          defaultValue={reply && 'confirmArchive' in reply ? 'archive' : 'category'}
        >
          <option value="category">Set the category to…</option>
          <option value="out-of-stock">Mark out of stock</option>
          {archived ? <option value="restore">Restore</option> : <option value="archive">Archive</option>}
        </select>
        <FieldError id={fields.operation.errorId} errors={fields.operation.errors} />
      </div>
      <div className="field">
        <label htmlFor={fields.category.id}>New category</label>
        <input id={fields.category.id} name={fields.category.name} list="bulk-categories" size={14} />
        <datalist id="bulk-categories">
          {facets.categories.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
      </div>
      <button type="submit">Apply to ticked</button>
      <FieldError id={fields.ids.errorId} errors={fields.ids.errors} />
    </Form>
  )
}

export default function FabricsPage() {
  const { query, list, facets, isAdmin, currency } = useLoaderData<typeof loader>()
  const filtered = Boolean(query.q || query.category || query.subcategory || query.stock || query.tag)
  const exportUrl = listUrl('/fabrics/export.csv', query, { page: undefined })
  const reply = useActionData<typeof action>()
  const confirmArchive = reply && 'confirmArchive' in reply ? reply.confirmArchive : null
  return (
    <>
      <div className="page-head">
        <h1>{query.archived ? 'Archived fabrics' : query.stock === 'low' ? 'Low stock' : 'Fabrics'}</h1>
        <div className="actions">
          {isAdmin ? (
            <>
              <Link className="button" to="/fabrics/new">
                New fabric
              </Link>
              <Link className="button secondary" to="/fabrics/import">
                Import from Etsy
              </Link>
            </>
          ) : null}
          <a className="button secondary" href={exportUrl} download>
            Export CSV
          </a>
        </div>
      </div>
      <p className="views">
        <Link to="/fabrics?stock=low">Low stock</Link>
        {isAdmin ? (
          query.archived ? (
            <Link to="/fabrics">Current fabrics</Link>
          ) : (
            <Link to="/fabrics?archived=1">Archived</Link>
          )
        ) : null}
      </p>
      <Filters />
      <p className="count" role="status">
        {list.total === 0
          ? null
          : `${list.more ? `More than ${formatNumber(list.total)}` : formatNumber(list.total)} fabric${list.total === 1 ? '' : 's'}${filtered ? ' match' : ''}.`}
        {list.broad ? ' That is too many to rank: they are in name order. Add a word to narrow the search.' : null}
      </p>
      {list.items.length === 0 ? (
        <div className="empty">
          {filtered ? (
            <p>
              No fabrics match these filters. <Link to={query.archived ? '/fabrics?archived=1' : '/fabrics'}>Clear the filters</Link>
            </p>
          ) : query.archived ? (
            <p>No archived fabrics.</p>
          ) : (
            <p>
              No fabrics yet.
              {isAdmin ? (
                <>
                  {' '}
                  <Link to="/fabrics/new">Add the first one</Link> or <Link to="/fabrics/import">import your Etsy listings</Link>.
                </>
              ) : null}
            </p>
          )}
        </div>
      ) : (
        <>
          {isAdmin ? <BulkActions facets={facets} archived={query.archived} /> : null}
          {confirmArchive ? <ConfirmArchive ids={confirmArchive} names={new Map(list.items.map((f) => [f.id, f.name]))} /> : null}
          <div className="table-wrap">
            <table className="fabric-list">
              <thead>
                <tr>
                  {isAdmin ? (
                    <th scope="col">
                      <span className="visually-hidden">Tick</span>
                    </th>
                  ) : null}
                  <th scope="col">
                    <span className="visually-hidden">Image</span>
                  </th>
                  <th scope="col">Name</th>
                  <th scope="col">Category</th>
                  <th scope="col" className="num">
                    Price
                  </th>
                  <th scope="col" className="num">
                    Stock
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((f) => (
                  <tr key={f.id}>
                    {isAdmin ? (
                      <td>
                        <RowCheck
                          form="bulk"
                          name="ids"
                          value={f.id}
                          label={`Tick ${f.name}`}
                          defaultChecked={confirmArchive?.includes(f.id)}
                        />
                      </td>
                    ) : null}
                    <td className="thumb-cell">
                      <FabricThumb image={f.thumbnail} name={f.name} />
                    </td>
                    <td>
                      <Link to={`/fabrics/${f.id}`}>{f.name}</Link>
                      {f.sku ? <span className="sku"> {f.sku}</span> : null}
                    </td>
                    <td>
                      {f.category ?? '—'}
                      {f.subcategory ? ` › ${f.subcategory}` : null}
                    </td>
                    <td className="num">{formatMoney(f.price, currency)}</td>
                    <td className="num">
                      {formatNumber(f.stockQuantity)} <StockMark quantity={f.stockQuantity} threshold={f.lowStockThreshold} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="pages" aria-label="Pages">
            {list.page > 1 ? <Link to={listUrl('/fabrics', query, { page: list.page - 1 })}>← Previous</Link> : null}
            <span>
              Page {list.page} of {list.more ? `${list.pages}+` : list.pages}
            </span>
            {list.hasNext ? <Link to={listUrl('/fabrics', query, { page: list.page + 1 })}>Next →</Link> : null}
          </nav>
        </>
      )}
    </>
  )
}

/**
 * A list's address (or its export's) with some parameters changed and the others kept. Empty
 * values, page 1 and each parameter's default (`{ sort: 'newest' }`) are left out, so that every
 * view has one address; `true` is written as "1".
 */
export function listUrl(
  path: string,
  query: object,
  changes: Record<string, string | number | undefined> = {},
  defaults: Record<string, string> = {},
) {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries({ ...query, ...changes }) as [string, unknown][]) {
    if (value === undefined || value === null || value === '' || value === false) continue
    if ((key === 'page' && value === 1) || defaults[key] === value) continue
    params.set(key, value === true ? '1' : String(value))
  }
  const search = params.toString()
  return search ? `${path}?${search}` : path
}

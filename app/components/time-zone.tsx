// The shop's time zone (SHOP_TIMEZONE), which the root loader passes to every page: dates and
// times are shown in it.
import { useRouteLoaderData } from '@remix-run/react'
import type { loader as rootLoader } from '~/root'

export function useTimeZone(): string {
  return useRouteLoaderData<typeof rootLoader>('root')?.timeZone ?? 'UTC'
}

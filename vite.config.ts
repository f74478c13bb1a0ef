import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { vitePlugin as remix } from '@remix-run/dev'
import { defineConfig, type Rollup } from 'vite'

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true
  }
}

const ROUTES_DIR = fileURLToPath(new URL('./app/routes', import.meta.url))

/**
 * The client chunks of the routes that have no page (no default export: downloads, feeds, the
 * health check, sign-out): Remix's Vite plugin builds a browser module for every route, and its
 * manifest names one for each (remix-run/remix#9055), but once the server code is stripped such a
 * route's module is empty. Names as Rollup makes them (its sanitizeFileName: `$` and `[.]` → `_`).
 */
function resourceRouteChunks(): Set<string> {
  return new Set(
    readdirSync(ROUTES_DIR)
      .filter((file) => /\.tsx?$/.test(file) && !/^export default /m.test(readFileSync(`${ROUTES_DIR}/${file}`, 'utf8')))
      // eslint-disable-next-line no-control-regex -- Rollup's own list of characters it replaces in file names
      .map((file) => file.replace(/\.tsx?$/, '').replace(/[\u0000-\u001F"#$%&*+,:;<=>?[\]^`{|}\u007F]/g, '_')),
  )
}

/**
 * The build's warnings, less two that say nothing about this app: the empty client chunk of a
 * route without a page (see above; an empty chunk of any other still warns), and zod's comments
 * that Rollup cannot place (its own explanatory comments next to `@__PURE__`, dropped unchanged).
 */
export function onBuildWarning(
  warning: Rollup.RollupLog,
  warn: (warning: Rollup.RollupLog) => void,
  resourceChunks: Set<string> = resourceRouteChunks(),
) {
  if (warning.code === 'EMPTY_BUNDLE' && warning.names?.every((name) => resourceChunks.has(name))) return
  if (warning.code === 'INVALID_ANNOTATION' && /[\\/]node_modules[\\/]zod[\\/]/.test(warning.id ?? '')) return
  warn(warning)
}

export default defineConfig(() => {
  const resourceChunks = resourceRouteChunks()
  return {
    resolve: { alias: { '~': fileURLToPath(new URL('./app', import.meta.url)) } },
    server: { port: Number(process.env.PORT ?? 3000) },
    build: {
      target: 'es2022',
      rollupOptions: { onwarn: (warning, warn) => onBuildWarning(warning, warn, resourceChunks) },
    },
    plugins: [
      remix({
        future: {
          v3_fetcherPersist: true,
          v3_relativeSplatPath: true,
          v3_throwAbortReason: true,
          v3_singleFetch: true,
          v3_lazyRouteDiscovery: true,
          v3_routeConfig: true,
        },
      }),
    ],
  }
})

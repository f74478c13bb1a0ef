// The built app (`npm run build`): `npm start` builds it when its sources are newer, then loads it.
import { spawnSync } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { pino } from 'pino'
import type * as Entry from '~/entry.server'

/** The build failed: its own output says why. */
export class BuildError extends Error {}

export const SERVER_BUILD = path.resolve('build/server/index.js')

function newestMtime(target: string): number {
  const stat = statSync(target)
  if (!stat.isDirectory()) return stat.mtimeMs
  return readdirSync(target).reduce((m, name) => Math.max(m, newestMtime(path.join(target, name))), 0)
}

/**
 * What the last build printed (Vite's and Rollup's own output), kept for when it is needed; not in
 * build/, which the build removes first.
 */
export const BUILD_LOG = path.resolve('.cache/build.log')

/**
 * The build's own lines. The app's logger (app/services/logger.server.ts) lives in the build, so
 * these come before it exists: they go out in its shape (one JSON object per line, the level as a
 * word), at LOG_LEVEL when it is a valid one (the app refuses the start on an invalid one).
 */
function buildLog() {
  const asked = process.env.LOG_LEVEL?.trim().toLowerCase() ?? ''
  const level = asked in pino.levels.values || asked === 'silent' ? asked : 'info'
  return pino(
    { level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } },
    process.stdout,
  )
}

/**
 * Builds the app when build/ is missing or older than its sources (or when forced): one line while
 * it builds and one when done ("Built in 52 s"); the build's own output goes to BUILD_LOG, and is
 * printed only when the build fails.
 */
export function buildIfNeeded({ force = false }: { force?: boolean } = {}) {
  const sources = ['app', 'vite.config.ts', 'package.json'].map((p) => newestMtime(p))
  const built = existsSync(SERVER_BUILD)
  const stale = !built || statSync(SERVER_BUILD).mtimeMs < Math.max(...sources)
  if (!force && !stale) return
  const log = buildLog()
  log.info(
    !built
      ? 'Building the app (first start only, about a minute)…'
      : stale
        ? 'Rebuilding the app (its files changed; about a minute)…'
        : 'Building the app (about a minute)…',
  )
  const started = performance.now()
  // Its stdout and stderr into the log as they come, in order.
  mkdirSync(path.dirname(BUILD_LOG), { recursive: true })
  const logFile = openSync(BUILD_LOG, 'w')
  let result: ReturnType<typeof spawnSync>
  try {
    result = spawnSync('npx', ['remix', 'vite:build'], { stdio: ['ignore', logFile, logFile], env: { ...process.env, NO_COLOR: '1' } })
  } finally {
    closeSync(logFile)
  }
  const output = readFileSync(BUILD_LOG, 'utf8')
  if (result.status !== 0) {
    // For the person starting the app, as it is (like server/index.ts's one-line failures).
    console.error(output.trimEnd() || String(result.error ?? ''))
    throw new BuildError(`The build failed (see above; also in ${path.relative(process.cwd(), BUILD_LOG)}).`)
  }
  log.info(`Built in ${Math.round((performance.now() - started) / 1000)} s.`)
}

/** What app/entry.server.tsx exports for the server, besides the request handler Remix uses. */
export type AppExports = typeof Entry

/** The server build, and the app modules it exports through its entry module (app/entry.server.tsx). */
export interface LoadedBuild {
  build: ServerBuild
  app: AppExports
}

export async function loadBuild(): Promise<LoadedBuild> {
  const build = (await import(pathToFileURL(SERVER_BUILD).href)) as ServerBuild
  return { build, app: build.entry.module as unknown as AppExports }
}

/**
 * Exits: a failure the user can fix as one clear line of plain text on stderr (for the person
 * starting the app), anything else logged as fatal with its stack (without values); before the
 * build is loaded there is no logger yet, and the error is printed as it is.
 */
export function fail(error: unknown, app?: AppExports): never {
  const known = app ? [app.EnvError, app.PendingMigrationsError, app.AppLoginError] : []
  if (error instanceof BuildError || known.some((type) => error instanceof type)) console.error((error as Error).message)
  else if (app) app.logger().fatal({ err: error }, 'the server could not start')
  else console.error(error)
  process.exit(1)
}

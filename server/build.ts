// The built app (`npm run build`): `npm start` builds it when its sources are newer, then loads it.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import type * as Entry from '~/entry.server'

/** The build failed: its own output says why. */
export class BuildError extends Error {}

export const SERVER_BUILD = path.resolve('build/server/index.js')

function newestMtime(target: string): number {
  const stat = statSync(target)
  if (!stat.isDirectory()) return stat.mtimeMs
  return readdirSync(target).reduce((m, name) => Math.max(m, newestMtime(path.join(target, name))), 0)
}

/** Builds the app when build/ is missing or older than its sources. */
export function buildIfNeeded() {
  const sources = ['app', 'vite.config.ts', 'package.json'].map((p) => newestMtime(p))
  if (existsSync(SERVER_BUILD) && statSync(SERVER_BUILD).mtimeMs >= Math.max(...sources)) return
  console.log('Building the app…')
  const result = spawnSync('npx', ['remix', 'vite:build'], { stdio: 'inherit' })
  if (result.status !== 0) throw new BuildError('The build failed (see above).')
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

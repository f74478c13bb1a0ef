import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { loggableError } from '~/services/db.server'
import { EnvError } from '~/services/env.server'
import { AppLoginError, PendingMigrationsError } from '~/models/startup.server'

/** A failure the user can fix: printed as one line, without a stack. */
export class ScriptError extends Error {}

/** Runs a script's body; a known failure prints one clear line, anything else its stack; exit 1. */
export async function runScript(body: () => Promise<void>) {
  try {
    await body()
  } catch (error) {
    if (error instanceof EnvError || error instanceof ScriptError || error instanceof PendingMigrationsError || error instanceof AppLoginError) console.error(error.message)
    else console.error(loggableError(error))
    process.exit(1)
  }
}

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
  if (result.status !== 0) throw new ScriptError('The build failed (see above).')
}

import { loggableError } from '~/services/db.server'
import { EnvError } from '~/services/env.server'
import { BuildError } from '../server/build'

/** A failure the user can fix: printed as one line, without a stack. */
export class ScriptError extends Error {}

/** Runs a script's body; a known failure prints one clear line, anything else its stack; exit 1. */
export async function runScript(body: () => Promise<void>) {
  try {
    await body()
  } catch (error) {
    if (error instanceof EnvError || error instanceof ScriptError || error instanceof BuildError) console.error(error.message)
    else console.error(loggableError(error))
    process.exit(1)
  }
}

/** The p-th percentile of samples sorted ascending (NaN when there are none). */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
}

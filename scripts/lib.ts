import { EnvError } from '~/services/env.server'

/** Runs a script's body; a failure prints one clear line (no stack for known errors) and exits 1. */
export async function runScript(body: () => Promise<void>) {
  try {
    await body()
  } catch (error) {
    if (error instanceof EnvError) console.error(error.message)
    else console.error(error instanceof Error ? (error.stack ?? error.message) : String(error))
    process.exit(1)
  }
}

// Vitest's global setup: the tests that start the server (scripts, body-limits) run the built app,
// and `npm start` builds first when the build is older than its sources. Built here once, before
// any test file runs: not by two servers at once, and not inside a test's time limit or output
// (a refused start prints one line). Built as `npm start` builds (server/build.ts), so that
// tests/integration/build.test.ts can read what the build printed.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { BUILD_LOG, buildIfNeeded } from '../../server/build'

const ASSETS = 'build/client/assets'

/**
 * What the build in build/ printed, or null when BUILD_LOG is another build's (a build made
 * otherwise, `npm run build` or test:e2e's, writes none): Vite lists every file it writes, and
 * each client file's name carries a hash of its content, so an identical build made otherwise
 * still matches.
 */
export function currentBuildLog(): string | null {
  if (!existsSync(BUILD_LOG) || !existsSync(ASSETS)) return null
  const log = readFileSync(BUILD_LOG, 'utf8')
  const listed = [...log.matchAll(/^build\/client\/assets\/(\S+)/gm)].map((m) => m[1]).sort()
  // All but Remix's route manifest, which it writes after Vite is done.
  const present = readdirSync(ASSETS)
    .filter((name) => !/^manifest-[\da-f]+\.js$/.test(name))
    .sort()
  return listed.length > 0 && listed.join('\n') === present.join('\n') ? log : null
}

export default function setup() {
  buildIfNeeded()
  if (currentBuildLog() === null) buildIfNeeded({ force: true })
}

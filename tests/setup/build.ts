// Vitest's global setup: the tests that start the server (scripts, body-limits) run the built app,
// and `npm start` builds first when the build is older than its sources. Built here once, before
// any test file runs: not by two servers at once, and not inside a test's time limit or output
// (a refused start prints one line).
import { buildIfNeeded } from '../../server/build'

export default function setup() {
  buildIfNeeded()
}

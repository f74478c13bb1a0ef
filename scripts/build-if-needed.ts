// `npm run test:e2e`'s first step: builds the app only when build/ is missing or older than its
// sources (under `npm test`, vitest's setup has just built it), as `npm start` does.
import { buildIfNeeded } from '../server/build'

buildIfNeeded()

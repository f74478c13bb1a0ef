import { defineConfig } from 'vitest/config'
import { fileURLToPath } from 'node:url'

export default defineConfig({
  resolve: { alias: { '~': fileURLToPath(new URL('./app', import.meta.url)) } },
  test: {
    include: ['tests/integration/**/*.test.ts', 'tests/unit/**/*.test.{ts,tsx}'],
    environment: 'node',
    globalSetup: ['tests/setup/build.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two files at a time (this is a 2-core machine): each file has its own databases, ports,
    // Redis keys and process, and most of a file's time is spent waiting on PostgreSQL and child
    // processes. 346 s one file at a time, 180 s two at a time.
    fileParallelism: true,
    maxWorkers: 2,
    minWorkers: 1,
    // The JSON report lets `npm test` print one closing count for all suites.
    reporters: ['default', 'json'],
    outputFile: { json: '.cache/vitest-report.json' },
  },
})

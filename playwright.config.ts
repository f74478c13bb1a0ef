import { tmpdir } from 'node:os'
import path from 'node:path'
import { defineConfig } from '@playwright/test'
import { freePort } from './scripts/free-port'
import { ADMIN_URL, databaseUrl, urlAs } from './scripts/pg-admin'

// This file is evaluated by the runner and again by each worker: values that must agree
// (ports, database names) are chosen once and passed on through the environment.
process.env.E2E_RUN ??= `${Date.now().toString(36)}${process.pid}`
process.env.E2E_PORTS ??= (await Promise.all([1, 2, 3, 4, 5, 6].map(() => freePort()))).join(',')
const [pgPort, embeddedPort, downPort, smtpPort, mailboxPort, fuzzPort] = process.env.E2E_PORTS.split(',').map(Number) as [
  number,
  number,
  number,
  number,
  number,
  number,
]

/** Cookies of the demo admin signed in on every app (tests/e2e/sign-in.setup.ts). */
export const ADMIN_STATE = '.cache/e2e-admin.json'
/** Cookies of the demo admin signed in on the fuzz app only. */
export const FUZZ_ADMIN_STATE = '.cache/e2e-fuzz-admin.json'

const runDatabase = (suffix: string) => databaseUrl(`tara_e2e_${process.env.E2E_RUN}_${suffix}`)

// Each app has its own loopback address, so that their cookies never mix (cookies ignore ports).
export const servers = {
  /** The app on PostgreSQL, migrated and loaded with the demo through the npm scripts. */
  postgres: { url: `http://127.0.0.1:${pgPort}`, databaseUrl: runDatabase('main') },
  /** `npm start` on a bare machine: the embedded database in a fresh directory. */
  embedded: { url: `http://127.0.0.2:${embeddedPort}` },
  /** An app whose database the tests take away. */
  down: { url: `http://127.0.0.3:${downPort}`, databaseUrl: runDatabase('down') },
  /**
   * The app the fuzz test feeds junk to (tests/e2e/fuzz.spec.ts), on its own demo database: what
   * its forms accept (a fabric renamed to an emoji) must not change the data other tests read.
   */
  fuzz: { url: `http://127.0.0.4:${fuzzPort}`, databaseUrl: runDatabase('fuzz') },
  /** The SMTP sink every app sends its mail to, and where tests read it. */
  mailbox: { url: `http://127.0.0.1:${mailboxPort}` },
}

const runDir = path.join(tmpdir(), `tara_e2e_${process.env.E2E_RUN}`)

/** What every app of the run is given (tests read BACKUP_DIR: tests/e2e/jobs.spec.ts). */
export const common = {
  SHOP_CURRENCY: 'USD',
  // Not UTC, so that a calendar entry late in the evening would show on the wrong day if any
  // page grouped by UTC.
  SHOP_TIMEZONE: 'America/New_York',
  SESSION_SECRET: 'e2e-session-secret-that-is-long-enough-000',
  SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
  // Tests give each test its own X-Forwarded-For address, so per-address rate limits apply per test.
  TRUST_PROXY: '1',
  TEST_DATABASE_URL: ADMIN_URL,
  BACKUP_DIR: path.join(runDir, 'backups'),
  // The servers' output is shown with the tests' (stdout: 'pipe'): what went wrong, not a line per
  // request of the thousands the suite sends (no test reads the servers' output).
  LOG_LEVEL: 'warn',
}

function onPostgres(port: number, { url: appUrl, databaseUrl }: { url: string; databaseUrl: string }, seed: boolean, uploads: string) {
  const steps = ['tsx tests/setup/create-database.ts', 'tsx scripts/migrate.ts', seed ? 'tsx scripts/seed.ts' : null]
  return {
    command: [...steps.filter(Boolean), 'tsx server/index.ts'].join(' && '),
    url: `${appUrl}/healthz`,
    env: {
      ...common,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      // The app logs in as a role of its own (db:migrate makes it), as production must.
      APP_DATABASE_URL: urlAs(databaseUrl, `${new URL(databaseUrl).pathname.slice(1)}_app`),
      APP_URL: appUrl,
      ADMIN_EMAIL: 'admin@tara-hub.local',
      UPLOAD_DIR: path.join(runDir, uploads),
    },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe' as const,
  }
}

export default defineConfig({
  testDir: 'tests/e2e',
  globalTeardown: './tests/setup/e2e-teardown.ts',
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  reporter: [[process.env.CI ? 'line' : 'list'], ['json', { outputFile: '.cache/playwright-report.json' }]],
  timeout: 30_000,
  use: {
    javaScriptEnabled: false,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    // Signs the demo admin in on each app once, through the login form and the mailed link.
    { name: 'sign-in', testMatch: /sign-in\.setup\.ts/ },
    {
      name: 'no-js',
      testIgnore: [/\.js\.spec\.ts$/, /fuzz\.spec\.ts$/],
      use: { javaScriptEnabled: false, storageState: ADMIN_STATE },
      dependencies: ['sign-in'],
    },
    // The same flows with JavaScript on: enhancement must never break them.
    {
      name: 'js',
      testMatch: /\.js\.spec\.ts$/,
      use: { javaScriptEnabled: true, storageState: ADMIN_STATE },
      dependencies: ['sign-in'],
    },
    // Every form and query of the fuzz app fed junk, through HTTP requests (no browser page).
    {
      name: 'fuzz',
      testMatch: /fuzz\.spec\.ts$/,
      use: { storageState: FUZZ_ADMIN_STATE, baseURL: servers.fuzz.url },
      dependencies: ['sign-in'],
    },
  ],
  webServer: [
    {
      command: 'tsx tests/setup/smtp-sink.ts',
      url: `${servers.mailbox.url}/health`,
      env: { SMTP_SINK_PORT: String(smtpPort), SMTP_SINK_HTTP_PORT: String(mailboxPort) },
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'pipe',
    },
    onPostgres(pgPort, servers.postgres, true, 'uploads'),
    onPostgres(downPort, servers.down, false, 'uploads-down'),
    onPostgres(fuzzPort, servers.fuzz, true, 'uploads-fuzz'),
    {
      command: 'tsx server/index.ts',
      url: `${servers.embedded.url}/healthz`,
      env: {
        ...common,
        NODE_ENV: '',
        DATABASE_URL: '',
        SESSION_SECRET: '',
        APP_URL: servers.embedded.url,
        PORT: String(embeddedPort),
        ADMIN_EMAIL: 'Owner@Example.com',
        PGLITE_DIR: path.join(runDir, 'pglite'),
        UPLOAD_DIR: path.join(runDir, 'uploads-embedded'),
      },
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'pipe',
    },
  ],
})

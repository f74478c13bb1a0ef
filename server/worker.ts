// `npm run worker`: an instance that runs the background jobs (app/jobs) and serves no pages, for
// a shop whose web instances run with JOBS=off. It needs a database server (DATABASE_URL): the
// embedded database is open in `npm start`, which runs its jobs itself.
import { buildIfNeeded, fail, loadBuild, type LoadedBuild } from './build'

async function work({ app }: LoadedBuild) {
  const e = app.env()
  const log = app.logger()
  if (!e.DATABASE_URL) {
    throw new app.EnvError(
      'npm run worker needs DATABASE_URL: the embedded database is open in `npm start`, which runs the jobs itself.',
    )
  }
  const database = app.createDatabaseFromEnv()
  // Refuses pending migrations and a wrong login, as `npm start` does.
  await app.prepareDatabase(database, { adminEmail: e.ADMIN_EMAIL })
  await app.startJobs(database, { work: true })
  log.info(`Tara Hub worker is running the jobs (${database.driver} database, ${e.JOBS_CONCURRENCY} of each kind at once).`)
  // A stop takes no new jobs and lets the running ones finish (up to SHUTDOWN_TIMEOUT).
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    log.info(`${signal}: stopping (waiting up to ${e.SHUTDOWN_TIMEOUT} s for running jobs)…`)
    void app
      .stopJobs({ timeoutMs: e.SHUTDOWN_TIMEOUT * 1000 })
      .then(() => database.close())
      .finally(() => process.exit(0))
  }
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
}

if (!process.env.NODE_ENV) process.env.NODE_ENV = 'production'
const loaded = await Promise.resolve()
  .then(() => buildIfNeeded())
  .then(loadBuild)
  .catch((error: unknown) => fail(error))
await work(loaded).catch((error: unknown) => fail(error, loaded.app))

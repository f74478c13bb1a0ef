// Part of `npm run db:check`: fails when app/models/schema.ts has changes that no migration in
// drizzle/ holds, or when the installed pg-boss expects another version of its tables. It lets drizzle-kit generate into a copy of drizzle/ and sees whether it wrote anything.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { runScript, ScriptError } from './lib'
import { installedQueueVersion, migratedQueueVersion, queueSchemaProblem } from './queue-schema'

await runScript(async () => {
  // drizzle-kit wants an --out path relative to the project.
  mkdirSync('.cache', { recursive: true })
  const copy = path.relative('.', mkdtempSync(path.join('.cache', 'schema-check-')))
  try {
    cpSync('drizzle', copy, { recursive: true })
    const before = readdirSync(copy).length
    const result = spawnSync(
      'npx',
      ['drizzle-kit', 'generate', '--dialect', 'postgresql', '--schema', './app/models/schema.ts', '--out', copy, '--name', 'drift'],
      { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const output = `${result.stdout}${result.stderr}`
    const unchanged = result.status === 0 && /No schema changes/.test(output) && readdirSync(copy).length === before
    if (!unchanged) {
      throw new ScriptError(
        `schema.ts and drizzle/ disagree: run \`npm run db:generate\` and commit the migration.\n${output.trim()}`,
      )
    }
    console.log('schema.ts and drizzle/ agree.')
    const problem = queueSchemaProblem(migratedQueueVersion(), installedQueueVersion())
    if (problem) throw new ScriptError(problem)
    console.log(`The job queue's tables are at the version pg-boss expects (${installedQueueVersion()}).`)
  } finally {
    rmSync(copy, { recursive: true, force: true })
  }
})

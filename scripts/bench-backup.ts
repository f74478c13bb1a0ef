// Backup and restore, for `npm run bench` on PostgreSQL (budget: the restore takes under 3× the
// backup's time): `npm run db:backup`'s backup of the bench database (with BENCH_SCALE=1: 1M
// orders, 100k fabrics, 2M analytics rows), its size, and its restore into a new, empty database,
// with every table's row count checked, as `npm run db:restore` does.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createBackup } from '~/services/backup/create.server'
import { restoreBackup } from '~/services/backup/restore.server'
import { formatSize } from '~/services/backup/text.server'
import { dropDatabases, recreateDatabase } from './pg-admin'

export async function benchBackup({ url, adminUrl }: { url: string; adminUrl: string }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tara-bench-backup-'))
  const target = `tara_bench_restore_${Date.now().toString(36)}`
  try {
    let started = performance.now()
    const backup = await createBackup({ url, dir, keep: 1 })
    const backupMs = performance.now() - started
    if (!backup.created) throw new Error(backup.reason)
    const targetUrl = await recreateDatabase(target, adminUrl)
    started = performance.now()
    const restored = await restoreBackup({ file: backup.backup.path, url: targetUrl })
    const restoreMs = performance.now() - started
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`
    console.log(
      `\nBackup and restore (${restored.rows.toLocaleString('en-GB')} rows in ${Object.keys(restored.tables).length} tables):\n` +
        `  backup ${s(backupMs)}, ${formatSize(backup.backup.size)} (pg_dump -Fc); ` +
        `restore into an empty database ${s(restoreMs)} ` +
        `(${restored.method === 'parallel' ? 'pg_restore in parallel' : 'one transaction'}), ` +
        `counts checked: ${(restoreMs / backupMs).toFixed(2)}× the backup (budget 3×)`,
    )
  } finally {
    await dropDatabases([target], adminUrl)
    rmSync(dir, { recursive: true, force: true })
  }
}

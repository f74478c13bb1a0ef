// Off-site copies against a local S3-compatible server (s3rver) on a free port: a small file in
// one request and a large one in parts come back byte for byte; the URL is read strictly; a
// backup of the demo goes to S3 (weekly ones apart) and restores from there into a fresh database.
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import S3rver from 's3rver'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { loadDemo } from '~/seed/demo.server'
import { tableRowCounts } from '~/services/backup/database.server'
import { fetchBackup, runBackup } from '~/services/backup/jobs.server'
import { restoreBackup } from '~/services/backup/restore.server'
import { downloadFromS3, listS3, uploadToS3 } from '~/services/backup/s3.server'
import { parseS3Url, type S3Target } from '~/services/backup/s3-url'
import { createDatabase } from '~/services/db.server'
import { createPgDatabase } from '../setup/databases'
import { freePort } from '../../scripts/free-port'

vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER')
vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER')

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

describe('off-site copies in S3', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tara-s3-'))
  let server: S3rver
  let target: S3Target

  beforeAll(async () => {
    const port = await freePort()
    server = new S3rver({
      address: '127.0.0.1',
      port,
      silent: true,
      directory: path.join(dir, 'bucket-store'),
      configureBuckets: [{ name: 'shop-backups', configs: [] }],
    })
    await server.run()
    const parsed = parseS3Url(`s3://shop-backups/tara/daily?endpoint=http://127.0.0.1:${port}`)
    if (parsed instanceof Error) throw parsed
    target = parsed
  })
  afterAll(async () => {
    await server?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('reads BACKUP_S3_URL strictly', () => {
    expect(parseS3Url('s3://b/p/q/?endpoint=http://h:9000')).toEqual({ bucket: 'b', prefix: 'p/q/', endpoint: 'http://h:9000' })
    expect(parseS3Url('s3://b')).toEqual({ bucket: 'b', prefix: '', endpoint: undefined })
    expect(parseS3Url('https://b/p')).toBeInstanceOf(Error)
    expect((parseS3Url('s3://key:secret@b/p') as Error).message).toMatch(/must not hold credentials/)
    expect(parseS3Url('s3://b/p?endpoint=ftp://h')).toBeInstanceOf(Error)
  })

  it('uploads a small file and a large one (in parts), and downloads both byte for byte', async () => {
    const small = path.join(dir, 'small.json')
    writeFileSync(small, JSON.stringify({ rows: { orders: 3 } }))
    const large = path.join(dir, 'large.dump')
    writeFileSync(large, randomBytes(20 * 1024 * 1024 + 123))
    await uploadToS3(target, small, 'tara-1.json')
    await uploadToS3(target, large, 'tara-1.dump')
    expect(await listS3(target)).toEqual(['tara-1.dump', 'tara-1.json'])
    for (const [name, original] of [
      ['tara-1.json', small],
      ['tara-1.dump', large],
    ] as const) {
      const back = path.join(dir, `back-${name}`)
      await downloadFromS3(target, name, back)
      expect(sha256(back)).toBe(sha256(original))
    }
    await expect(downloadFromS3(target, 'missing.dump', path.join(dir, 'x'))).rejects.toThrow()
  })

  it('copies each backup to BACKUP_S3_URL (weekly ones apart), and restores from there', async () => {
    const source = await createPgDatabase()
    const copy = await createPgDatabase()
    // Before anything reads the environment (it is read once).
    const backups = path.join(dir, 'local-backups')
    vi.stubEnv('DATABASE_URL', source.url)
    vi.stubEnv('BACKUP_DIR', backups)
    vi.stubEnv('BACKUP_S3_URL', `s3://shop-backups/shop-a?endpoint=${target.endpoint}`)
    const handle = createDatabase({ url: source.url, poolMax: 2, owner: true })
    try {
      await handle.migrate()
      await loadDemo(handle.db)
      const counts = await tableRowCounts(handle.db)
      const daily = await runBackup()
      const weekly = await runBackup({ weekly: true })
      if (!daily.created || !weekly.created) throw new Error('no backup made')
      expect(daily.offsite).toBe(`s3://shop-backups/shop-a/${daily.backup.name}`)
      expect(weekly.offsite).toBe(`s3://shop-backups/shop-a/weekly/${weekly.backup.name}`)
      const shopA = { ...target, prefix: 'shop-a/' }
      const stem = (name: string) => name.replace(/\.dump$/, '')
      expect(await listS3(shopA)).toEqual(
        [`${stem(daily.backup.name)}.dump`, `${stem(daily.backup.name)}.json`, `weekly/${stem(weekly.backup.name)}.dump`, `weekly/${stem(weekly.backup.name)}.json`].sort(),
      )
      // The local copies are gone (a lost machine): the restore reads S3.
      rmSync(backups, { recursive: true, force: true })
      const fetched = await fetchBackup(daily.offsite!)
      try {
        const restored = await restoreBackup({ file: fetched.file, url: copy.url })
        expect(restored.tables).toEqual(counts)
      } finally {
        fetched.cleanup()
      }
      const check = createDatabase({ url: copy.url, poolMax: 1, owner: true })
      try {
        expect(await tableRowCounts(check.db)).toEqual(counts)
      } finally {
        await check.close()
      }
    } finally {
      await handle.close()
      await source.drop()
      await copy.drop()
    }
  })
})

// The Etsy listings import at scale (DESIGN.md §8: 100k rows in under 30 s): generates a
// listings file with tests/fixtures/etsy/generate.py, then previews it (the plan) and confirms
// it (staged, planned again under the lock, and written in one transaction) on the database
// `db` points at. Called by scripts/bench.ts.
import { execFileSync } from 'node:child_process'
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { parse } from 'csv-parse'
import { stringify } from 'csv-stringify'
import {
  confirmListingsImport,
  discardListingsUpload,
  previewListingsImport,
  storeListingsFile,
} from '~/models/etsy-listings.server'
import { env } from '~/services/env.server'

const GENERATOR = path.resolve('tests/fixtures/etsy/generate.py')

/** The generator writes dollars; the shop may keep another currency (not part of the timing). */
async function inCurrency(file: string, currency: string): Promise<string> {
  if (currency === 'USD') return file
  const converted = `${file}.${currency}.csv`
  let header = true
  await pipeline(
    createReadStream(file),
    parse(),
    new Transform({
      objectMode: true,
      transform(record: string[], _encoding, done) {
        if (!header) record[3] = currency
        header = false
        done(null, record)
      },
    }),
    stringify({ record_delimiter: 'windows', quote_record_delimiter: true }),
    createWriteStream(converted),
  )
  return converted
}

/** `seed` picks the generated values: the same seed twice is the same file, another changes every row. */
export async function benchImport({
  rows,
  seed = 7,
}: {
  rows: number
  seed?: number
}): Promise<{ rows: number; planMs: number; importMs: number; fileBytes: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tara-bench-import-'))
  let uploadId: string | undefined
  try {
    execFileSync('python3', [GENERATOR, dir, '--listings', String(rows), '--orders', '0', '--seed', String(seed)], { stdio: 'ignore' })
    const file = await inCurrency(path.join(dir, 'EtsyListingsDownload.csv'), env().SHOP_CURRENCY)
    const fileBytes = statSync(file).size
    uploadId = await storeListingsFile({ file })

    let started = performance.now()
    const preview = await previewListingsImport({ uploadId })
    const planMs = Math.round(performance.now() - started)
    if (!preview.ok) throw new Error(`the generated file was refused: ${preview.problem}`)
    if (preview.preview.counts.errors > 0) {
      throw new Error(`the generated file has errors: ${preview.preview.errors[0]?.message ?? ''}`)
    }

    started = performance.now()
    const result = await confirmListingsImport({ uploadId, digest: preview.preview.digest, userId: null })
    const importMs = Math.round(performance.now() - started)
    if (!result.ok) throw new Error(`the import did not happen: ${JSON.stringify(result.problem)}`)
    return { rows, planMs, importMs, fileBytes }
  } finally {
    if (uploadId) await discardListingsUpload({ uploadId })
    rmSync(dir, { recursive: true, force: true })
  }
}

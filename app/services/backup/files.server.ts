// Writing a backup's files so that they survive a crash (synced, then renamed), and hashing them.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import fs from 'node:fs/promises'
import { writeFailure } from './errors.server'

export async function writeDurably(file: string, data: string | Uint8Array) {
  const handle = await fs.open(file, 'w', 0o600)
  try {
    await handle.writeFile(data)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

export async function syncDirectory(dir: string) {
  const handle = await fs.open(dir, 'r')
  try {
    await handle.sync()
  } catch {
    // Some file systems cannot sync a directory; the rename is done either way.
  } finally {
    await handle.close()
  }
}

export async function sha256File(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer)
    size += (chunk as Buffer).length
  }
  return { sha256: hash.digest('hex'), size }
}

/** Makes `dir` and checks that files can be made in it, before any dumping starts. */
export async function ensureWritableDirectory(dir: string) {
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 })
    await fs.access(dir, fs.constants.W_OK | fs.constants.X_OK)
  } catch (error) {
    throw writeFailure(error, dir) ?? error
  }
}

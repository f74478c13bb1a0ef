// The failures of a backup or a restore that the user can fix, as one clear line each; and the
// file-system errors (a full disk, a read-only directory) told in words.

/** A failure the user can fix (a full disk, a refused target, a corrupt file): one clear line. */
export class BackupError extends Error {
  override name = 'BackupError'
}

const FS_CAUSES: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'a file is in the way',
  ENOENT: 'the directory does not exist',
  EIO: 'an input/output error',
  EISDIR: 'a directory is in the way',
}

export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

export class FileSystemFailure extends Error {
  constructor(readonly code: string, message: string) {
    super(message)
  }
}

/** A file-system failure while writing into `dir`, as one line that names the directory and the cause. */
export function writeFailure(error: unknown, dir: string): BackupError | undefined {
  const code = errnoCode(error)
  if (!code || !FS_CAUSES[code]) return undefined
  return new BackupError(`Cannot write the backup to ${dir}: ${FS_CAUSES[code]} (${code}).`)
}

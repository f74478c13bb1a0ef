// The structure holds (docs/decisions/0009-layers-and-folders.md): no source file in app/ or server/ over
// MAX_LINES, so that a file stays one job a newcomer can read through. The import rules and the
// ban on import cycles are lint rules (eslint.config.js); this is the one rule lint cannot say.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const MAX_LINES = 600

/** Files allowed to be longer, each with its reason: the schema, and data that is only literals. */
const EXEMPT: Record<string, string> = {
  'app/models/schema.ts': 'every table, enum, index and relation: the one source of the schema',
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(file)
    return /\.(ts|tsx)$/.test(entry.name) ? [file] : []
  })
}

const roots = ['app', 'server']
const files = roots.flatMap((root) => sourceFiles(root)).map((file) => file.split(path.sep).join('/'))
const lineCount = (file: string) => readFileSync(file, 'utf8').match(/\n/g)?.length ?? 0

/**
 * The paths the README's "Map of the code" names: a line at the left margin names a top-level
 * path (`app/`, `drizzle/`…), an indented line a path inside the last top-level folder.
 */
function mapPaths(): string[] {
  const readme = readFileSync('README.md', 'utf8')
  const block = /## Map of the code\n[\s\S]*?```\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
  let folder = ''
  return block
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const name = line.trim().split(/\s+/)[0]!
      if (!line.startsWith(' ')) {
        folder = name.endsWith('/') ? name : ''
        return name
      }
      return folder + name
    })
}

/** A map path may hold `*` (any characters but a slash) and `{a,b}` (either). */
function matcher(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+?^$()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\{([^}]*)\}/g, (_all, choices: string) => `(${choices.split(',').join('|')})`)
  return new RegExp(`^${escaped}${pattern.endsWith('/') ? '' : '$'}`)
}

describe('the structure', () => {
  it('finds the source files', () => {
    expect(files).toContain('app/root.tsx')
    expect(files.some((file) => file.startsWith('server/'))).toBe(true)
  })

  it(`keeps every source file at most ${MAX_LINES} lines, but the exempt ones`, () => {
    const long = files
      .filter((file) => !(file in EXEMPT))
      .map((file) => ({ file, lines: lineCount(file) }))
      .filter(({ lines }) => lines > MAX_LINES)
    expect(long).toEqual([])
  })

  it('exempts only files that exist', () => {
    expect(Object.keys(EXEMPT).filter((file) => !files.includes(file))).toEqual([])
  })

  it("names only what exists in the README's map of the code", () => {
    const tracked = [...roots, 'scripts', 'tests', 'drizzle', 'docs', 'public'].filter((root) => existsSync(root)).flatMap(listAll)
    const paths = mapPaths()
    expect(paths.length).toBeGreaterThan(20)
    const missing = paths.filter((p) => !tracked.some((file) => matcher(p).test(file)))
    expect(missing).toEqual([])
  })

  it("names every folder of app/ and server/ in the README's map of the code", () => {
    const paths = mapPaths()
    const folders = [...new Set(files.map((file) => path.posix.dirname(file)))].filter((dir) => dir !== 'app')
    const unnamed = folders.filter((dir) => !paths.some((p) => p === `${dir}/` || p.startsWith(`${dir}/`)))
    expect(unnamed).toEqual([])
  })
})

function listAll(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = `${dir}/${entry.name}`
    return entry.isDirectory() ? [`${file}/`, ...listAll(file)] : [file]
  })
}

// The build `npm start` runs on a first start (server/build.ts) says nothing but one line before and
// one after; what Vite and Rollup print goes to .cache/build.log, which holds no warning about this
// app's own code or its routes without a page. The log read here is the build the global setup
// made or found (tests/setup/build.ts): no second build.
import { describe, expect, it } from 'vitest'
import { onBuildWarning } from '../../vite.config'
import { currentBuildLog } from '../setup/build'

describe('the build', () => {
  it('prints no Rollup warning: no empty chunk for the routes without a page, no comment it cannot place', () => {
    const log = currentBuildLog()
    expect(log, '.cache/build.log is the build in build/').not.toBeNull()
    expect(log).toMatch(/✓ built in/)
    expect(log).not.toMatch(/Generated an empty chunk/)
    expect(log).not.toMatch(/contains an annotation that Rollup cannot interpret/)
    expect(log).not.toMatch(/^\(!\)/m)
  })

  it('drops only those two warnings: an empty chunk of a page, or a comment in our own code, still warns', () => {
    const kept: string[] = []
    const warn = (w: { message: string }) => kept.push(w.message)
    const empty = (name: string) => ({ code: 'EMPTY_BUNDLE', message: `Generated an empty chunk: "${name}".`, names: [name] })
    const annotation = (id: string) => ({ code: 'INVALID_ANNOTATION', message: `A comment in ${id}`, id })
    // Routes without a page, as Rollup names their chunks ($ and [.] become _).
    for (const name of ['healthz', 'logout', 'calendar._feed', 'fabrics.export_._csv', 'admin.backups._name']) {
      onBuildWarning(empty(name), warn)
    }
    onBuildWarning(annotation('/srv/app/node_modules/zod/v4/core/util.js'), warn)
    expect(kept).toEqual([])

    onBuildWarning(empty('fabrics._index'), warn)
    onBuildWarning(empty('entry.client'), warn)
    onBuildWarning(annotation('/srv/app/app/models/fabric.server.ts'), warn)
    onBuildWarning({ code: 'CIRCULAR_DEPENDENCY', message: 'Circular dependency' }, warn)
    expect(kept).toEqual([
      'Generated an empty chunk: "fabrics._index".',
      'Generated an empty chunk: "entry.client".',
      'A comment in /srv/app/app/models/fabric.server.ts',
      'Circular dependency',
    ])
  })
})

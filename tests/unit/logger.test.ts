// The logger (app/services/logger.server.ts): the level it is given, the context's fields on the
// lines logged inside withLogContext and only there, and what never reaches a line.
import { setImmediate as nextTurn, setTimeout as timer } from 'node:timers/promises'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLogger, loggablePath, withLogContext, type LoggerSettings } from '~/services/logger.server'
import { logLines } from '../setup/logs'

/** A logger writing into an array, and its lines parsed. */
function capture(settings: Partial<LoggerSettings> = {}) {
  const written: string[] = []
  const log = createLogger({ level: 'info', ...settings, destination: { write: (line: string) => written.push(line) } })
  return { log, written, lines: () => logLines(written.join('')) }
}

describe('the logger', () => {
  it('writes one JSON line per call: level as a word, ISO time, message', () => {
    const { log, written, lines } = capture()
    log.info({ fabrics: 3 }, 'hello')
    expect(written).toHaveLength(1)
    expect(written[0]!.endsWith('\n')).toBe(true)
    expect(lines()).toEqual([
      { level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), pid: process.pid, fabrics: 3, msg: 'hello' },
    ])
  })

  it.each([
    ['warn', ['fatal', 'error', 'warn']],
    ['info', ['fatal', 'error', 'warn', 'info']],
    ['debug', ['fatal', 'error', 'warn', 'info', 'debug']],
    ['trace', ['fatal', 'error', 'warn', 'info', 'debug', 'trace']],
    ['silent', []],
  ] as const)('at level %s writes only %j', (level, expected) => {
    const { log, lines } = capture({ level })
    for (const at of ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const) log[at](`a ${at} line`)
    expect(lines().map((line) => line.level)).toEqual(expected)
  })

  it('puts the context fields on lines logged inside withLogContext, through awaits, and on no other', async () => {
    const { log, lines } = capture()
    log.info('before')
    await withLogContext({ requestId: 'req-1' }, async () => {
      log.info({ extra: 1 }, 'inside, at once')
      await timer(0)
      log.info('inside, after an await')
      // A job started from a request: its fields are added to the request's.
      await withLogContext({ jobId: 'job-7', job: 'mail-delivery' }, async () => {
        await Promise.resolve()
        log.warn('in the job')
      })
      log.info('back in the request')
    })
    log.info('after')
    expect(lines().map(({ msg, requestId, jobId, job, extra }) => ({ msg, requestId, jobId, job, extra }))).toEqual([
      { msg: 'before', requestId: undefined, jobId: undefined, job: undefined, extra: undefined },
      { msg: 'inside, at once', requestId: 'req-1', jobId: undefined, job: undefined, extra: 1 },
      // A line's own fields never stick to the context.
      { msg: 'inside, after an await', requestId: 'req-1', jobId: undefined, job: undefined, extra: undefined },
      { msg: 'in the job', requestId: 'req-1', jobId: 'job-7', job: 'mail-delivery', extra: undefined },
      { msg: 'back in the request', requestId: 'req-1', jobId: undefined, job: undefined, extra: undefined },
      { msg: 'after', requestId: undefined, jobId: undefined, job: undefined, extra: undefined },
    ])
  })

  it('keeps concurrent contexts apart, and returns what the function returns', async () => {
    const { log, lines } = capture()
    // Each step waits a number of event-loop turns, so that the two jobs' steps interleave.
    const run = (jobId: string, turns: number[]) =>
      withLogContext({ jobId, job: 'test' }, async () => {
        for (const [step, count] of turns.entries()) {
          for (let i = 0; i < count; i++) await nextTurn()
          log.info(`${jobId} step ${step}`)
        }
        return jobId.toUpperCase()
      })
    expect(await Promise.all([run('a', [1, 3, 1]), run('b', [2, 1, 3])])).toEqual(['A', 'B'])
    const seen = lines()
    expect(seen.map((line) => line.msg)).toEqual(['a step 0', 'b step 0', 'b step 1', 'a step 1', 'a step 2', 'b step 2'])
    for (const line of seen) expect(line.msg.startsWith(`${line.jobId as string} `)).toBe(true)
    expect(withLogContext({ requestId: 'r' }, () => 42)).toBe(42)
  })

  it('never writes cookies, authorization, emails, tokens or an error’s bound values', () => {
    const { log, written } = capture()
    log.info({ headers: { cookie: 'tara_session=abc123', authorization: 'Bearer xyz789', host: 'shop.example' } }, 'headers')
    log.info({ req: { headers: { cookie: 'tara_session=def456' } } }, 'request headers')
    log.info({ email: 'plain@example.com' }, 'a field named email')
    log.info('sent to ana@example.com with /login/link?token=QWERTYUIOPASDFGHJKLZXCVBNMqwertyuiopasdfghj')
    // An error whose message holds a query's bound values (what Drizzle's errors do).
    const failed = Object.assign(new Error('Failed query: insert into "users" ("email") values ($1)\nparams: bound@example.com'), {
      query: 'insert into "users" ("email") values ($1)',
      params: ['bound@example.com'],
    })
    log.error({ err: failed }, 'insert failed')
    log.error(failed)
    const text = written.join('')
    for (const secret of ['abc123', 'xyz789', 'def456', 'plain@', 'ana@', 'QWERTYUIOP', 'bound@', 'params:']) {
      expect(text).not.toContain(secret)
    }
    const lines = logLines(text)
    expect(lines[0]).toMatchObject({ headers: { cookie: '[redacted]', authorization: '[redacted]', host: 'shop.example' } })
    expect(lines[3]!.msg).toBe('sent to <email> with /login/link?token=<token>')
    expect(lines[4]).toMatchObject({
      msg: 'insert failed',
      err: { type: 'Error', message: 'Failed query: insert into "users" ("email") values ($1)', stack: expect.stringContaining('    at ') },
    })
    // An error logged alone: its summary is the message, never its own text.
    expect(lines[5]!.msg).toBe('Failed query: insert into "users" ("email") values ($1)')
  })

  it('writes readable lines instead of JSON when told to be pretty (NODE_ENV=development)', () => {
    const { log, written } = capture({ pretty: true })
    withLogContext({ requestId: 'req-9' }, () => log.warn('database unavailable: /fabrics'))
    const text = written.join('')
    expect(text).toMatch(/WARN.*database unavailable: \/fabrics/)
    expect(text).toContain('requestId: "req-9"')
    expect(() => JSON.parse(text)).toThrow()
  })

  it('logs a path without its query string, and an escaped @ as one', () => {
    expect(loggablePath('/fabrics?q=secret-term')).toBe('/fabrics')
    expect(loggablePath('/users/ana%40example.com')).toBe('/users/ana@example.com')
    expect(loggablePath(`/${'x'.repeat(500)}`)).toHaveLength(201)
  })
})

describe('logger(), the app’s one logger', () => {
  afterEach(() => {
    vi.unstubAllEnvs()
    vi.resetModules()
  })

  it('takes its level from LOG_LEVEL, info when unset', async () => {
    vi.stubEnv('LOG_LEVEL', 'warn')
    vi.resetModules()
    expect((await import('~/services/logger.server')).logger().level).toBe('warn')
    vi.stubEnv('LOG_LEVEL', '')
    vi.resetModules()
    expect((await import('~/services/logger.server')).logger().level).toBe('info')
  })
})

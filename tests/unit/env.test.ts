import { describe, expect, it } from 'vitest'
import { EnvError, parseEnv } from '~/services/env.server'

describe('environment', () => {
  it('has working defaults for a bare machine', () => {
    const env = parseEnv({})
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      PGLITE_DIR: './data/pglite',
      DB_POOL_MAX: 20,
      APP_URL: 'http://localhost:3000',
      PORT: 3000,
      LOW_STOCK_THRESHOLD: 5,
      SHOP_CURRENCY: 'GBP',
      UPLOAD_DIR: './data/uploads',
    })
    expect(env.DATABASE_URL).toBeUndefined()
    // Without APP_URL, the app's address follows PORT (links, the printed address, the Origin check).
    expect(parseEnv({ PORT: '4101' }).APP_URL).toBe('http://localhost:4101')
    expect(parseEnv({ PORT: '4101', APP_URL: '' }).APP_URL).toBe('http://localhost:4101')
    expect(parseEnv({ PORT: '4101', APP_URL: 'https://hub.example.com/' }).APP_URL).toBe('https://hub.example.com')
    expect(parseEnv({ SHOP_CURRENCY: 'usd' }).SHOP_CURRENCY).toBe('USD')
    expect(() => parseEnv({ SHOP_CURRENCY: 'dollars' })).toThrow(/SHOP_CURRENCY must be a three-letter currency code/)
  })

  it('reads every variable it knows', () => {
    const env = parseEnv({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://u:p@ep-x.eu-central-1.aws.neon.tech/db?sslmode=require',
      DB_POOL_MAX: '7',
      APP_URL: 'https://hub.example.com/some/path',
      PORT: '8080',
      SESSION_SECRET: 'x'.repeat(32),
      SMTP_URL: 'smtp://user:pass@mail.example.com:587',
      MAIL_FROM: 'Shop <shop@example.com>',
      ADMIN_EMAIL: 'Owner@Example.com',
      REDIS_URL: 'redis://127.0.0.1:6379',
    })
    expect(env.DB_POOL_MAX).toBe(7)
    expect(env.PORT).toBe(8080)
    expect(env.APP_URL).toBe('https://hub.example.com')
    expect(env.ADMIN_EMAIL).toBe('owner@example.com')
  })

  it('logs at info unless LOG_LEVEL says another of pino’s levels', () => {
    expect(parseEnv({}).LOG_LEVEL).toBe('info')
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) expect(parseEnv({ LOG_LEVEL: level }).LOG_LEVEL).toBe(level)
    expect(parseEnv({ LOG_LEVEL: ' Debug ' }).LOG_LEVEL).toBe('debug')
    expect(() => parseEnv({ LOG_LEVEL: 'verbose' })).toThrow('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent')
  })

  it('reads the job queue and its schedule, in words a shop can type', () => {
    const defaults = parseEnv({})
    expect(defaults).toMatchObject({ JOBS: 'on', JOBS_CONCURRENCY: 1, BACKUP_AT: '03:30', BACKUP_WEEKLY_ON: 'sunday', ROLLUP_EVERY: 15, SHUTDOWN_TIMEOUT: 30 })
    expect([defaults.JOB_TIMEOUT_SECONDS, defaults.BACKUP_CRON, defaults.ROLLUP_CRON]).toEqual([undefined, undefined, undefined])
    expect(parseEnv({ BACKUP_AT: '5:05', BACKUP_WEEKLY_ON: ' Friday ', BACKUP_CRON: '0 */6 * * *', JOBS: 'off' })).toMatchObject({
      BACKUP_AT: '5:05',
      BACKUP_WEEKLY_ON: 'friday',
      BACKUP_CRON: '0 */6 * * *',
      JOBS: 'off',
    })
    expect(() => parseEnv({ BACKUP_AT: '24:00' })).toThrow('BACKUP_AT must be a time of day such as 03:30')
    expect(() => parseEnv({ BACKUP_WEEKLY_ON: 'funday' })).toThrow('BACKUP_WEEKLY_ON must be a day of the week such as sunday')
    expect(() => parseEnv({ BACKUP_CRON: 'every day' })).toThrow(/BACKUP_CRON must be a cron expression of five fields/)
    expect(() => parseEnv({ ROLLUP_CRON: '61 * * * *' })).toThrow(/ROLLUP_CRON must be a cron expression/)
    expect(() => parseEnv({ BACKUP_CRON: '0 0 * * * *' })).toThrow(/BACKUP_CRON must be a cron expression of five fields/)
  })

  it('trusts no proxy unless told, and takes production on the embedded database without SMTP', () => {
    expect(parseEnv({}).TRUST_PROXY).toBe(0)
    expect(parseEnv({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1)
    expect(parseEnv({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) }).SMTP_URL).toBeUndefined()
  })

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL'],
    [{ APP_URL: 'not a url' }, 'APP_URL'],
    [{ DB_POOL_MAX: '0' }, 'DB_POOL_MAX'],
    [{ ADMIN_EMAIL: 'nobody' }, 'ADMIN_EMAIL'],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ NODE_ENV: 'production' }, 'SESSION_SECRET'],
    [{ TRUST_PROXY: 'yes' }, 'TRUST_PROXY'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL'],
    [{ JOBS: 'maybe' }, 'JOBS'],
    [{ JOBS_CONCURRENCY: '0' }, 'JOBS_CONCURRENCY'],
    [{ JOB_TIMEOUT_SECONDS: '1' }, 'JOB_TIMEOUT_SECONDS'],
    [{ JOB_RETRY_DELAY_SECONDS: '0' }, 'JOB_RETRY_DELAY_SECONDS'],
    [{ ROLLUP_EVERY: '90' }, 'ROLLUP_EVERY'],
    [{ SHUTDOWN_TIMEOUT: 'soon' }, 'SHUTDOWN_TIMEOUT'],
    // Sign-in links go by email in production; only the embedded demo prints them.
    [{ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), DATABASE_URL: 'postgres://db/x' }, 'SMTP_URL'],
  ])('stops on a bad value and names the variable: %o', (source, name) => {
    expect(() => parseEnv(source)).toThrow(EnvError)
    expect(() => parseEnv(source)).toThrow(new RegExp(`\\b${name}\\b`))
  })

  it('reads the backups’ settings: where, how many, the off-site copy and its region', () => {
    expect(parseEnv({})).toMatchObject({
      BACKUP_DIR: './backups',
      BACKUP_KEEP: 14,
      BACKUP_KEEP_WEEKLY: 8,
      AWS_REGION: 'us-east-1',
    })
    expect(parseEnv({}).BACKUP_S3_URL).toBeUndefined()
    const env = parseEnv({
      BACKUP_DIR: '/srv/backups',
      BACKUP_KEEP: '30',
      BACKUP_KEEP_WEEKLY: '4',
      BACKUP_S3_URL: 's3://shop-backups/tara/daily?endpoint=https://s3.example.com',
      AWS_REGION: 'eu-west-2',
    })
    expect(env).toMatchObject({ BACKUP_DIR: '/srv/backups', BACKUP_KEEP: 30, BACKUP_KEEP_WEEKLY: 4, AWS_REGION: 'eu-west-2' })
    expect(env.BACKUP_S3_URL).toEqual({ bucket: 'shop-backups', prefix: 'tara/daily/', endpoint: 'https://s3.example.com' })
    // AWS_DEFAULT_REGION stands in for AWS_REGION, which wins when both are set.
    expect(parseEnv({ AWS_DEFAULT_REGION: 'eu-central-1' }).AWS_REGION).toBe('eu-central-1')
    expect(parseEnv({ AWS_DEFAULT_REGION: 'eu-central-1', AWS_REGION: 'auto' }).AWS_REGION).toBe('auto')
    expect(parseEnv({ AWS_DEFAULT_REGION: 'eu-central-1' })).not.toHaveProperty('AWS_DEFAULT_REGION')
  })

  it.each([
    [{ BACKUP_DIR: '   ' }, /BACKUP_DIR Too small/],
    [{ BACKUP_KEEP: 'lots' }, /BACKUP_KEEP Invalid input: expected number/],
    [{ BACKUP_KEEP: '0' }, /BACKUP_KEEP Too small: expected number to be >=1/],
    [{ BACKUP_KEEP_WEEKLY: '2.5' }, /BACKUP_KEEP_WEEKLY Invalid input: expected int/],
    [{ BACKUP_S3_URL: 'https://shop-backups/tara' }, /BACKUP_S3_URL must look like s3:\/\/bucket\/prefix$/],
    [{ BACKUP_S3_URL: 's3://b/p?endpoint=ftp://h' }, /BACKUP_S3_URL endpoint must be an http\(s\) address$/],
    [{ AWS_REGION: 'eu west 2' }, /AWS_REGION must be a region name such as eu-west-2$/],
    [{ AWS_DEFAULT_REGION: 'eu-west-' }, /AWS_DEFAULT_REGION must be a region name such as eu-west-2$/],
  ])('stops on a bad backup setting with its message: %o', (source, message) => {
    expect(() => parseEnv(source)).toThrow(EnvError)
    expect(() => parseEnv(source)).toThrow(message)
  })

  it('refuses keys in BACKUP_S3_URL without repeating them', () => {
    expect(() => parseEnv({ BACKUP_S3_URL: 's3://AKIAEXAMPLE:wJalrXUtn@shop-backups/tara' })).toThrow(
      /^Invalid environment: BACKUP_S3_URL must not hold credentials: use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY$/,
    )
  })

  it('never repeats a secret in its message', () => {
    const secret = 'hunter2-but-short'
    let message = ''
    try {
      parseEnv({ SESSION_SECRET: secret, DATABASE_URL: 'mysql://admin:s3cret@host/db' })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(/SESSION_SECRET.*DATABASE_URL|DATABASE_URL.*SESSION_SECRET/)
    expect(message).not.toContain(secret)
    expect(message).not.toContain('s3cret')
  })
})

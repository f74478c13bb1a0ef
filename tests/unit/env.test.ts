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
    // Sign-in links go by email in production; only the embedded demo prints them.
    [{ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), DATABASE_URL: 'postgres://db/x' }, 'SMTP_URL'],
  ])('stops on a bad value and names the variable: %o', (source, name) => {
    expect(() => parseEnv(source)).toThrow(EnvError)
    expect(() => parseEnv(source)).toThrow(new RegExp(`\\b${name}\\b`))
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

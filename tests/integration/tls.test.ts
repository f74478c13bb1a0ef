// TLS to the real PostgreSQL, as DATABASE_URL's sslmode asks (libpq's meanings). The machine's server
// speaks TLS with a certificate for localhost and 127.0.0.1 from a test CA (.ci/postgres-tls sets
// that up and publishes the CA at TEST_PG_CA_FILE); it also still accepts connections without TLS.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase, pgErrorCode, rows } from '~/services/db.server'
import { ADMIN_URL } from '../../scripts/pg-admin'

const CA_FILE = process.env.TEST_PG_CA_FILE ?? '/etc/postgresql-common/tara-test-ca.crt'
// The codes Node gives a certificate that does not chain to the CAs it was told to trust.
const UNTRUSTED = /^(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/

let scratch: string
let wrongCa: string

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'tara-tls-'))
  wrongCa = path.join(scratch, 'wrong-ca.crt')
  const args = ['req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  args.push('-days', '1', '-subj', '/CN=Not the test CA', '-keyout', path.join(scratch, 'ca.key'), '-out', wrongCa)
  const made = spawnSync('openssl', args, { encoding: 'utf8' })
  if (made.status !== 0) throw new Error(`openssl could not make a throw-away CA: ${made.stderr}`)
})

afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** The server's URL with `host` and the given query parameters instead of its own. */
function url(params: Record<string, string>, host?: string) {
  const u = new URL(ADMIN_URL)
  if (host) u.hostname = host
  u.search = new URLSearchParams(params).toString()
  return u.toString()
}

/** What pg_stat_ssl says about the connection a pool for `databaseUrl` opens. */
async function tlsOf(databaseUrl: string) {
  const handle = createDatabase({ url: databaseUrl, poolMax: 1, owner: true })
  try {
    const [row] = await rows<{ ssl: boolean; version: string | null; cipher: string | null }>(
      handle.db,
      sql`select ssl, version, cipher from pg_stat_ssl where pid = pg_backend_pid()`,
    )
    if (!row) throw new Error('pg_stat_ssl has no row for this connection')
    return row
  } finally {
    await handle.close()
  }
}

/** The error code a connection to `databaseUrl` fails with. */
async function refusal(databaseUrl: string) {
  try {
    await tlsOf(databaseUrl)
  } catch (error) {
    return pgErrorCode(error)
  }
  throw new Error('expected the connection to be refused')
}

describe('TLS to PostgreSQL', () => {
  it('encrypts with sslmode=require, and not without an sslmode or with sslmode=disable', async () => {
    const tls = await tlsOf(url({ sslmode: 'require' }))
    expect(tls.ssl).toBe(true)
    expect(tls.version).toMatch(/^TLSv1\.[23]$/)
    expect(tls.cipher).toMatch(/\w/)
    expect((await tlsOf(url({}))).ssl).toBe(false)
    expect((await tlsOf(url({ sslmode: 'disable' }))).ssl).toBe(false)
  })

  it('does not verify the certificate with sslmode=require, which sslmode=verify-full does', async () => {
    // The test CA is none of Node's: require connects anyway, verify-full without sslrootcert does not.
    expect((await tlsOf(url({ sslmode: 'require' }, 'localhost'))).ssl).toBe(true)
    expect(await refusal(url({ sslmode: 'verify-full' }, 'localhost'))).toMatch(UNTRUSTED)
  })

  it('verifies the certificate against sslrootcert with sslmode=verify-full, by name and by address', async () => {
    expect((await tlsOf(url({ sslmode: 'verify-full', sslrootcert: CA_FILE }, 'localhost'))).ssl).toBe(true)
    // The certificate .ci/postgres-tls makes names 127.0.0.1 too.
    expect((await tlsOf(url({ sslmode: 'verify-full', sslrootcert: CA_FILE }, '127.0.0.1'))).ssl).toBe(true)
  })

  it('refuses a server whose certificate another CA signed', async () => {
    expect(await refusal(url({ sslmode: 'verify-full', sslrootcert: wrongCa }, 'localhost'))).toMatch(UNTRUSTED)
    expect(await refusal(url({ sslmode: 'verify-ca', sslrootcert: wrongCa }, 'localhost'))).toMatch(UNTRUSTED)
    // As in libpq, require with an sslrootcert verifies the chain.
    expect(await refusal(url({ sslmode: 'require', sslrootcert: wrongCa }, 'localhost'))).toMatch(UNTRUSTED)
  })

  it('checks the host name with verify-full only', async () => {
    // 127.1 reaches 127.0.0.1, but is a name the certificate does not carry.
    expect(await refusal(url({ sslmode: 'verify-full', sslrootcert: CA_FILE }, '127.1'))).toBe(
      'ERR_TLS_CERT_ALTNAME_INVALID',
    )
    expect((await tlsOf(url({ sslmode: 'verify-ca', sslrootcert: CA_FILE }, '127.1'))).ssl).toBe(true)
    expect((await tlsOf(url({ sslmode: 'require', sslrootcert: CA_FILE }, '127.1'))).ssl).toBe(true)
  })

  it('names an sslrootcert it cannot read, never the password', () => {
    const missing = path.join(scratch, 'missing.crt')
    const withPassword = new URL(url({ sslmode: 'verify-full', sslrootcert: missing }, 'localhost'))
    withPassword.password = 'hunter2-secret'
    let message = ''
    try {
      createDatabase({ url: withPassword.toString() })
    } catch (error) {
      message = String((error as Error).message)
    }
    expect(message).toContain(`sslrootcert cannot be read: ${missing} (ENOENT)`)
    expect(message).not.toContain('hunter2-secret')
  })
})

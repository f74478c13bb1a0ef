// Creates the empty database named by DATABASE_URL (e2e servers start on a fresh one).
import pg from 'pg'

const target = new URL(process.env.DATABASE_URL ?? '')
const name = target.pathname.slice(1)
if (!/^[a-z0-9_]+$/.test(name)) throw new Error('DATABASE_URL must name a database of [a-z0-9_]')
const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL })
await admin.connect()
// Identifiers cannot be bound parameters; the name was checked above.
await admin.query(`drop database if exists ${name} with (force)`)
await admin.query(`create database ${name}`)
await admin.end()

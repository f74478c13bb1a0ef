// Creates the empty database named by DATABASE_URL (e2e servers start on a fresh one).
import { recreateDatabase } from '../../scripts/pg-admin'

await recreateDatabase(new URL(process.env.DATABASE_URL ?? 'postgres://invalid/').pathname.slice(1))

// The environment, validated once with zod. A bad value stops the start with a message
// that names the variable; secrets are never printed.
import { randomBytes } from 'node:crypto'
import { remember } from '@epic-web/remember'
import cronParser from 'cron-parser'
import { z } from 'zod'
import { DEFAULT_REGION, parseS3Url } from './backup/s3-url'

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const

/** A five-field cron expression (minute hour day month weekday), read in the shop's time zone. */
const optionalCron = z
  .string()
  .trim()
  .optional()
  .refine(
    (v) => {
      if (v === undefined) return true
      if (v.split(/\s+/).length !== 5) return false
      try {
        cronParser.parseExpression(v)
        return true
      } catch {
        return false
      }
    },
    { message: 'must be a cron expression of five fields (minute hour day month weekday), such as 30 3 * * *' },
  )

const optionalUrl = (protocols: RegExp, hint: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || (URL.canParse(v) && protocols.test(new URL(v).protocol)), {
      message: hint,
    })

// An AWS region as the SDK accepts it (a host name's label): eu-west-2, or another service's "auto".
const awsRegion = z
  .string()
  .trim()
  .regex(/^(?!-)(?!.*-$)[A-Za-z0-9-]{1,63}$/, 'must be a region name such as eu-west-2')
  .optional()

/** What LOG_LEVEL takes: pino's levels, most to least severe, and `silent` (nothing). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    // The least severe log line written (app/services/logger.server.ts).
    LOG_LEVEL: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }))
      .default('info'),
    DATABASE_URL: optionalUrl(/^postgres(ql)?:$/, 'must be a postgres:// or postgresql:// URL'),
    // The role the app logs in as on PostgreSQL and Neon (its own, a member of app_user only);
    // DATABASE_URL stays the owner's, for migrations, backups, restores and seeding.
    APP_DATABASE_URL: optionalUrl(/^postgres(ql)?:$/, 'must be a postgres:// or postgresql:// URL'),
    PGLITE_DIR: z.string().trim().min(1).default('./data/pglite'),
    DB_POOL_MAX: z.coerce.number().int().min(1).max(500).default(20),
    // The address staff open: unset, it is this machine at PORT (http://localhost:<PORT>).
    APP_URL: z
      .string()
      .trim()
      .optional()
      .refine((v) => v === undefined || (URL.canParse(v) && /^https?:$/.test(new URL(v).protocol)), {
        message: 'must be an http:// or https:// URL',
      })
      .transform((v) => (v === undefined ? undefined : new URL(v).origin)),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    SESSION_SECRET: z
      .string()
      .optional()
      .refine((v) => v === undefined || v.length >= 32, { message: 'must be at least 32 characters' }),
    SMTP_URL: optionalUrl(/^smtps?:$/, 'must be an smtp:// or smtps:// URL'),
    MAIL_FROM: z.string().trim().default('Tara Hub <no-reply@tara-hub.local>'),
    ADMIN_EMAIL: z
      .email({ message: 'must be an email address' })
      .transform((v) => v.toLowerCase())
      .optional(),
    // How many proxies in front of the app may set X-Forwarded-For (0: use the socket's address).
    TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
    REDIS_URL: optionalUrl(/^rediss?:$/, 'must be a redis:// or rediss:// URL'),
    SHOP_NAME: z.string().trim().min(1).max(80).default('Tara Fabrics'),
    LOW_STOCK_THRESHOLD: z.coerce.number().int().min(0).default(5),
    // The shop's currency (ISO 4217): prices are in it, and an Etsy file in another is refused.
    SHOP_CURRENCY: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code such as GBP')
      .transform((v) => v.toUpperCase())
      .default('GBP'),
    // The shop's time zone (IANA, e.g. Europe/London): calendar dates are stored in UTC and
    // shown, grouped into days and typed in this zone.
    SHOP_TIMEZONE: z
      .string()
      .trim()
      .default('UTC')
      .refine((v) => isTimeZone(v), { message: 'must be an IANA time zone such as Europe/London or UTC' }),
    // Where uploaded images (and Etsy files awaiting confirmation) are kept: a directory that
    // every app instance shares.
    UPLOAD_DIR: z.string().trim().min(1).default('./data/uploads'),
    // Backups (npm run db:backup, /admin/backups): where they go, how many ordinary and weekly ones to keep.
    BACKUP_DIR: z.string().trim().min(1).default('./backups'),
    BACKUP_KEEP: z.coerce.number().int().min(1).max(10_000).default(14),
    BACKUP_KEEP_WEEKLY: z.coerce.number().int().min(1).max(10_000).default(8),
    // The off-site copy of every backup, as its bucket, prefix and endpoint.
    BACKUP_S3_URL: z
      .string()
      .trim()
      .optional()
      .transform((text, ctx) => {
        if (!text) return undefined
        const target = parseS3Url(text)
        if (!(target instanceof Error)) return target
        // Its messages name the variable (db:restore shows them for an s3:// argument): here the path does.
        ctx.addIssue({ code: 'custom', message: target.message.replace(/^BACKUP_S3_URL /, '') })
        return z.NEVER
      }),
    // The off-site copy's region; AWS_DEFAULT_REGION is the other name the AWS tools read.
    AWS_REGION: awsRegion,
    AWS_DEFAULT_REGION: awsRegion,
    // Background jobs (app/jobs): `off` makes an instance that only serves pages (another runs
    // `npm run worker`); JOBS_CONCURRENCY jobs of each kind run at once on an instance.
    JOBS: z.enum(['on', 'off']).default('on'),
    JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(20).default(1),
    // How long a running job may take before it counts as lost (its process died) and is tried
    // again; unset, each kind has its own (backups 30 minutes, the others 5).
    JOB_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(86_400).optional(),
    // The wait before a failed or lost job's first retry (it doubles after each); unset, each
    // kind has its own (backups 5 minutes, the others 10 to 60 seconds).
    JOB_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(86_400).optional(),
    // The schedule, in the shop's time zone: the daily backup at BACKUP_AT, the weekly one on
    // BACKUP_WEEKLY_ON (BACKUP_CRON replaces both times); the rollup of today every ROLLUP_EVERY
    // minutes (or at ROLLUP_CRON).
    BACKUP_AT: z
      .string()
      .trim()
      .regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'must be a time of day such as 03:30')
      .default('03:30'),
    BACKUP_WEEKLY_ON: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(WEEKDAYS, { message: 'must be a day of the week such as sunday' }))
      .default('sunday'),
    BACKUP_CRON: optionalCron,
    ROLLUP_EVERY: z.coerce.number().int().min(1).max(60).default(15),
    ROLLUP_CRON: optionalCron,
    // How long a stopping instance (SIGTERM) waits for its running requests and jobs, in seconds.
    SHUTDOWN_TIMEOUT: z.coerce.number().int().min(1).max(3600).default(30),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SESSION_SECRET'],
        message: 'is required in production (at least 32 random characters)',
      })
    }
    if (env.APP_DATABASE_URL && !env.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['APP_DATABASE_URL'],
        message: "needs DATABASE_URL too (the owner's URL, for migrations and backups)",
      })
    }
    // Without SMTP, sign-in links are printed to the console: only for the embedded demo.
    if (env.NODE_ENV === 'production' && env.DATABASE_URL && !env.SMTP_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMTP_URL'],
        message: 'is required in production with DATABASE_URL (sign-in links are sent by email)',
      })
    }
  })
  .transform(({ AWS_DEFAULT_REGION, ...env }) => ({
    ...env,
    APP_URL: env.APP_URL ?? `http://localhost:${env.PORT}`,
    AWS_REGION: env.AWS_REGION ?? AWS_DEFAULT_REGION ?? DEFAULT_REGION,
  }))

export type Env = z.infer<typeof EnvSchema>

export class EnvError extends Error {
  override name = 'EnvError'
}

/** Parses an environment; throws EnvError naming every bad variable (never its value). */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ''),
  )
  const result = EnvSchema.safeParse(cleaned)
  if (result.success) return result.data
  const problems = result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`)
  throw new EnvError(`Invalid environment: ${problems.join('; ')}`)
}

let cached: Env | undefined
/** The process environment, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env)
  return cached
}

/** What signs cookies: SESSION_SECRET, or outside production a per-process random one. */
export function cookieSecret(): string {
  return env().SESSION_SECRET ?? remember('tara-hub.dev-session-secret', () => randomBytes(32).toString('hex'))
}

// The app's Redis clients (REDIS_URL is optional: the rate limits and the analytics cache use
// it when it is set). One client per URL, kept across dev-server module reloads.
//
// Redis is never worth waiting for: its users fall back (rate limits to the database, the
// dashboard to no cache) the moment a command fails. So a command fails at once while the
// client is not connected (no offline queue), after COMMAND_TIMEOUT_MS when a connected Redis
// stops answering (and the connection is then dropped, so the next ones fail at once), and is
// never retried; reconnection backs off up to 30 s. A Redis that
// accepts connections but never answers (the worst case) never becomes ready, so its commands
// fail at once too. Failures are logged once per outage, never with the URL.
import { remember } from '@epic-web/remember'
import { Redis } from 'ioredis'
import { logger } from './logger.server'

const CONNECT_TIMEOUT_MS = 1000
const COMMAND_TIMEOUT_MS = 500
/** A new client may take this long to become ready before its first command gives up on it. */
const FIRST_READY_WAIT_MS = 150

interface Client {
  redis: Redis
  /** Resolves when the client is first ready, or after FIRST_READY_WAIT_MS, whichever is first. */
  firstReady: Promise<void>
}

const clients = remember('tara-hub.redis', () => new Map<string, Client>())

/** What a Redis failure is called in the log: a code or a class, never an address. */
function failureName(error: unknown): string {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown }
  if (typeof code === 'string') return code
  const message = error instanceof Error ? error.message : ''
  if (/timed? ?out/i.test(message)) return 'timeout'
  if (/not connected|isn't writeable|Connection is closed/i.test(message)) return 'not connected'
  return typeof name === 'string' ? name : 'error'
}

function newClient(url: string): Client {
  const redis = new Redis(url, {
    lazyConnect: false,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    // 0.5 s, 1 s, 2 s … up to 30 s between attempts to reconnect, with some jitter.
    retryStrategy: (times) => Math.min(500 * 2 ** Math.min(times - 1, 6), 30_000) + Math.floor(Math.random() * 250),
  })
  // Without a listener a lost connection would crash the process. Logged once until it is ready again.
  let down = false
  redis.on('error', (error: unknown) => {
    if (down) return
    down = true
    logger().warn(`redis: unavailable (${failureName(error)}); rate limits use the database and the analytics dashboard is not cached until it answers again`)
  })
  redis.on('ready', () => {
    if (down) logger().info('redis: available again')
    down = false
  })
  let timer: NodeJS.Timeout | undefined
  const firstReady = Promise.race([
    new Promise<void>((resolve) => redis.once('ready', () => resolve())),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, FIRST_READY_WAIT_MS)
      timer.unref()
    }),
  ]).finally(() => clearTimeout(timer))
  return { redis, firstReady }
}

function client(url: string): Client {
  let found = clients.get(url)
  if (!found) {
    found = newClient(url)
    clients.set(url, found)
  }
  return found
}

/** The client for a URL (commands fail fast when Redis is unreachable: see above). */
export function redisClient(url: string): Redis {
  return client(url).redis
}

/**
 * The client for a URL, once it had its chance to connect: a new client waits (at most
 * FIRST_READY_WAIT_MS, once) so that the first commands after start do not fail only because
 * the connection was still opening.
 */
export async function readyRedisClient(url: string): Promise<Redis> {
  const { redis, firstReady } = client(url)
  await firstReady
  return redis
}

const failing = new Set<string>()

/**
 * A caller fell back because Redis failed (`area` names what fell back: "rate limits"):
 * logged once until redisAnswered(area), never with the URL. A command that timed out on a
 * connected client drops that connection, so that the next commands fail at once instead of
 * each waiting COMMAND_TIMEOUT_MS (a Redis that answers again is reconnected to).
 */
export function redisFailed(area: string, error: unknown, redis?: Redis): void {
  if (redis && failureName(error) === 'timeout' && redis.status === 'ready') redis.disconnect(true)
  if (failing.has(area)) return
  failing.add(area)
  logger().warn(`${area}: Redis failed (${failureName(error)}), falling back until it answers again`)
}

/** Redis answered for `area` again: its next failure is logged. */
export function redisAnswered(area: string): void {
  failing.delete(area)
}

/** Closes the Redis clients (tests, shutdown); the next use opens a new one. */
export async function closeRedisClients(): Promise<void> {
  const open = [...clients.values()]
  clients.clear()
  await Promise.all(open.map(({ redis }) => redis.quit().catch(() => redis.disconnect())))
}

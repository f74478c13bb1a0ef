// The app's Redis clients (REDIS_URL is optional: the rate limits and the analytics cache use
// it when it is set). One client per URL, kept across dev-server module reloads.
import { remember } from '@epic-web/remember'
import { Redis } from 'ioredis'

const clients = remember('tara-hub.redis', () => new Map<string, Redis>())

export function redisClient(url: string): Redis {
  let client = clients.get(url)
  if (!client) {
    client = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 })
    // Without a listener a lost connection would crash the process; the URL is not logged.
    client.on('error', (error: Error) => console.warn(`redis: ${error.message}`))
    clients.set(url, client)
  }
  return client
}

/** Closes the Redis clients (tests, shutdown); the next use opens a new one. */
export async function closeRedisClients(): Promise<void> {
  const open = [...clients.values()]
  clients.clear()
  await Promise.all(open.map((client) => client.quit().catch(() => client.disconnect())))
}

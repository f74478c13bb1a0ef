// Values shared by the loaders of one HTTP request (they each get their own Request object).
// The server (server/app.ts) opens a scope per request; without one (tests, the dev server) nothing is shared.
import { AsyncLocalStorage } from 'node:async_hooks'

const scope = new AsyncLocalStorage<Map<string, unknown>>()

/** Runs `next` (the rest of the request's handling) in a fresh scope. */
export function withRequestScope(next: () => void) {
  scope.run(new Map(), next)
}

/** The value `make` gives, made once per request and key. */
export function oncePerRequest<T>(key: string, make: () => T): T {
  const store = scope.getStore()
  if (!store) return make()
  if (!store.has(key)) store.set(key, make())
  return store.get(key) as T
}

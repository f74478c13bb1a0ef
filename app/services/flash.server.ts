// One-line messages after a redirect (post/redirect/get): "Invited Ana", "Role changed".
// Kept in a short-lived signed cookie and cleared by the page that shows it.
import { createCookieSessionStorage, redirect } from '@remix-run/node'
import { remember } from '@epic-web/remember'
import { cookieSecret, env } from './env.server'

function flashStorage() {
  const secret = cookieSecret()
  const secure = env().NODE_ENV === 'production'
  return remember(`tara-hub.flash:${secure}:${secret}`, () =>
    createCookieSessionStorage({
      cookie: { name: 'tara_flash', httpOnly: true, sameSite: 'lax', secure, path: '/', secrets: [secret], maxAge: 60 },
    }),
  )
}

export async function redirectWithFlash(to: string, message: string, init: { headers?: HeadersInit } = {}) {
  const storage = flashStorage()
  const session = await storage.getSession()
  session.flash('message', message)
  const headers = new Headers(init.headers)
  headers.append('Set-Cookie', await storage.commitSession(session))
  return redirect(to, { headers })
}

/** The message waiting for this request, and the header that clears it. */
export async function takeFlash(request: Request): Promise<{ message: string | null; headers?: HeadersInit }> {
  const cookie = request.headers.get('Cookie')
  if (!cookie?.includes('tara_flash=')) return { message: null }
  const storage = flashStorage()
  const session = await storage.getSession(cookie)
  const message = session.get('message')
  return {
    message: typeof message === 'string' ? message : null,
    headers: { 'Set-Cookie': await storage.destroySession(session) },
  }
}

// How the built app renders a page (app/entry.server.tsx): a page without client React, as every
// page is today, whole, as one string; a route that opts in to hydration (handle.hydrate,
// app/root.tsx) streamed, with the loader data <Scripts> sends after the HTML.
import type { ServerBuild } from '@remix-run/node'
import { createRequestHandler } from '@remix-run/node'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadBuild } from '../../server/build'

let build: ServerBuild

beforeAll(async () => {
  process.env.SESSION_SECRET ??= 'render-test-session-secret-0123456789abcdef'
  ;({ build } = await loadBuild())
})

/** The build, with the sign-in page opted in to hydration. */
function withHydratedLogin(): ServerBuild {
  const route = build.routes['routes/login._index']!
  return {
    ...build,
    routes: { ...build.routes, [route.id]: { ...route, module: { ...route.module, handle: { hydrate: true } } } },
  }
}

async function signInPage(serverBuild: ServerBuild) {
  const response = await createRequestHandler(serverBuild, 'production')(new Request('http://localhost/login'))
  return { response, html: await response.text() }
}

describe('rendering a page', () => {
  it('renders a page without client React whole: no Remix runtime, no loader data in the page', async () => {
    const { response, html } = await signInPage(build)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(html).toMatch(/^<html lang="en">/)
    expect(html).toContain('</body></html>')
    expect(html).toContain('<script defer="" src="/assets/enhance-')
    expect(html).not.toContain('__remixContext')
  })

  it('streams a page that hydrates, with its loader data for the client after the HTML', async () => {
    const { response, html } = await signInPage(withHydratedLogin())
    expect(response.status).toBe(200)
    expect(html).toContain('window.__remixContext = ')
    // The loader data itself, streamed by <Scripts> (single fetch), not left pending.
    expect(html).toContain('__remixContext.streamController.enqueue(')
    expect(html).toMatch(/<script[^>]* type="module"/)
  })
})

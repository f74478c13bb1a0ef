// Signs the demo admin in on every app once; the other tests start from these cookies.
import { ADMIN_STATE, FUZZ_ADMIN_STATE, servers } from '../../playwright.config'
import { signIn, test } from './fixtures'

test('the demo admin signs in on every app', async ({ page }) => {
  for (const server of [servers.postgres, servers.embedded, servers.down]) {
    await signIn(page, server.url, 'admin@tara-hub.local')
  }
  await page.context().storageState({ path: ADMIN_STATE })
})

test('the demo admin signs in on the fuzz app, in cookies of its own', async ({ browser }) => {
  const context = await browser.newContext()
  const page = await context.newPage()
  await signIn(page, servers.fuzz.url, 'admin@tara-hub.local')
  await context.storageState({ path: FUZZ_ADMIN_STATE })
  await context.close()
})

// Signing in by emailed link, sessions, roles and staff management, with JavaScript off,
// through the real form, a real SMTP server (the sink) and the real database.
import { randomBytes } from 'node:crypto'
import { ADMIN_STATE, servers } from '../../playwright.config'
import { askForLink, expect, latestLink, mailTo, onDatabase, signIn, signedOut, test, waitForMail } from './fixtures'

const app = servers.postgres.url

/** A new staff member, straight in the database; returns their (unique) email. */
async function newUser(role: 'admin' | 'user' = 'user', prefix = 'staff') {
  const email = `${prefix}-${randomBytes(4).toString('hex')}@example.com`
  await onDatabase('insert into users (email, name, role) values ($1, $2, $3)', [email, `Test ${role} ${email.slice(6, 14)}`, role])
  return email
}

test.describe('signed out', () => {
  test.use({ storageState: signedOut, expectedConsoleErrors: [/status of (400|410|429|503)/] })

  test('a link from the mail signs in and lands on the page first asked for; it works once', async ({ page }) => {
    const email = await newUser()
    await page.goto(`${app}/orders?status=pending`)
    await expect(page).toHaveURL(`${app}/login?redirectTo=%2Forders%3Fstatus%3Dpending`)
    await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0)
    await askForLink(page, email.toUpperCase())
    await expect(page.getByText('It works once, for 15 minutes.')).toBeVisible()

    const [mail] = await waitForMail(email)
    expect(mail?.subject).toBe('Sign in to Tara Fabrics')
    expect(mail?.text).toContain('15 minutes')
    expect(mail?.text).toContain('If you did not ask for this, ignore this email')
    expect(mail?.html).toContain('/login/link?token=')
    const link = await latestLink(email)
    expect(link.startsWith(`${app}/login/link?token=`)).toBe(true)
    expect(link).not.toContain('example.com')

    await page.goto(link)
    await expect(page.getByText(`Signing in as ${email}`)).toBeVisible()
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page).toHaveURL(`${app}/orders?status=pending`)
    await expect(page.getByRole('heading', { level: 1, name: 'Orders' })).toBeVisible()
    await expect(page.locator('header')).toContainText(`Signed in as Test user`)
    await expect(page.locator('header')).toContainText('(user)')
    const cookie = (await page.context().cookies()).find((c) => c.name === 'tara_session')
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax' })
    const [lastSignIn] = await onDatabase<{ at: Date | null }>('select last_sign_in_at as at from users where email = $1', [email])
    expect(lastSignIn?.at).not.toBeNull()

    // The same link again, in another browser: refused, with a way to ask for a new one.
    const other = await page.context().browser()!.newPage({ storageState: signedOut })
    await other.goto(link)
    await expect(other.getByRole('heading', { level: 1, name: 'This sign-in link has already been used' })).toBeVisible()
    await other.getByRole('button', { name: 'Request a new link' }).click()
    await expect(other.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible()
    await other.close()
  })

  test('an expired link is refused with a clear page, and a tampered one too', async ({ page }) => {
    const email = await newUser()
    await page.goto(`${app}/login`)
    await askForLink(page, email)
    const link = await latestLink(email)
    await onDatabase("update login_tokens set expires_at = now() - interval '1 minute' where email = $1", [email])
    const response = await page.goto(link)
    expect(response?.status()).toBe(410)
    await expect(page.getByRole('heading', { level: 1, name: 'This sign-in link has expired' })).toBeVisible()
    await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(0)
    await expect(page.getByRole('button', { name: 'Request a new link' })).toBeVisible()

    await page.goto(`${link.slice(0, -3)}abc`)
    await expect(page.getByRole('heading', { level: 1, name: 'This sign-in link is not valid' })).toBeVisible()
    await page.goto(`${app}/login/link`)
    await expect(page.getByRole('heading', { level: 1, name: 'This sign-in link is not valid' })).toBeVisible()
  })

  test('a forged Host or X-Forwarded-Host header does not change the link', async ({ page }) => {
    const email = await newUser()
    const response = await page.request.post(`${app}/login`, {
      headers: { Origin: app, Host: 'evil.example', 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https' },
      form: { email },
    })
    expect(response.status()).toBe(200)
    expect(await response.text()).toContain('Check your email')
    const link = await latestLink(email)
    expect(link.startsWith(`${app}/login/link?token=`)).toBe(true)
    expect(link).not.toContain('evil')
  })

  test('an unknown email gets the same page and no mail', async ({ page }) => {
    const known = await newUser()
    const unknown = `nobody-${randomBytes(4).toString('hex')}@example.com`
    const pages: string[] = []
    for (const email of [known, unknown]) {
      await page.goto(`${app}/login`)
      await askForLink(page, email)
      pages.push((await page.locator('main').innerText()).replace(email, 'EMAIL'))
    }
    expect(pages[1]).toBe(pages[0])
    expect(await waitForMail(known)).toHaveLength(1)
    expect(await mailTo(unknown)).toHaveLength(0)
  })

  test('bad input keeps what was typed and says what is wrong, next to the field', async ({ page }) => {
    await page.goto(`${app}/login`)
    await page.getByLabel('Email').fill('not-an-email')
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click()
    const field = page.getByLabel('Email')
    await expect(field).toHaveValue('not-an-email')
    await expect(field).toHaveAttribute('aria-invalid', 'true')
    await expect(field).toHaveAccessibleDescription('Enter an email address like name@example.com.')
  })

  test('six requests for one email all get "Check your email"; five links go out and the first still works', async ({
    page,
  }) => {
    const email = await newUser()
    for (let i = 0; i < 6; i++) {
      await page.goto(`${app}/login`)
      await page.getByLabel('Email').fill(email)
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: 'Email me a sign-in link' }).click(),
      ])
      expect(response.status()).toBe(200)
      await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible()
    }
    const mails = await waitForMail(email, 5)
    // The sixth was not queued: five rows in the outbox, all sent.
    const queued = await onDatabase<{ n: number }>('select count(*)::int as n from mail_outbox where email = $1', [email])
    expect(queued[0]?.n).toBe(5)
    expect(await mailTo(email)).toHaveLength(5)
    const first = mails[0]!.text.match(/https?:\/\/\S+\/login\/link\?token=[\w-]+/)![0]
    await page.goto(first)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
  })

  test('when the mail server refuses, the visitor is not told; admins see the mail on /users', async ({
    page,
    browser,
  }) => {
    const email = await newUser('user', 'bounce')
    await page.goto(`${app}/login`)
    await askForLink(page, email)
    await expect(page.getByRole('alert')).toHaveCount(0)

    const admin = await browser.newPage({ storageState: ADMIN_STATE })
    const row = admin.getByRole('row').filter({ has: admin.getByRole('cell', { name: `<${email}>` }) })
    await expect(async () => {
      await admin.goto(`${app}/users`)
      await expect(row).toHaveCount(1, { timeout: 500 })
    }).toPass({ timeout: 15_000 })
    await expect(admin.getByRole('heading', { level: 2, name: 'Mail not sent' })).toBeVisible()
    await expect(row.getByRole('cell', { name: 'Sign-in link' })).toBeVisible()
    await expect(row.getByRole('cell', { name: /^SMTP EENVELOPE 550/ })).toBeVisible()
    await row.getByRole('button', { name: `Send the mail to ${email} again` }).click()
    await expect(admin.getByRole('status')).toHaveText(`Sending the mail to ${email} again.`)
    await admin.close()
  })

  test('a request from another site is refused (403), and every page has a nonce CSP', async ({ page }) => {
    const forged = await page.request.post(`${app}/login`, {
      headers: { Origin: 'https://evil.example' },
      form: { email: 'admin@tara-hub.local' },
    })
    expect(forged.status()).toBe(403)
    // The app's own page, saying where the request came from and what to set if that is the app's address.
    expect(forged.headers()['content-type']).toMatch(/^text\/html/)
    const refusal = await forged.text()
    expect(refusal).toContain(`This page was sent from <strong>https://evil.example</strong>, but the app is set up for <strong>${app}</strong>.`)
    expect(refusal).toContain('set <code>APP_URL=https://evil.example</code> and restart the app')
    const missing = await page.request.post(`${app}/logout`, { headers: { Origin: '' } })
    expect(missing.status()).toBe(403)
    expect(await missing.text()).toContain('Your browser did not say which page sent this')

    // A new nonce for every response, and the page's inline stylesheet carries it.
    const nonces: string[] = []
    for (let i = 0; i < 2; i++) {
      const response = await page.request.get(`${app}/login`)
      const csp = response.headers()['content-security-policy'] ?? ''
      expect(csp).toContain("frame-ancestors 'none'")
      const nonce = csp.match(/script-src 'self' 'nonce-([^']+)'/)?.[1]
      expect(nonce).toBeTruthy()
      expect(await response.text()).toContain(`<style nonce="${nonce}">`)
      nonces.push(nonce!)
    }
    expect(nonces[0]).not.toBe(nonces[1])
  })
})

test.describe('roles', () => {
  test.use({ storageState: signedOut, expectedConsoleErrors: [/status of 403/] })

  test('a user gets a 403 page on /users, and no Users link', async ({ page }) => {
    await signIn(page, app, await newUser('user'))
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' })).toHaveCount(0)
    const response = await page.goto(`${app}/users`)
    expect(response?.status()).toBe(403)
    await expect(page.getByRole('heading', { level: 1, name: 'You do not have access to this page' })).toBeVisible()
    const post = await page.request.post(`${app}/users`, {
      headers: { Origin: app },
      form: { intent: 'invite', email: 'sneaky@example.com', name: 'Sneaky', role: 'admin' },
    })
    expect(post.status()).toBe(403)
    expect(await onDatabase('select 1 from users where email = $1', ['sneaky@example.com'])).toHaveLength(0)
  })

  test('logout is a POST that ends the session', async ({ page }) => {
    const email = await newUser()
    await signIn(page, app, email)
    const cookie = (await page.context().cookies()).find((c) => c.name === 'tara_session')!
    await page.goto(`${app}/logout`)
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
    await page.getByRole('button', { name: 'Sign out' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible()
    // The old cookie, replayed, opens nothing: the session is gone from the database.
    await page.context().addCookies([cookie])
    await page.goto(`${app}/fabrics`)
    await expect(page).toHaveURL(`${app}/login?redirectTo=%2Ffabrics`)
    const sessions = await onDatabase(
      'select 1 from sessions s join users u on u.id = s.user_id where u.email = $1',
      [email],
    )
    expect(sessions).toHaveLength(0)
  })
})

test.describe('staff management', () => {
  test.use({ expectedConsoleErrors: [/status of (400|409)/] })
  test('an admin invites a user, who then signs in with the mailed link', async ({ page, browser }) => {
    const email = `invited-${randomBytes(4).toString('hex')}@example.com`
    await page.goto(`${app}/users`)
    const invite = page.getByRole('form', { name: 'Invite someone' })
    await invite.getByLabel('Email').fill('not an email')
    await invite.getByLabel('Name').fill('Ana Weaver')
    await invite.getByRole('button', { name: 'Send invitation' }).click()
    await expect(invite.getByLabel('Email')).toHaveAccessibleDescription('Enter an email address like name@example.com.')
    await expect(invite.getByLabel('Name')).toHaveValue('Ana Weaver')

    await invite.getByLabel('Email').fill(email)
    await invite.getByLabel('Role').selectOption('user')
    await invite.getByRole('button', { name: 'Send invitation' }).click()
    await expect(page.getByRole('status')).toHaveText(`Invited ${email}: a sign-in link is on its way.`)
    await expect(page.getByRole('combobox', { name: `Role of ${email}` })).toHaveValue('user')
    const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: email }) })
    await expect(row.getByRole('cell', { name: 'Never' })).toBeVisible()

    // The same email twice: refused next to the field.
    await invite.getByLabel('Email').fill(email.toUpperCase())
    await invite.getByLabel('Name').fill('Ana Again')
    await invite.getByRole('button', { name: 'Send invitation' }).click()
    await expect(invite.getByLabel('Email')).toHaveAccessibleDescription('Someone with this email is already a user.')

    const [mail] = await waitForMail(email)
    expect(mail?.subject).toBe('You are invited to Tara Fabrics')
    expect(mail?.text).toContain('Shop Admin has invited you')
    const invitee = await browser.newPage({ storageState: signedOut })
    await invitee.goto(await latestLink(email))
    await invitee.getByRole('button', { name: 'Sign in' }).click()
    await expect(invitee.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
    await expect(invitee.locator('header')).toContainText('Signed in as Ana Weaver (user)')
    await invitee.close()

    await page.goto(`${app}/users`)
    await expect(row.getByRole('cell', { name: 'Never' })).toHaveCount(0)
  })

  test('an admin changes a role, and disabling a user signs them out at once', async ({ page, browser }) => {
    const email = await newUser('user')
    const staff = await browser.newPage({ storageState: signedOut })
    await signIn(staff, app, email)

    await page.goto(`${app}/users`)
    await page.getByRole('combobox', { name: `Role of ${email}` }).selectOption('admin')
    await page.getByRole('button', { name: `Change role of ${email}` }).click()
    await expect(page.getByRole('status')).toHaveText('Role changed to admin.')
    await expect(page.getByRole('combobox', { name: `Role of ${email}` })).toHaveValue('admin')
    await staff.goto(`${app}/users`)
    await expect(staff.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible()

    await page.getByRole('link', { name: `Disable ${email}…` }).click()
    await page.getByRole('button', { name: `Disable ${email}` }).click()
    await expect(page.getByRole('status')).toHaveText('User disabled and signed out.')
    await expect(page.getByRole('button', { name: `Enable ${email}` })).toBeVisible()
    await staff.goto(`${app}/fabrics`)
    await expect(staff).toHaveURL(`${app}/login?redirectTo=%2Ffabrics`)
    // A disabled user gets no link either.
    await askForLink(staff, email)
    expect(await mailTo(email)).toHaveLength(1)

    await page.getByRole('button', { name: `Enable ${email}` }).click()
    await expect(page.getByRole('status')).toHaveText('User enabled.')
    await staff.close()
  })

  test('the last enabled admin cannot be demoted or disabled', async ({ page }) => {
    // Only the demo admin and admins made by other tests are admins: demote those first.
    await onDatabase("update users set role = 'user' where role = 'admin' and email <> 'admin@tara-hub.local'")
    await page.goto(`${app}/users`)
    const me = 'admin@tara-hub.local'
    await page.getByRole('link', { name: `Disable ${me}…` }).click()
    await page.getByRole('button', { name: `Disable ${me}` }).click()
    await expect(page.getByRole('link', { name: `Disable ${me}…` })).toHaveAccessibleDescription(
      'This is the last enabled admin: make someone else an admin first.',
    )
    await page.getByRole('combobox', { name: `Role of ${me}` }).selectOption('user')
    await page.getByRole('button', { name: `Change role of ${me}` }).click()
    await expect(page.getByRole('combobox', { name: `Role of ${me}` })).toHaveAccessibleDescription(
      'This is the last enabled admin: make someone else an admin first.',
    )
    await page.goto(`${app}/users`)
    await expect(page.getByRole('combobox', { name: `Role of ${me}` })).toHaveValue('admin')
  })
})

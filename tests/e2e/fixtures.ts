// Every e2e test fails on a console error it did not expect.
import { test as base, expect } from '@playwright/test'

export const test = base.extend<{ expectedConsoleErrors: RegExp[]; consoleGuard: void }>({
  expectedConsoleErrors: [[], { option: true }],
  consoleGuard: [
    async ({ page, expectedConsoleErrors }, use) => {
      const errors: string[] = []
      page.on('console', (message) => {
        if (message.type() !== 'error') return
        const text = message.text()
        if (!expectedConsoleErrors.some((re) => re.test(text))) errors.push(text)
      })
      page.on('pageerror', (error) => errors.push(error.message))
      await use()
      expect(errors, 'unexpected console errors').toEqual([])
    },
    { auto: true },
  ],
})

export { expect }

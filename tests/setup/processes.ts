// Child processes and the real server for the tests that run the npm scripts themselves.
import { spawn } from 'node:child_process'
import { expect } from 'vitest'

/**
 * Runs `command` to its end with `env`; its stdout and stderr together, npm's warnings left out.
 * Never spawnSync: a worker blocked for a minute on a loaded machine misses vitest's own calls
 * ("Timeout calling onTaskUpdate").
 */
export function runToEnd(
  command: string[],
  env: NodeJS.ProcessEnv,
  as?: { uid: number; gid: number },
): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { ...as, env })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('close', (status) => {
      clearTimeout(timer)
      resolve({ status, output: output.replace(/^npm warn.*\n/gm, '') })
    })
  })
}

/** Presses "Sign in" on a sign-in link's page (a token from a printed or mailed link); the session cookie. */
export async function signInWithToken(appUrl: string, token: string): Promise<string> {
  const signIn = await fetch(`${appUrl}/login/link`, {
    method: 'POST',
    headers: { Origin: appUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }),
    redirect: 'manual',
  })
  expect(signIn.status).toBe(302)
  return signIn.headers.get('set-cookie')!.split(';')[0]!
}

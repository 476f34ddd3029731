// Smoke scenario of the browser harness: the console is served with its security headers, the sign-in
// form starts a session, and the key ends up nowhere a script could read it. Standalone on purpose (it
// checks the harness itself): exit code 0 = pass, otherwise one line saying what failed.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const TIMEOUT_MS = 20_000;

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`missing environment variable ${name}`);
  return value;
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const base = required('ALGOSIGNAL_URL').replace(/\/+$/, '');
const key = required('ALGOSIGNAL_API_KEY');
const screenshots = process.env.ALGOSIGNAL_SCREENSHOTS;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let page;
try {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(TIMEOUT_MS);
  page = await context.newPage();
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss().catch(() => undefined);
  });

  const response = await page.goto('/signin');
  check(response !== null && response.status() === 200, `GET /signin answered ${response?.status()}`);
  const headers = response.headers();
  const policy = headers['content-security-policy'] ?? '';
  check(policy.includes("script-src 'self'"), `no script-src 'self' in the Content-Security-Policy: "${policy}"`);
  check(!policy.includes('unsafe-inline'), `the Content-Security-Policy allows inline code: "${policy}"`);
  check(policy.includes("frame-ancestors 'none'"), `the Content-Security-Policy allows framing: "${policy}"`);
  check(headers['x-content-type-options'] === 'nosniff', `X-Content-Type-Options is "${headers['x-content-type-options']}"`);

  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/signin', { timeout: TIMEOUT_MS });

  // Signed in: the page's own origin answers the session (with the browser's cookie, not a key).
  const session = await page.evaluate(async () => {
    const answer = await fetch('/api/v1/session', { credentials: 'same-origin' });
    return { status: answer.status, body: answer.status === 200 ? await answer.json() : null };
  });
  check(session.status === 200 && session.body?.signed_in === true, `GET /api/v1/session answered ${session.status} after signing in`);

  const cookies = await context.cookies();
  const sessionCookie = cookies.find((c) => c.name === 'algosignal_session');
  check(sessionCookie !== undefined, `no algosignal_session cookie among: ${cookies.map((c) => c.name).join(', ')}`);
  check(sessionCookie.httpOnly, 'the session cookie is not HttpOnly');
  check(sessionCookie.sameSite === 'Strict', `the session cookie is SameSite=${sessionCookie.sameSite}`);
  check(!sessionCookie.value.includes(key), 'the session cookie holds the API key');

  const visible = await page.evaluate(() => ({
    cookie: document.cookie,
    local: Object.keys(localStorage).map((k) => `${k}=${localStorage.getItem(k)}`).join('\n'),
    session: Object.keys(sessionStorage).map((k) => `${k}=${sessionStorage.getItem(k)}`).join('\n'),
  }));
  check(!visible.cookie.includes('algosignal_session'), 'document.cookie shows the session cookie');
  check(!visible.cookie.includes(key), 'document.cookie holds the API key');
  check(!visible.local.includes(key), 'localStorage holds the API key');
  check(!visible.session.includes(key), 'sessionStorage holds the API key');
  check(dialogs.length === 0, `unexpected dialogs: ${dialogs.join(' | ')}`);

  if (screenshots) {
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'smoke-signed-in.png') });
  }
  console.log('smoke: signed in through /signin; headers and cookie as required');
} catch (error) {
  if (page && screenshots) {
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'failure-smoke.png') }).catch(() => undefined);
  }
  console.error(`smoke: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}

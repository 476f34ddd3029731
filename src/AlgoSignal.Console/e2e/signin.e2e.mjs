// Sign in through the form; the API key never lands in browser storage or script-readable cookies.
import { assert, env, scenario, signIn, TIMEOUT_MS } from './lib.mjs';

await scenario('signin', async ({ page, context }) => {
  const { ALGOSIGNAL_API_KEY: key } = env('ALGOSIGNAL_API_KEY');

  // A page of the console without a session leads to sign-in, remembering where it was going.
  await page.goto('/orders');
  await page.waitForURL((url) => url.pathname === '/signin', { timeout: TIMEOUT_MS });
  assert(new URL(page.url()).searchParams.get('next') === '/orders', `expected next=/orders in ${page.url()}`);

  // A wrong key is refused with a message, and no session starts.
  await page.getByLabel('API key').fill(`wrong-${key.slice(0, 4)}-not-a-key-000000`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').waitFor();
  assert(new URL(page.url()).pathname === '/signin', 'a wrong key left the sign-in page');

  await signIn(page, '/orders');
  await page.getByRole('heading', { name: 'Orders' }).waitFor();

  const stored = await page.evaluate(() => {
    const dump = (s) => Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i))}`).join('\n');
    return { local: dump(localStorage), session: dump(sessionStorage), cookie: document.cookie, url: location.href };
  });
  assert(!stored.local.includes(key), 'the API key is in localStorage');
  assert(!stored.session.includes(key), 'the API key is in sessionStorage');
  assert(!stored.cookie.includes(key), 'the API key is in a cookie readable by scripts');
  assert(!stored.url.includes(key), 'the API key is in the URL');

  const cookies = await context.cookies();
  assert(cookies.length > 0, 'no session cookie was set');
  for (const cookie of cookies) {
    assert(!cookie.value.includes(key), `cookie ${cookie.name} holds the API key`);
  }
  assert(cookies.some((c) => c.httpOnly), `no HttpOnly session cookie among: ${cookies.map((c) => c.name).join(', ')}`);
  assert(
    stored.cookie.split(';').every((c) => !cookies.some((k) => k.httpOnly && c.trim().startsWith(`${k.name}=`))),
    'an HttpOnly cookie is readable through document.cookie',
  );

  // Signing out ends the session: the console sends the browser back to sign-in.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL((url) => url.pathname === '/signin', { timeout: TIMEOUT_MS });
  await page.goto('/');
  await page.waitForURL((url) => url.pathname === '/signin', { timeout: TIMEOUT_MS });
  const session = await page.request.get('/api/v1/session');
  assert(session.status() === 401, `after sign-out GET /api/v1/session answered ${session.status()}, expected 401`);
});

// Shared pieces of the console's end-to-end scenarios. Each scenario is a standalone Node script run
// against a real AlgoSignal (README, "Console"): exit code 0 = pass; otherwise it prints what failed.
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const TIMEOUT_MS = Number(process.env.ALGOSIGNAL_E2E_TIMEOUT_MS ?? 20_000);

/** The named environment variables, or a failure naming the missing ones. */
export function env(...names) {
  const missing = names.filter((n) => !process.env[n]);
  if (missing.length > 0) throw new Error(`missing environment variable(s): ${missing.join(', ')}`);
  return Object.fromEntries(names.map((n) => [n, process.env[n]]));
}

export function baseUrl() {
  return env('ALGOSIGNAL_URL').ALGOSIGNAL_URL.replace(/\/+$/, '');
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A fresh browser context and page at 1280×800. Every dialog (alert/confirm/prompt) is recorded and
 * dismissed, and every uncaught page error recorded, so a scenario can assert that none happened.
 */
export async function openPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: baseUrl() });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  const dialogs = [];
  const pageErrors = [];
  const cspViolations = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  return { context, page, dialogs, pageErrors, cspViolations };
}

/** Signs in through the form; ends on the page `next` names (the overview by default). */
export async function signIn(page, next = '/') {
  const { ALGOSIGNAL_API_KEY } = env('ALGOSIGNAL_API_KEY');
  await page.goto(`/signin?next=${encodeURIComponent(next)}`);
  await page.getByLabel('API key').fill(ALGOSIGNAL_API_KEY);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/signin', { timeout: TIMEOUT_MS });
}

/** `X-AlgoSignal-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>` (README, "The sample alert"). */
export function signature(body, secret, t = Math.floor(Date.now() / 1000)) {
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
  return `t=${t},v1=${v1}`;
}

/** POSTs a signed alert for the scenario's strategy; returns AlgoSignal's alert id from the 202 answer. */
export async function sendAlert(fields) {
  const { ALGOSIGNAL_WEBHOOK_URL, ALGOSIGNAL_HMAC_SECRET, ALGOSIGNAL_STRATEGY } = env('ALGOSIGNAL_WEBHOOK_URL', 'ALGOSIGNAL_HMAC_SECRET', 'ALGOSIGNAL_STRATEGY');
  const body = JSON.stringify({ strategy: ALGOSIGNAL_STRATEGY, symbol: alertSymbol(), ...fields });
  const response = await fetch(ALGOSIGNAL_WEBHOOK_URL, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-AlgoSignal-Signature': signature(body, ALGOSIGNAL_HMAC_SECRET) },
    body,
  });
  const text = await response.text();
  if (response.status !== 202) throw new Error(`the webhook answered ${response.status} to ${body}: ${text}`);
  const answer = JSON.parse(text);
  if (!answer.alert_id) throw new Error(`the webhook's 202 has no alert_id: ${text}`);
  return answer.alert_id;
}

/** The symbol alerts are sent for: ALGOSIGNAL_SYMBOL (the market data's symbol), else BINANCE:BTCUSDT. */
export function alertSymbol() {
  return process.env.ALGOSIGNAL_SYMBOL || 'BINANCE:BTCUSDT';
}

export function uniqueId(prefix) {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Polls `check` (async, returns a truthy value when done) until it succeeds or the time is up. */
export async function waitFor(what, check, timeoutMs = TIMEOUT_MS, everyMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** An alert's story through the browser's session (GET needs no antiforgery token). */
export async function alertStory(page, alertId) {
  const response = await page.request.get(`/api/v1/alerts/${encodeURIComponent(alertId)}`);
  return response.ok() ? response.json() : null;
}

/** Waits until the alert has left `received`; returns its story. */
export async function waitForDecision(page, alertId) {
  return waitFor(`alert ${alertId} to be decided`, async () => {
    const story = await alertStory(page, alertId);
    return story && story.status !== 'received' ? story : null;
  });
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

export function screenshotsDir() {
  const dir = process.env.ALGOSIGNAL_SCREENSHOTS;
  if (!dir) return null;
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Waits until no loading placeholder is on the page (server-sent events keep the network busy, so "network idle" never comes). */
export async function settled(page) {
  await page.locator('main').waitFor();
  await waitFor('the page to finish loading', async () => (await page.locator('.loading, .page-loading').count()) === 0);
}

/**
 * Runs one scenario: launches Chromium, gives the scenario a fresh context, and exits 0 when it passes;
 * on failure prints the reason (and saves `failure-<name>.png` under ALGOSIGNAL_SCREENSHOTS) and exits 1.
 */
export async function scenario(name, body) {
  let browser;
  let session;
  const started = Date.now();
  try {
    browser = await launch();
    session = await openPage(browser);
    await body(session);
    if (session.pageErrors.length > 0) throw new Error(`uncaught errors in the page: ${session.pageErrors.join(' | ')}`);
    if (session.cspViolations.length > 0) throw new Error(`Content-Security-Policy violations: ${session.cspViolations.join(' | ')}`);
    console.log(`PASS ${name} (${Date.now() - started} ms)`);
    process.exitCode = 0;
  } catch (error) {
    console.error(`FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
    const dir = screenshotsDir();
    if (dir && session?.page) {
      await session.page.screenshot({ path: join(dir, `failure-${name}.png`), fullPage: true }).catch(() => undefined);
      console.error(`  page: ${session.page.url()}; screenshot: ${join(dir, `failure-${name}.png`)}`);
    }
    process.exitCode = 1;
  } finally {
    await session?.context.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
  }
}

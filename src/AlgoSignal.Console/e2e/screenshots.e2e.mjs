// Visits every page of the console and saves <page>.png under ALGOSIGNAL_SCREENSHOTS.
import { join } from 'node:path';
import { assert, env, scenario, screenshotsDir, settled, signIn } from './lib.mjs';

await scenario('screenshots', async ({ page }) => {
  const { ALGOSIGNAL_STRATEGY: strategy } = env('ALGOSIGNAL_STRATEGY', 'ALGOSIGNAL_SCREENSHOTS');
  const symbol = process.env.ALGOSIGNAL_SYMBOL ?? '';
  const dir = screenshotsDir();
  const shoot = async (name) => {
    // The whole page at 1280 wide: the story's timeline and the quality report run below the fold.
    await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
  };

  await page.goto('/signin');
  await page.getByLabel('API key').waitFor();
  await shoot('signin');

  await signIn(page, '/');
  const latest = await page.request.get('/api/v1/alerts?limit=1');
  assert(latest.ok(), `GET /api/v1/alerts answered ${latest.status()}`);
  const [newest] = await latest.json();

  const pages = [
    ['overview', '/', 'Overview'],
    ['alerts', '/alerts', 'Alerts'],
    ...(newest ? [['alert-story', `/alerts/${newest.alert_id}`, 'Alert story']] : []),
    ['webhook-log', '/webhook-log', 'Webhook log'],
    ['orders', '/orders', 'Orders'],
    ['positions', '/positions', 'Positions'],
    ['pnl', '/pnl', 'P&L'],
    ['strategies', '/strategies', 'Strategies'],
    ['strategy-new', '/strategies/new', 'New strategy'],
    ['strategy', `/strategies/${encodeURIComponent(strategy)}`, `Strategy ${strategy}`],
    ['market', symbol ? `/market?symbol=${encodeURIComponent(symbol)}&timeframe=60` : '/market', 'Market'],
    ['health', '/health', 'Health'],
  ];
  for (const [name, path, heading] of pages) {
    // Every page opens from its URL (a bookmark or a reload), /health too: a browser asking for HTML gets the
    // console there, while probes keep the machine answers.
    await page.goto(path);
    await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    await settled(page);
    if (name === 'market' && symbol) await page.getByRole('img', { name: /^Candles of / }).locator('canvas').first().waitFor();
    // Charts and badges settle within a frame or two.
    await page.waitForTimeout(400);
    await shoot(name);
  }
  if (!newest) console.log('note: no alert stored yet, so no alert-story.png');
});

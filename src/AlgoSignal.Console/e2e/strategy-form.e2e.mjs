// Create a strategy through the form: a validation error from the API appears next to its field first,
// then the strategy is created and its webhook URL and TradingView message are shown once.
import { assert, scenario, signIn, uniqueId } from './lib.mjs';

/** The text of the error an input names in aria-describedby. */
async function fieldError(page, label) {
  const input = page.getByLabel(label, { exact: true });
  const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(' ').filter((id) => id.endsWith('-error'));
  if (ids.length === 0) return null;
  return page.locator(`[id="${ids[0]}"]`).innerText();
}

await scenario('strategy-form', async ({ page }) => {
  const name = uniqueId('e2e-form');
  await signIn(page, '/strategies/new');
  await page.getByRole('heading', { name: 'New strategy' }).waitFor();

  await page.getByLabel('Name', { exact: true }).fill(name);
  // An account of its own: the test alert below must not move the shared paper account's positions.
  await page.getByLabel('Account of route 1', { exact: true }).fill(name);
  await page.getByLabel('Symbols', { exact: true }).fill('BINANCE:BTCUSDT');
  await page.getByLabel('Max positions', { exact: true }).fill('0');
  await page.getByRole('button', { name: 'Create strategy' }).click();

  const maxPositions = page.getByLabel('Max positions', { exact: true });
  await page.waitForFunction((el) => el.getAttribute('aria-invalid') === 'true', await maxPositions.elementHandle());
  const message = await fieldError(page, 'Max positions');
  assert(message && /max_positions/.test(message), `no error next to "Max positions" (got ${JSON.stringify(message)})`);
  assert((await fieldError(page, 'Name')) === null, 'the name was marked invalid as well');
  assert((await page.getByRole('heading', { name: `Strategy ${name} created` }).count()) === 0, 'the strategy was created despite the error');

  await maxPositions.fill('5');
  await page.getByRole('button', { name: 'Create strategy' }).click();
  await page.getByRole('heading', { name: `Strategy ${name} created` }).waitFor();

  const url = await page.getByLabel('Webhook URL').inputValue();
  assert(/^https?:\/\/.+\/webhook\/tradingview\/[^/]+$/.test(url), `unexpected webhook URL "${url}"`);
  const tvMessage = await page.getByLabel('TradingView message').inputValue();
  const parsed = JSON.parse(tvMessage.replace('{{close}}', '1').replace('{{strategy.order.contracts}}', '1'));
  assert(parsed.strategy === name, `the TradingView message names "${parsed.strategy}", not "${name}"`);

  // The paper strategy can be tried at once.
  await page.getByLabel('Test price').fill('42000');
  await page.getByRole('button', { name: 'Send a test alert (paper)' }).click();
  await page.getByRole('link', { name: 'open its story' }).waitFor();

  // The strategy is listed, and it is removed again through its page.
  await page.goto('/strategies');
  await page.getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { name: `Strategy ${name}` }).waitFor();
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete strategy' }).click();
  await page.waitForURL((u) => u.pathname === '/strategies');
  const gone = await page.request.get(`/api/v1/strategies/${encodeURIComponent(name)}`);
  assert(gone.status() === 404, `after delete the strategy answers ${gone.status()}`);
});

// A signed alert appears in the overview's live feed as it finishes; its story shows `filled`, the timeline, the
// risk rules evaluated, the sizing arithmetic and the resulting position.
import { assert, env, scenario, sendAlert, signIn, uniqueId, waitForDecision } from './lib.mjs';

await scenario('live-feed', async ({ page }) => {
  env('ALGOSIGNAL_STRATEGY', 'ALGOSIGNAL_WEBHOOK_URL', 'ALGOSIGNAL_HMAC_SECRET');
  await signIn(page, '/');
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  await page.getByRole('status', { name: 'Live updates: live' }).waitFor();

  // Flatten first (rejected when already flat), so the entry below is not refused by pyramiding.
  // Both travel the same ordered lane (strategy and symbol), so the close is decided first.
  const flatten = await sendAlert({ action: 'close', price: 42000, alert_id: uniqueId('e2e-flat') });
  await waitForDecision(page, flatten);

  const alertId = await sendAlert({ action: 'buy', price: 42000, quantity: 1, alert_id: uniqueId('e2e-live') });
  const item = page.locator(`ul[aria-label="Live feed"] li[data-live="true"][data-alert-id="${alertId}"]`);
  await item.waitFor();
  await item.locator('.badge', { hasText: /^filled$/ }).waitFor();

  await item.getByRole('link').click();
  await page.waitForURL((url) => url.pathname === `/alerts/${alertId}`);
  await page.getByRole('heading', { name: 'Alert story' }).waitFor();
  await page.locator('.story-head .badge', { hasText: /^filled$/ }).waitFor();

  const timeline = page.getByRole('list', { name: 'Alert timeline' });
  await timeline.waitFor();
  const steps = await timeline.locator(':scope > li').evaluateAll((items) => items.map((li) => li.getAttribute('data-step')));
  for (const step of ['received', 'authenticated', 'queued', 'decided', 'order', 'result']) {
    assert(steps.includes(step), `the timeline lacks the step "${step}" (has ${steps.join(', ')})`);
  }
  assert(steps.indexOf('received') < steps.indexOf('decided') && steps.indexOf('decided') < steps.indexOf('order'), `steps out of order: ${steps.join(', ')}`);
  const order = timeline.locator('li[data-step="order"]').first();
  await order.locator('.badge', { hasText: /^filled$/ }).waitFor();
  await order.getByRole('table', { name: /Events of order/ }).waitFor();
  const received = await timeline.locator('li[data-step="received"] .step-time').innerText();
  assert(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/.test(received), `the received step shows no time: "${received}"`);

  // The decision: every risk rule evaluated, the sizing arithmetic, and the position the order left.
  const decided = timeline.locator('li[data-step="decided"]');
  const rules = decided.getByRole('table', { name: 'Risk rules' });
  await rules.waitFor();
  const ruleNames = await rules.locator('tbody tr td:first-child').allInnerTexts();
  for (const rule of ['kill_switch', 'max_signal_age', 'pyramiding']) {
    assert(ruleNames.includes(rule), `the risk rules lack "${rule}" (has ${ruleNames.join(', ')})`);
  }
  const arithmetic = await decided.locator('.sizing pre').innerText();
  assert(arithmetic.startsWith('alert quantity 1 × risk multiplier'), `the sizing arithmetic reads "${arithmetic}"`);
  await page.getByRole('table', { name: 'Resulting positions' }).waitFor();

  // Leave the strategy flat for the next scenario.
  await waitForDecision(page, await sendAlert({ action: 'close', price: 42000, alert_id: uniqueId('e2e-flat') }));
});

// An alert whose message is HTML shows that text literally, and nothing in it runs.
import { assert, scenario, sendAlert, signIn, uniqueId, waitForDecision } from './lib.mjs';

const MESSAGE = '<img src=x onerror=alert(1)>';

await scenario('xss', async ({ page, dialogs }) => {
  await signIn(page, '/');
  const alertId = await sendAlert({ action: 'close', price: 42000, message: MESSAGE, alert_id: uniqueId('e2e-xss') });
  await waitForDecision(page, alertId);

  await page.goto(`/alerts/${alertId}`);
  await page.getByRole('heading', { name: 'Alert story' }).waitFor();
  await page.locator('.alert-message', { hasText: MESSAGE }).waitFor();
  assert((await page.locator('.alert-message').innerText()) === MESSAGE, 'the message is not shown literally');
  // The stored payload shows it too, as text.
  await page.locator('pre.payload', { hasText: MESSAGE }).waitFor();

  // The webhook log shows the same request; its payload opened is text as well.
  await page.goto(`/webhook-log?alert_id=${alertId}`);
  await page.getByRole('heading', { name: 'Webhook log' }).waitFor();
  const payloadButton = page.getByRole('button', { name: 'payload' }).first();
  if ((await payloadButton.count()) > 0) {
    await payloadButton.click();
    await page.locator('pre', { hasText: MESSAGE }).first().waitFor();
  }

  await page.waitForTimeout(1000);
  const injected = await page.evaluate(() => document.querySelectorAll('img[src="x"], img[onerror]').length);
  assert(injected === 0, `the message became ${injected} <img> element(s)`);
  assert(dialogs.length === 0, `a dialog opened: ${dialogs.join(' | ')}`);
});

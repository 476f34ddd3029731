// Engage the kill switch with confirmation, see it active, release it.
import { assert, scenario, signIn, uniqueId, waitFor } from './lib.mjs';

async function killSwitchEnabled(page) {
  const response = await page.request.get('/api/v1/kill-switch');
  assert(response.ok(), `GET /api/v1/kill-switch answered ${response.status()}`);
  return (await response.json()).enabled;
}

await scenario('kill-switch', async ({ page }) => {
  await signIn(page, '/');
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  const engage = page.getByRole('button', { name: 'Engage kill switch' });
  const release = page.getByRole('button', { name: 'Release kill switch' });
  await engage.or(release).waitFor();
  assert((await engage.count()) === 1, 'the kill switch is already engaged; release it before this scenario');

  // Cancelling the confirmation changes nothing.
  await engage.click();
  await page.getByRole('dialog', { name: 'Engage the kill switch?' }).getByRole('button', { name: 'Cancel' }).click();
  assert((await page.getByRole('dialog').count()) === 0, 'the dialog stayed open after Cancel');
  assert((await killSwitchEnabled(page)) === false, 'cancelling engaged the kill switch');

  const reason = uniqueId('e2e check');
  await engage.click();
  const dialog = page.getByRole('dialog', { name: 'Engage the kill switch?' });
  await dialog.getByLabel('Reason').fill(reason);
  await dialog.getByRole('button', { name: 'Engage' }).click();
  await release.waitFor();
  await page.getByText(reason, { exact: true }).first().waitFor();
  await page.getByRole('alert').filter({ hasText: 'Kill switch engaged' }).waitFor();
  await waitFor('the API to report the kill switch engaged', async () => (await killSwitchEnabled(page)) === true);

  await release.click();
  await page.getByRole('dialog', { name: 'Release the kill switch?' }).getByRole('button', { name: 'Release' }).click();
  await engage.waitFor();
  await waitFor('the API to report the kill switch released', async () => (await killSwitchEnabled(page)) === false);
  assert((await page.getByRole('alert').filter({ hasText: 'Kill switch engaged' }).count()) === 0, 'the engaged banner stayed after release');
});

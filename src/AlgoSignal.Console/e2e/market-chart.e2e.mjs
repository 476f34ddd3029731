// Open /market, pick the symbol, see the candles drawn on a canvas and the quality report.
import { assert, env, scenario, signIn, waitFor } from './lib.mjs';

await scenario('market-chart', async ({ page }) => {
  const { ALGOSIGNAL_SYMBOL: symbol } = env('ALGOSIGNAL_SYMBOL');
  await signIn(page, '/market');
  await page.getByRole('heading', { name: 'Market' }).waitFor();

  await page.getByLabel('Symbol', { exact: true }).fill(symbol);
  await page.getByLabel('Timeframe').selectOption('60');
  await page.getByRole('button', { name: 'Show chart' }).click();
  assert(new URL(page.url()).searchParams.get('symbol') === symbol.toUpperCase(), `the symbol is not in the URL: ${page.url()}`);

  const chart = page.getByRole('img', { name: /^Candles of / });
  await chart.waitFor();
  // Drawn: some canvas of the chart holds more than a background and a grid.
  const colours = await waitFor('the candles to be drawn', async () => {
    const count = await chart.locator('canvas').evaluateAll((canvases) => {
      let best = 0;
      for (const canvas of canvases) {
        if (canvas.width < 50 || canvas.height < 50) continue;
        const context = canvas.getContext('2d');
        if (!context) continue;
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        const seen = new Set();
        for (let i = 0; i < data.length; i += 4 * 7) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        best = Math.max(best, seen.size);
      }
      return best;
    });
    return count > 8 ? count : null;
  });
  assert(colours > 8, 'the chart canvas is blank');
  const up = await chart.locator('canvas').evaluateAll((canvases) =>
    canvases.some((canvas) => {
      const context = canvas.getContext('2d');
      if (!context || canvas.width < 50) return false;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 0; i < data.length; i += 4) {
        // The candle colours (#3fb68b up, #f0616d down).
        if ((data[i] === 0x3f && data[i + 1] === 0xb6 && data[i + 2] === 0x8b) || (data[i] === 0xf0 && data[i + 1] === 0x61 && data[i + 2] === 0x6d)) return true;
      }
      return false;
    }),
  );
  assert(up, 'no candle colour is drawn on the chart');

  const quality = page.locator('section.card', { has: page.getByRole('heading', { name: 'Quality report' }) });
  await quality.waitFor();
  for (const dimension of ['completeness', 'accuracy', 'consistency', 'timeliness', 'validity', 'uniqueness']) {
    await quality.getByText(dimension, { exact: true }).first().waitFor();
  }
  const level = (await quality.locator('.quality-head .badge').innerText()).trim();
  assert(['good', 'warning', 'critical'].includes(level), `unexpected quality level "${level}"`);
  await quality.getByText(/^Findings \(\d+\)$/).waitFor();

  const cache = page.locator('section.card', { has: page.getByRole('heading', { name: 'Cache' }) });
  await cache.getByText('Memory series').waitFor();
  await page.getByRole('button', { name: 'Download CSV' }).waitFor();
});

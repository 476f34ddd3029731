import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AlertsPage } from './AlertsPage';
import { alertsApiPath, EMPTY_FILTERS, filtersFromQuery, filtersToQuery, utcIso } from './alertFilters';

describe('alert filters in the URL', () => {
  it('round-trip through the query string', () => {
    const filters = { status: 'risk_rejected', strategy: 'demo', symbol: 'BTCUSDT', from: '2026-12-01T09:30', to: '2026-12-02T17:00', limit: '' };
    const query = filtersToQuery(filters);
    expect(query.toString()).toBe('status=risk_rejected&strategy=demo&symbol=BTCUSDT&from=2026-12-01T09%3A30&to=2026-12-02T17%3A00');
    expect(filtersFromQuery(new URLSearchParams(query.toString()))).toEqual(filters);
  });

  it('leave unset filters out of the URL', () => {
    expect(filtersToQuery({ ...EMPTY_FILTERS, strategy: ' demo ' }).toString()).toBe('strategy=demo');
    expect(filtersFromQuery(new URLSearchParams(''))).toEqual(EMPTY_FILTERS);
  });

  it('read times as UTC', () => {
    expect(utcIso('2026-12-01T09:30')).toBe('2026-12-01T09:30:00.000Z');
    expect(utcIso('nonsense')).toBe('');
  });

  it('become the API request', () => {
    expect(alertsApiPath({ ...EMPTY_FILTERS, status: 'filled', from: '2026-12-01T09:30' })).toBe(
      '/api/v1/alerts?status=filled&from=2026-12-01T09%3A30%3A00.000Z&limit=500',
    );
  });
});

describe('the alerts page', () => {
  let fetchMock: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    fetchMock = vi.fn((url: string) =>
      Promise.resolve(
        new Response(
          JSON.stringify(
            url.startsWith('/api/v1/strategies')
              ? []
              : [
                  { alert_id: '01a1fca0-653e-7277-aeeb-82c42b14a458', strategy: 'demo', status: 'risk_rejected', reason: '<b>bold</b>', duplicate_of: null, source: 'webhook', received_at: '2026-12-01T10:00:00Z', symbol: 'BINANCE:ETHUSDT' },
                ],
          ),
          { status: 200 },
        ),
      ),
    );
    vi.stubGlobal('fetch', fetchMock);
  });

  afterEach(() => vi.unstubAllGlobals());

  function renderAt(url: string) {
    const router = createMemoryRouter([{ path: '/alerts', element: <AlertsPage /> }], { initialEntries: [url] });
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <RouterProvider router={router} />
      </QueryClientProvider>,
    );
    return router;
  }

  it('fills the form from the URL and asks the API with those filters', async () => {
    renderAt('/alerts?status=risk_rejected&strategy=demo');
    expect(screen.getByLabelText('Status')).toHaveValue('risk_rejected');
    expect(screen.getByLabelText('Strategy')).toHaveValue('demo');
    await waitFor(() => expect(fetchMock.mock.calls.map((c) => c[0])).toContain('/api/v1/alerts?status=risk_rejected&strategy=demo&limit=500'));
    expect(await screen.findByText('<b>bold</b>')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /01a1fca0/ })).toHaveAttribute('href', '/alerts/01a1fca0-653e-7277-aeeb-82c42b14a458');
  });

  it('writes applied filters into the URL', async () => {
    const router = renderAt('/alerts');
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('Status'), 'filled');
    await user.type(screen.getByLabelText('Symbol'), 'BTCUSDT');
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(router.state.location.search).toBe('?status=filled&symbol=BTCUSDT'));
    await waitFor(() => expect(fetchMock.mock.calls.map((c) => c[0])).toContain('/api/v1/alerts?status=filled&symbol=BTCUSDT&limit=500'));
    await user.click(screen.getByRole('button', { name: 'Clear' }));
    await waitFor(() => expect(router.state.location.search).toBe(''));
  });

  it('sends symbol and time to the API and shows its rows as answered', async () => {
    renderAt('/alerts?symbol=ETHUSDT&from=2026-12-02T09:30&to=2026-12-02T17:00');
    await waitFor(() =>
      expect(fetchMock.mock.calls.map((c) => c[0])).toContain(
        '/api/v1/alerts?symbol=ETHUSDT&from=2026-12-02T09%3A30%3A00.000Z&to=2026-12-02T17%3A00%3A00.000Z&limit=500',
      ),
    );
    // The row is outside the window and names another spelling of the symbol: the server decided, the page shows it.
    expect(await screen.findByText('BINANCE:ETHUSDT')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /01a1fca0/ })).toBeInTheDocument();
  });
});

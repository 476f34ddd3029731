import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { AlertStory, Order } from '../api/types';
import { StoryTimeline } from './StoryTimeline';
import { buildTimeline, summarizeOrders } from './timeline';

function order(over: Partial<Order>): Order {
  return {
    broker: 'paper',
    account: 'paper-1',
    client_order_id: 'as-1',
    broker_order_id: 'p-1',
    symbol: 'BTCUSDT',
    side: 'buy',
    intent: 'entry',
    role: 'primary',
    strategy: 'demo',
    quantity: 1,
    order_type: 'market',
    limit_price: null,
    stop_price: null,
    time_in_force: 'gtc',
    status: 'filled',
    filled_quantity: 1,
    average_price: 42000,
    fees: 4.2,
    realized_pnl: 0,
    reason: null,
    created_at: '2026-12-02T10:00:00.120Z',
    events: [],
    ...over,
  };
}

function story(over: Partial<AlertStory> = {}): AlertStory {
  return {
    alert_id: '01a1fca0-653e-7277-aeeb-82c42b14a458',
    strategy: 'demo',
    status: 'filled',
    reason: null,
    duplicate_of: null,
    source: 'webhook',
    source_ip: '203.0.113.7',
    received_at: '2026-12-02T10:00:00.000Z',
    updated_at: '2026-12-02T10:00:00.150Z',
    payload: { strategy: 'demo', action: 'buy' },
    signal: { action: 'buy', symbol: 'BTCUSDT', exchange: 'BINANCE', legs: [{ intent: 'entry', side: 'buy', quantity: null }] },
    risk: { decision: 'approved', rule: null, reason: null },
    orders: [],
    ...over,
  };
}

function renderStory(s: AlertStory) {
  return render(
    <MemoryRouter>
      <StoryTimeline story={s} />
    </MemoryRouter>,
  );
}

describe('the alert timeline', () => {
  it('orders the steps causally and the orders and their events by time, with durations from receipt', () => {
    const s = story({
      orders: [
        order({
          client_order_id: 'late',
          created_at: '2026-12-02T10:00:00.300Z',
          events: [
            { type: 'OrderFilled', quantity: 1, price: 42010, message: null, created_at: '2026-12-02T10:00:00.420Z' },
            { type: 'OrderAccepted', quantity: null, price: null, message: null, created_at: '2026-12-02T10:00:00.310Z' },
          ],
        }),
        order({ client_order_id: 'early', side: 'sell', intent: 'exit', created_at: '2026-12-02T10:00:00.100Z' }),
      ],
      updated_at: '2026-12-02T10:00:00.500Z',
      queued_at: '2026-12-02T10:00:00.004Z',
    });
    const steps = buildTimeline(s);
    expect(steps.map((x) => x.kind)).toEqual(['received', 'authenticated', 'queued', 'decided', 'order', 'order', 'result']);
    expect(steps[4].order!.client_order_id).toBe('early');
    expect(steps[5].order!.client_order_id).toBe('late');
    expect(steps[2].sinceStartMs).toBe(4);
    expect(steps[2].approximate).toBe(false);
    // Without a decided_at of its own, the decision is dated by the first order.
    expect(steps[3].at).toBe('2026-12-02T10:00:00.100Z');
    expect(steps[3].approximate).toBe(true);
    expect(steps[3].sincePreviousMs).toBe(96);
    expect(steps[5].sinceStartMs).toBe(300);
    expect(steps[5].sincePreviousMs).toBe(200);
    expect(steps[5].events!.map((e) => e.event.type)).toEqual(['OrderAccepted', 'OrderFilled']);
    expect(steps[5].events!.map((e) => e.sinceOrderMs)).toEqual([10, 120]);
    expect(steps[6].at).toBe('2026-12-02T10:00:00.500Z');
  });

  it('uses the server’s own step times when it gives them', () => {
    const steps = buildTimeline(story({ authenticated_at: '2026-12-02T10:00:00.002Z', decided_at: '2026-12-02T10:00:00.050Z' }));
    expect(steps.find((x) => x.kind === 'authenticated')!.sinceStartMs).toBe(2);
    const decided = steps.find((x) => x.kind === 'decided')!;
    expect(decided.at).toBe('2026-12-02T10:00:00.050Z');
    expect(decided.approximate).toBe(false);
  });

  it('shows an undecided alert without a decision step', () => {
    const steps = buildTimeline(story({ status: 'received', signal: null, risk: null }));
    expect(steps.map((x) => x.kind)).toEqual(['received', 'authenticated', 'queued']);
  });

  it('renders route, source address, time of each step and the status words as the API gives them', () => {
    renderStory(story({ orders: [order({ events: [{ type: 'OrderFilled', quantity: 1, price: 42000, message: 'filled at 42000', created_at: '2026-12-02T10:00:00.130Z' }] })] }));
    const list = screen.getByRole('list', { name: 'Alert timeline' });
    const items = within(list).getAllByRole('listitem').filter((li) => li.hasAttribute('data-step'));
    expect(items.filter((li) => li.hasAttribute('data-step')).map((li) => li.getAttribute('data-step'))).toEqual(['received', 'authenticated', 'queued', 'decided', 'order', 'result']);
    expect(within(items[0]).getByText('POST /webhook')).toBeInTheDocument();
    expect(within(items[0]).getByText('203.0.113.7')).toBeInTheDocument();
    expect(within(items[0]).getByText('2026-12-02 10:00:00.000')).toBeInTheDocument();
    expect(within(items[4]).getByText('filled', { selector: '.badge' })).toBeInTheDocument();
    expect(within(items[4]).getByText('+120 ms')).toBeInTheDocument();
    expect(within(items[4]).getByRole('table', { name: /Events of order/ })).toHaveTextContent('filled at 42000');
  });

  it('links a duplicate to its original', () => {
    renderStory(story({ status: 'duplicate', duplicate_of: '0000aaaa-1111-2222-3333-444455556666', signal: null, risk: null, reason: 'A repeat.' }));
    const link = screen.getByRole('link', { name: 'Open the original alert' });
    expect(link).toHaveAttribute('href', '/alerts/0000aaaa-1111-2222-3333-444455556666');
    expect(screen.getByText('Recognised as a duplicate')).toBeInTheDocument();
  });

  it('shows the rule that refused the alert and every rule evaluated with its values', () => {
    renderStory(
      story({
        status: 'risk_rejected',
        risk: {
          decision: 'rejected',
          rule: 'pyramiding',
          reason: '1 entry is open; the strategy allows 1.',
          rules: [
            { rule: 'kill_switch', passed: true, value: false, limit: null, detail: null },
            { rule: 'max_positions', passed: true, value: 1, limit: 5 },
            { rule: 'pyramiding', passed: false, value: 1, limit: 1, detail: 'entries in this direction' },
          ],
        },
      }),
    );
    expect(screen.getByText('pyramiding', { selector: '.risk-head code' })).toBeInTheDocument();
    expect(screen.getByText('1 entry is open; the strategy allows 1.')).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Risk rules' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent('max_positions');
    expect(rows[1]).toHaveTextContent('passed');
    expect(rows[1]).toHaveTextContent('5');
    expect(rows[2]).toHaveTextContent('failed');
    expect(rows[2]).toHaveClass('row-bad');
  });

  it('shows the sizing arithmetic when the server gives it', () => {
    renderStory(story({ sizing: { mode: 'notional', arithmetic: '1000 ÷ 42000 = 0.0238 → 0.023 (lot step 0.001)', quantity: '0.023' } }));
    expect(screen.getByText('1000 ÷ 42000 = 0.0238 → 0.023 (lot step 0.001)')).toBeInTheDocument();
  });

  it('reads list limits as lists and warns when the strategy changed since the sizing', () => {
    renderStory(
      story({
        risk: {
          decision: 'approved',
          rule: null,
          reason: null,
          rules: [{ rule: 'symbol_allowed', passed: true, value: null, limit: ['BTCUSDT', 'BINANCE:ETHUSDT'] }],
        },
        sizing: { mode: 'fixed', arithmetic: 'sizing.quantity 2 × risk multiplier 1 = 2 → 2', quantity: 2, definition_changed_since: true },
      }),
    );
    const row = within(screen.getByRole('table', { name: 'Risk rules' })).getAllByRole('row')[1];
    expect(row).toHaveTextContent('BTCUSDT, BINANCE:ETHUSDT');
    expect(screen.getByRole('note')).toHaveTextContent('edited after this decision');
  });

  it('says nothing of edits when the strategy is unchanged', () => {
    renderStory(story({ sizing: { mode: 'fixed', arithmetic: 'sizing.quantity 1 × risk multiplier 1 = 1 → 1', quantity: 1, definition_changed_since: false } }));
    expect(screen.queryByRole('note')).toBeNull();
    expect(screen.queryByText('definition_changed_since')).toBeNull();
  });

  it('renders text from outside as text, never as HTML', () => {
    const { container } = renderStory(story({ status: 'rejected', signal: { action: 'buy', rejection: '<img src=x onerror=alert(1)>' } }));
    expect(screen.getByText('<img src=x onerror=alert(1)>')).toBeInTheDocument();
    expect(container.querySelector('img')).toBeNull();
  });

  it('sums what the orders did', () => {
    const r = summarizeOrders([
      order({ side: 'sell', filled_quantity: 2, average_price: 100, realized_pnl: '15.5', fees: '0.2' }),
      order({ side: 'buy', filled_quantity: 1, average_price: 130, realized_pnl: 0, fees: '0.1' }),
    ]);
    expect(r.filledQuantity).toBe(3);
    expect(r.averagePrice).toBeCloseTo(110);
    expect(r.netQuantity).toBe(-1);
    expect(r.realizedPnl).toBeCloseTo(15.5);
    expect(r.fees).toBeCloseTo(0.3);
  });
});

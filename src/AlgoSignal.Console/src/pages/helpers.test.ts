import { describe, expect, it } from 'vitest';
import type { Order } from '../api/types';
import { csvCell, toCsv } from '../csv';
import { duration } from '../format';
import { mergeFeed } from './OverviewPage';
import { breakdown, equityCurve } from './pnl';
import { safeNext } from './SignInPage';

describe('sign-in', () => {
  it('goes back only to a page of the console', () => {
    expect(safeNext('/alerts?status=filled')).toBe('/alerts?status=filled');
    expect(safeNext(null)).toBe('/');
    expect(safeNext('//evil.example/x')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('/signin?next=/')).toBe('/');
  });
});

describe('the live feed', () => {
  it('puts live events first and leaves out stored alerts already shown', () => {
    const items = mergeFeed(
      [{ alert_id: 'b', strategy: 'demo', symbol: 'BTCUSDT', action: 'buy', status: 'filled', reason: null, finished_at: '2026-12-02T10:00:01Z' }],
      [
        { alert_id: 'b', strategy: 'demo', status: 'received', reason: null, duplicate_of: null, source: 'webhook', received_at: '2026-12-02T10:00:00Z' },
        { alert_id: 'a', strategy: 'demo', status: 'filled', reason: null, duplicate_of: null, source: 'webhook', received_at: '2026-12-02T09:00:00Z' },
      ],
    );
    expect(items.map((i) => [i.alert_id, i.status, i.live])).toEqual([
      ['b', 'filled', true],
      ['a', 'filled', false],
    ]);
  });
});

function fill(over: Partial<Order>): Order {
  return {
    broker: 'paper', account: 'paper-1', client_order_id: 'x', broker_order_id: null, symbol: 'BTCUSDT', side: 'buy', intent: 'entry', role: 'primary',
    strategy: 'demo', quantity: 1, order_type: 'market', limit_price: null, stop_price: null, time_in_force: 'gtc', status: 'filled', filled_quantity: 1,
    average_price: 100, fees: 0, realized_pnl: 0, reason: null, created_at: '2026-12-02T10:00:00Z', events: [], ...over,
  };
}

describe('P&L', () => {
  it('draws realised equity and the drawdown from the running peak', () => {
    const points = equityCurve(1000, [
      fill({ created_at: '2026-12-02T10:00:02Z', realized_pnl: -30, fees: 1 }),
      fill({ created_at: '2026-12-02T10:00:01Z', realized_pnl: 50, fees: 1 }),
      fill({ created_at: '2026-12-02T10:00:03Z', status: 'rejected', filled_quantity: 0, realized_pnl: 999 }),
    ]);
    expect(points).toEqual([
      { time: Date.parse('2026-12-02T10:00:01Z') / 1000, equity: 1049, drawdown: 0 },
      { time: Date.parse('2026-12-02T10:00:02Z') / 1000, equity: 1018, drawdown: -31 },
    ]);
  });

  it('groups fills by strategy', () => {
    const rows = breakdown([fill({ strategy: 'a', realized_pnl: 10, fees: 1 }), fill({ strategy: 'b', realized_pnl: -5 }), fill({ strategy: 'a', realized_pnl: 2 })], (o) => o.strategy ?? '');
    expect(rows).toEqual([
      { key: 'a', fills: 2, realized: 12, fees: 1, net: 11 },
      { key: 'b', fills: 1, realized: -5, fees: 0, net: -5 },
    ]);
  });
});

describe('CSV export', () => {
  it('quotes and defuses spreadsheet formulas from outside text', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-12.5')).toBe('-12.5');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(toCsv(['a', 'b'], [{ a: 1, b: null }])).toBe('a,b\r\n1,\r\n');
  });
});

describe('durations', () => {
  it('read naturally', () => {
    expect(duration(850)).toBe('850 ms');
    expect(duration(2400)).toBe('2.40 s');
    expect(duration(185_000)).toBe('3 min 5 s');
  });
});

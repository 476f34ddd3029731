import type { Order } from '../api/types';
import { num } from '../format';

export interface EquityPoint {
  time: number; // unix seconds
  equity: number;
  drawdown: number; // ≤ 0, from the running peak
}

/**
 * The realised equity of an account over time from its orders: the starting cash plus each fill's realised
 * P&L minus its fees, in the order they happened; the drawdown is the distance below the highest equity so far.
 * Points in the same second are merged (a chart needs strictly increasing times).
 */
export function equityCurve(initialCash: number, orders: Order[]): EquityPoint[] {
  const fills = orders
    .filter((o) => num(o.filled_quantity) > 0)
    .map((o) => ({ t: Math.floor(Date.parse(o.created_at) / 1000), delta: (num(o.realized_pnl) || 0) - (num(o.fees) || 0) }))
    .filter((f) => !Number.isNaN(f.t))
    .sort((a, b) => a.t - b.t);
  const points: EquityPoint[] = [];
  let equity = initialCash;
  let peak = initialCash;
  for (const f of fills) {
    equity += f.delta;
    peak = Math.max(peak, equity);
    const point = { time: f.t, equity, drawdown: equity - peak };
    if (points.length > 0 && points[points.length - 1].time === f.t) points[points.length - 1] = point;
    else points.push(point);
  }
  return points;
}

export interface Breakdown {
  key: string;
  fills: number;
  realized: number;
  fees: number;
  net: number;
}

/** Realised P&L, fees and fills grouped by a key (strategy or symbol), biggest net first. */
export function breakdown(orders: Order[], keyOf: (o: Order) => string): Breakdown[] {
  const map = new Map<string, Breakdown>();
  for (const o of orders) {
    if (!(num(o.filled_quantity) > 0)) continue;
    const key = keyOf(o);
    const row = map.get(key) ?? { key, fills: 0, realized: 0, fees: 0, net: 0 };
    row.fills += 1;
    row.realized += num(o.realized_pnl) || 0;
    row.fees += num(o.fees) || 0;
    row.net = row.realized - row.fees;
    map.set(key, row);
  }
  return [...map.values()].sort((a, b) => b.net - a.net);
}

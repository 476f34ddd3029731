import type { AlertStory, Order, OrderEvent } from '../api/types';
import { num } from '../format';

export type StepKind = 'received' | 'authenticated' | 'queued' | 'decided' | 'order' | 'result';

export interface TimelineEvent {
  event: OrderEvent;
  /** Since the order was created. */
  sinceOrderMs: number | null;
}

export interface TimelineStep {
  key: string;
  kind: StepKind;
  title: string;
  at: string | null;
  /** True when the server gave no time of its own for the step and the time shown is the nearest one known. */
  approximate: boolean;
  sinceStartMs: number | null;
  sincePreviousMs: number | null;
  order?: Order;
  events?: TimelineEvent[];
}

const KIND_ORDER: Record<StepKind, number> = { received: 0, authenticated: 1, queued: 2, decided: 3, order: 4, result: 5 };

function ms(iso: string | null | undefined): number {
  return iso ? Date.parse(iso) : Number.NaN;
}

/** How an alert came in, in words: the route it used. */
export function routeOf(story: AlertStory): string {
  if (story.route) return story.route;
  switch (story.source) {
    case 'webhook':
      return 'POST /webhook';
    case 'tradingview':
      return 'POST /webhook/tradingview/{token}';
    case 'rabbitmq':
    case 'submit-alert':
      return 'RabbitMQ submit-alert';
    case 'console':
      return 'the console (test alert or position close)';
    default:
      return story.source;
  }
}

export function authenticationOf(story: AlertStory): string {
  if (story.source === 'webhook') return 'HMAC signature (X-AlgoSignal-Signature) verified';
  if (story.source === 'tradingview') return "the strategy's TradingView token matched";
  if (story.source === 'console') return 'a signed-in console session with its antiforgery token';
  return `accepted from ${story.source}`;
}

/** When the worker decided: the server's own time when it gives one, else the first order's creation, else the last update of a final alert. */
function decidedAt(story: AlertStory): { at: string | null; approximate: boolean } {
  const given = story.decided_at ?? story.risk?.decided_at;
  if (given) return { at: given, approximate: false };
  const firstOrder = [...story.orders].sort((a, b) => ms(a.created_at) - ms(b.created_at))[0];
  if (firstOrder) return { at: firstOrder.created_at, approximate: true };
  if (story.status !== 'received') return { at: story.updated_at, approximate: true };
  return { at: null, approximate: false };
}

export function sortedEvents(order: Order): TimelineEvent[] {
  const start = ms(order.created_at);
  return order.events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => ms(a.event.created_at) - ms(b.event.created_at) || a.index - b.index)
    .map(({ event }) => ({ event, sinceOrderMs: Number.isNaN(start) ? null : ms(event.created_at) - start }));
}

/** The alert's story as ordered steps, each with its time, time since receipt and time since the step before. */
export function buildTimeline(story: AlertStory): TimelineStep[] {
  const steps: Omit<TimelineStep, 'sinceStartMs' | 'sincePreviousMs'>[] = [];
  steps.push({ key: 'received', kind: 'received', title: 'Received', at: story.received_at, approximate: false });
  steps.push({
    key: 'authenticated',
    kind: 'authenticated',
    title: 'Authenticated',
    at: story.authenticated_at ?? story.received_at,
    approximate: !story.authenticated_at,
  });
  steps.push({ key: 'queued', kind: 'queued', title: 'Queued', at: story.queued_at ?? story.received_at, approximate: !story.queued_at });

  if (story.status !== 'received' || story.signal || story.risk) {
    const decided = decidedAt(story);
    steps.push({ key: 'decided', kind: 'decided', title: story.status === 'duplicate' ? 'Recognised as a duplicate' : 'Decided', ...decided });
  }

  story.orders.forEach((order, index) => {
    steps.push({
      key: `order-${order.client_order_id || index}`,
      kind: 'order',
      title: `Order ${index + 1}: ${order.side} ${order.intent} on ${order.broker}/${order.account}`,
      at: order.created_at,
      approximate: false,
      order,
    });
  });

  if (story.orders.length > 0 || (story.positions?.length ?? 0) > 0) {
    const last = lastTime(story);
    steps.push({ key: 'result', kind: 'result', title: 'Resulting position and P&L', at: last, approximate: true });
  }

  const indexed = steps.map((s, i) => ({ s, i }));
  indexed.sort((a, b) => {
    const ta = ms(a.s.at);
    const tb = ms(b.s.at);
    // Steps keep their causal order (received before authenticated before queued…): clocks of the ingress
    // and the worker may disagree by a few milliseconds, and a story must not read backwards.
    const kind = KIND_ORDER[a.s.kind] - KIND_ORDER[b.s.kind];
    if (kind !== 0) return kind;
    if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return ta - tb;
    return a.i - b.i;
  });

  const start = ms(story.received_at);
  let previous = start;
  return indexed.map(({ s }) => {
    const t = ms(s.at);
    const step: TimelineStep = {
      ...s,
      sinceStartMs: Number.isNaN(t) || Number.isNaN(start) ? null : t - start,
      sincePreviousMs: Number.isNaN(t) || Number.isNaN(previous) ? null : t - previous,
      events: s.order ? sortedEvents(s.order) : undefined,
    };
    if (!Number.isNaN(t)) previous = t;
    return step;
  });
}

function lastTime(story: AlertStory): string {
  let best = story.updated_at;
  for (const order of story.orders) {
    for (const event of order.events) if (ms(event.created_at) > ms(best)) best = event.created_at;
  }
  return best;
}

export interface StoryResult {
  filledQuantity: number;
  averagePrice: number | null;
  realizedPnl: number;
  fees: number;
  /** Signed: bought − sold. */
  netQuantity: number;
}

/** What the alert's orders did together: quantities, fees and realised P&L summed over its fills. */
export function summarizeOrders(orders: Order[]): StoryResult {
  let filled = 0;
  let notional = 0;
  let realized = 0;
  let fees = 0;
  let net = 0;
  for (const o of orders) {
    const q = num(o.filled_quantity) || 0;
    const p = num(o.average_price);
    filled += q;
    if (!Number.isNaN(p)) notional += q * p;
    realized += num(o.realized_pnl) || 0;
    fees += num(o.fees) || 0;
    net += o.side === 'sell' ? -q : q;
  }
  return { filledQuantity: filled, averagePrice: filled > 0 && notional > 0 ? notional / filled : null, realizedPnl: realized, fees, netQuantity: net };
}

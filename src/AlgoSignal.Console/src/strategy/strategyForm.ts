import type { StrategyDefinition, StrategyView } from '../api/types';

/** The form keeps what the user typed (text), so the API can judge it and say what is wrong with it. */
export interface RouteDraft {
  broker: string;
  account: string;
}

export interface StrategyDraft {
  name: string;
  enabled: boolean;
  mode: string;
  routes: RouteDraft[];
  symbols: string;
  timeframes: string;
  sizingMode: string;
  sizingValue: string;
  riskMultiplier: string;
  maxPositions: string;
  maxPositionQuantity: string;
  maxOrderNotional: string;
  maxDailyLoss: string;
  maxOrdersPerMinute: string;
  windowEnabled: boolean;
  windowStart: string;
  windowEnd: string;
  windowTimezone: string;
  windowDays: string[];
  maxSignalAgeSeconds: string;
  allowShort: boolean;
  pyramiding: string;
}

export const BROKERS = ['paper', 'interactive_brokers', 'tradestation', 'bybit'] as const;
export const SIZING_MODES = ['fixed', 'notional', 'percent_equity', 'risk_percent'] as const;
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** The field of `sizing` each mode reads (README, Strategy API). */
export function sizingField(mode: string): 'quantity' | 'amount' | 'percent' {
  if (mode === 'notional') return 'amount';
  if (mode === 'percent_equity' || mode === 'risk_percent') return 'percent';
  return 'quantity';
}

/** The API's defaults for a new strategy. */
export function newDraft(): StrategyDraft {
  return {
    name: '',
    enabled: true,
    mode: 'paper',
    routes: [{ broker: 'paper', account: 'paper-1' }],
    symbols: '',
    timeframes: '',
    sizingMode: 'fixed',
    sizingValue: '1',
    riskMultiplier: '1',
    maxPositions: '5',
    maxPositionQuantity: '',
    maxOrderNotional: '',
    maxDailyLoss: '',
    maxOrdersPerMinute: '30',
    windowEnabled: false,
    windowStart: '09:30',
    windowEnd: '16:00',
    windowTimezone: 'America/New_York',
    windowDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
    maxSignalAgeSeconds: '60',
    allowShort: true,
    pyramiding: '1',
  };
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

export function draftFrom(view: StrategyView): StrategyDraft {
  const field = sizingField(view.sizing.mode);
  return {
    name: view.name,
    enabled: view.enabled,
    mode: view.mode,
    routes: view.routes.map((r) => ({ broker: r.broker, account: r.account })),
    symbols: view.symbols.join(', '),
    timeframes: view.timeframes.join(', '),
    sizingMode: view.sizing.mode,
    sizingValue: text(view.sizing[field]),
    riskMultiplier: text(view.risk_multiplier),
    maxPositions: text(view.max_positions),
    maxPositionQuantity: text(view.max_position_quantity),
    maxOrderNotional: text(view.max_order_notional),
    maxDailyLoss: text(view.max_daily_loss),
    maxOrdersPerMinute: text(view.max_orders_per_minute),
    windowEnabled: view.trading_window !== null,
    windowStart: view.trading_window?.start ?? '09:30',
    windowEnd: view.trading_window?.end ?? '16:00',
    windowTimezone: view.trading_window?.timezone ?? 'America/New_York',
    windowDays: view.trading_window?.days ?? ['mon', 'tue', 'wed', 'thu', 'fri'],
    maxSignalAgeSeconds: text(view.max_signal_age_seconds),
    allowShort: view.allow_short,
    pyramiding: text(view.pyramiding),
  };
}

/** `a, b c\nd` → `['a','b','c','d']`. */
export function splitList(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * A typed number as the API should get it: a JSON number when that keeps it exactly, the decimal text
 * when a double would change it (the API takes numeric strings), and anything else as the text itself,
 * so the API names the field and says what it expects.
 */
export function numberValue(value: string): number | string {
  const t = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) {
    // Up to 15 significant digits survive a double unchanged; longer decimals stay text.
    const digits = t.replace(/^-/, '').replace('.', '').replace(/^0+/, '');
    return digits.length <= 15 ? Number(t) : t;
  }
  return t;
}

function nullable(value: string): number | string | null {
  return value.trim() === '' ? null : numberValue(value);
}

/** The JSON body of `POST /api/v1/strategies` or `PUT /api/v1/strategies/{name}`: every field of the definition. */
export function buildBody(d: StrategyDraft): StrategyDefinition {
  const field = sizingField(d.sizingMode);
  return {
    name: d.name.trim(),
    enabled: d.enabled,
    mode: d.mode,
    routes: d.routes.map((r) => ({ broker: r.broker.trim(), account: r.account.trim() })),
    symbols: splitList(d.symbols).map((s) => s.toUpperCase()),
    timeframes: splitList(d.timeframes),
    sizing: { mode: d.sizingMode, [field]: numberValue(d.sizingValue) } as StrategyDefinition['sizing'],
    risk_multiplier: numberValue(d.riskMultiplier),
    max_positions: numberValue(d.maxPositions) as number,
    max_position_quantity: nullable(d.maxPositionQuantity),
    max_order_notional: nullable(d.maxOrderNotional),
    max_daily_loss: nullable(d.maxDailyLoss),
    max_orders_per_minute: numberValue(d.maxOrdersPerMinute) as number,
    trading_window: d.windowEnabled
      ? { start: d.windowStart.trim(), end: d.windowEnd.trim(), timezone: d.windowTimezone.trim(), days: [...d.windowDays] }
      : null,
    max_signal_age_seconds: numberValue(d.maxSignalAgeSeconds) as number,
    allow_short: d.allowShort,
    pyramiding: numberValue(d.pyramiding) as number,
  };
}

/** Where the API's error keys land: the form's fields, by the API's own names. */
export function fieldKeys(routeCount: number): string[] {
  const keys = [
    'name',
    'enabled',
    'mode',
    'routes',
    'symbols',
    'timeframes',
    'sizing.mode',
    'sizing.quantity',
    'sizing.amount',
    'sizing.percent',
    'sizing',
    'risk_multiplier',
    'max_positions',
    'max_position_quantity',
    'max_order_notional',
    'max_daily_loss',
    'max_orders_per_minute',
    'trading_window.start',
    'trading_window.end',
    'trading_window.timezone',
    'trading_window.days',
    'trading_window',
    'max_signal_age_seconds',
    'allow_short',
    'pyramiding',
  ];
  for (let i = 0; i < routeCount; i++) keys.push(`routes[${i}].broker`, `routes[${i}].account`, `routes[${i}]`);
  return keys;
}

export interface PlacedErrors {
  /** By form field key (the API's names). */
  byField: Record<string, string[]>;
  /** Errors naming nothing on the form (e.g. `body`), shown above it. */
  general: string[];
}

/**
 * Puts each message of a 400's `errors` next to the field it names: the exact key, else the longest
 * field key it falls under (`symbols[1]` → `symbols`, `routes[0].account` → `routes[0].account`,
 * `sizing.quantity` while the form shows `amount` → `sizing`). Keys are compared case-insensitively.
 */
export function placeErrors(errors: Record<string, string[]> | undefined, fields: string[]): PlacedErrors {
  const placed: PlacedErrors = { byField: {}, general: [] };
  if (!errors) return placed;
  const lower = fields.map((f) => f.toLowerCase());
  for (const [key, messages] of Object.entries(errors)) {
    const k = key.toLowerCase();
    let best = -1;
    lower.forEach((f, i) => {
      const under = k === f || k.startsWith(`${f}.`) || k.startsWith(`${f}[`);
      if (under && (best < 0 || f.length > lower[best].length)) best = i;
    });
    if (best < 0) {
      placed.general.push(...messages.map((m) => (key && key !== 'body' && key !== '' ? `${key}: ${m}` : m)));
    } else {
      const field = fields[best];
      placed.byField[field] = [...(placed.byField[field] ?? []), ...messages];
    }
  }
  return placed;
}

/** The message to paste into TradingView's alert dialog for this strategy (README, "Sending alerts from TradingView"). */
export function tradingViewMessage(strategy: string): string {
  return JSON.stringify(
    {
      strategy,
      action: '{{strategy.order.action}}',
      symbol: '{{exchange}}:{{ticker}}',
      price: '{{close}}',
      quantity: '{{strategy.order.contracts}}',
      market_position: '{{strategy.market_position}}',
      prev_market_position: '{{strategy.prev_market_position}}',
      alert_id: '{{strategy.order.id}}-{{timenow}}',
      timeframe: '{{interval}}',
      time: '{{timenow}}',
    },
    null,
    2,
  )
    .replace('"{{close}}"', '{{close}}')
    .replace('"{{strategy.order.contracts}}"', '{{strategy.order.contracts}}');
}

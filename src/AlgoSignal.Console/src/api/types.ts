// Shapes of the API's answers (snake_case, as the ingress writes them). Optional fields are ones the
// console shows when the server provides them.

export type Decimal = number | string;

export interface SessionInfo {
  signed_in: boolean;
  expires_at: string;
  antiforgery_token?: string;
}

export interface KillSwitchState {
  active: boolean;
  reason?: string | null;
  by?: string | null;
  at?: string | null;
}

export interface Overview {
  mode: 'paper' | 'live';
  live_strategies: string[];
  kill_switch: KillSwitchState;
  backlog: number | null;
  last_alert_at: string | null;
  today: { fills: number; rejects_by_status: Record<string, number>; realized_pnl: Decimal };
  decision_latency_ms: { p50: number | null; p99: number | null };
}

export interface AlertSummary {
  alert_id: string;
  strategy: string | null;
  status: string;
  reason: string | null;
  duplicate_of: string | null;
  source: string;
  received_at: string;
  symbol?: string | null;
  action?: string | null;
}

export interface OrderEvent {
  type: string;
  quantity: Decimal | null;
  price: Decimal | null;
  message: string | null;
  created_at: string;
}

export interface Order {
  broker: string;
  account: string;
  client_order_id: string;
  broker_order_id: string | null;
  symbol: string;
  side: string;
  intent: string;
  role: string;
  strategy: string | null;
  quantity: Decimal;
  order_type: string;
  limit_price: Decimal | null;
  stop_price: Decimal | null;
  time_in_force: string;
  status: string;
  filled_quantity: Decimal;
  average_price: Decimal | null;
  fees: Decimal;
  realized_pnl: Decimal;
  reason: string | null;
  created_at: string;
  events: OrderEvent[];
  alert_id?: string | null;
  /** The request sent to the broker and its answer, when the server records them. */
  broker_request?: unknown;
  broker_response?: unknown;
}

export interface RiskRuleResult {
  rule: string;
  passed: boolean;
  value?: unknown;
  limit?: unknown;
  detail?: string | null;
}

export interface SizingStep {
  mode?: string;
  arithmetic?: string;
  quantity?: Decimal;
  [key: string]: unknown;
}

export interface RiskDecisionView {
  decision: string;
  rule: string | null;
  reason: string | null;
  decided_at?: string | null;
  rules?: RiskRuleResult[];
  sizing?: SizingStep | null;
}

export interface SignalLeg {
  intent: string;
  side: string;
  quantity: Decimal | null;
}

export interface SignalView {
  action?: string;
  symbol?: string;
  exchange?: string;
  legs?: SignalLeg[];
  rejection?: string | null;
  [key: string]: unknown;
}

export interface StoryPosition {
  account: string;
  broker?: string;
  symbol: string;
  quantity: Decimal;
  average_price: Decimal;
  realized_pnl: Decimal;
  unrealized_pnl?: Decimal;
}

export interface AlertStory {
  alert_id: string;
  strategy: string | null;
  status: string;
  reason: string | null;
  duplicate_of: string | null;
  source: string;
  source_ip: string | null;
  received_at: string;
  updated_at: string;
  payload: Record<string, unknown> | unknown;
  signal: SignalView | null;
  risk: RiskDecisionView | null;
  orders: Order[];
  /** Optional step times the server may add (README, "Console"). */
  route?: string | null;
  authenticated_at?: string | null;
  queued_at?: string | null;
  decided_at?: string | null;
  sizing?: SizingStep | null;
  positions?: StoryPosition[];
}

export interface WebhookLogEntry {
  id: number;
  received_at: string;
  route: string;
  source_ip: string | null;
  status: number;
  reason: string | null;
  alert_id: string | null;
  strategy: string | null;
  count: number;
  payload: unknown;
}

export interface Position {
  account: string;
  broker: string;
  symbol: string;
  quantity: Decimal;
  average_price: Decimal;
  realized_pnl: Decimal;
  unrealized_pnl: Decimal;
  last_price: Decimal | null;
  strategy?: string | null;
}

export interface AccountPnl {
  account: string;
  broker: string;
  initial_cash: Decimal;
  cash: Decimal;
  equity: Decimal;
  realized_pnl: Decimal;
  unrealized_pnl: Decimal;
  fees: Decimal;
  total_pnl: Decimal;
  positions: Position[];
  equity_curve?: { time: string; equity: Decimal }[];
}

export interface KillSwitchView {
  enabled: boolean;
  reason: string | null;
  updated_at: string;
  by?: string | null;
}

export interface StrategyRoute {
  broker: string;
  account: string;
}

export interface SizingRule {
  mode: string;
  quantity?: Decimal | null;
  amount?: Decimal | null;
  percent?: Decimal | null;
}

export interface TradingWindow {
  start: string;
  end: string;
  timezone: string;
  days: string[];
}

export interface StrategyDefinition {
  name: string;
  enabled: boolean;
  mode: 'paper' | 'live' | string;
  routes: StrategyRoute[];
  symbols: string[];
  timeframes: string[];
  sizing: SizingRule;
  risk_multiplier: Decimal;
  max_positions: number;
  max_position_quantity: Decimal | null;
  max_order_notional: Decimal | null;
  max_daily_loss: Decimal | null;
  max_orders_per_minute: number;
  trading_window: TradingWindow | null;
  max_signal_age_seconds: number;
  allow_short: boolean;
  pyramiding: number;
}

export interface StrategyView extends StrategyDefinition {
  has_webhook_token: boolean;
  created_at: string;
  updated_at: string;
  webhook_token?: string;
  webhook_url?: string;
}

export interface RotatedToken {
  name: string;
  webhook_token: string;
  webhook_url: string;
}

export interface SymbolMatch {
  symbol: string;
  description: string;
  type: string;
  exchange: string;
  currency: string;
}

export interface OhlcBar {
  time: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume?: number | null;
  forming?: boolean;
}

export interface QualityFinding {
  dimension: string;
  rule: string;
  bar_time: string | null;
  detail: string;
}

export interface QualityReport {
  completeness: number;
  accuracy: number;
  consistency: number;
  timeliness: number;
  validity: number;
  uniqueness: number;
  level: string;
  findings: QualityFinding[];
}

export interface HistoricalAnswer {
  status: string;
  data: {
    symbol: string;
    timeframe: string;
    klines: { timestamp: number; open: number; high: number; low: number; close: number; volume: number | null }[];
  };
  metadata: {
    quality_score: number | null;
    quality: QualityReport | null;
    source: string;
    cached_at: string;
    count: number;
    has_volume: boolean;
  };
}

export interface CacheStats {
  memory_entries: number;
  memory_capacity: number;
  memory_bytes: number;
  memory_max_bytes: number;
  database_series: number;
  hits: { memory: number; database: number };
  misses: number;
  hit_rate: number;
}

export interface HealthComponent {
  status: string;
  description?: string | null;
  [key: string]: unknown;
}

export interface HealthReport {
  status: string;
  timestamp: string;
  components: Record<string, HealthComponent>;
}

export interface LiveAlertEvent {
  alert_id: string;
  strategy: string | null;
  symbol: string | null;
  action: string | null;
  status: string;
  reason: string | null;
  finished_at: string;
}

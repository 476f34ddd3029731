// An alert as listed, as told step by step (its story), as seen live, and the webhook requests behind it.

import type { Order } from './orderTypes';
import type { Decimal } from './types';

/** What the alert list and an alert's story both say about an alert. */
interface AlertRecord {
  alert_id: string;
  strategy: string | null;
  status: string;
  reason: string | null;
  duplicate_of: string | null;
  source: string;
}

export interface AlertSummary extends AlertRecord {
  received_at: string;
  symbol?: string | null;
  action?: string | null;
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

export interface AlertStory extends AlertRecord {
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

export interface LiveAlertEvent {
  alert_id: string;
  strategy: string | null;
  symbol: string | null;
  action: string | null;
  status: string;
  reason: string | null;
  finished_at: string;
}

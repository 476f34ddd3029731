// A strategy's definition (what the form edits) and what the API adds to it.

import type { Decimal } from './types';

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

// Orders, positions and accounts' P&L as the ingress reports them.

import type { Decimal } from './types';

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

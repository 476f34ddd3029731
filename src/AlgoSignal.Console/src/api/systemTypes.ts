// The session, the overview, the kill switch and health: what the console's frame and overview page read.

import type { Decimal } from './types';

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

export interface KillSwitchView {
  enabled: boolean;
  reason: string | null;
  updated_at: string;
  by?: string | null;
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

import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Overview } from './types';

type Raw = Record<string, unknown> | null | undefined;

function obj(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function numOrNull(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return null;
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * `GET /api/v1/overview` in the console's terms. Reads both spellings the ingress has used for the kill
 * switch (`active`/`enabled`, `by`/`changed_by`, `at`/`updated_at`), the latency (`decision_latency_ms.p50`
 * or `latency.p50_ms`) and the refusals (`today.rejects_by_status` or `today.rejects`).
 */
export function normalizeOverview(raw: Raw): Overview {
  const r = obj(raw);
  const kill = obj(r.kill_switch);
  const today = obj(r.today);
  const latency = obj(r.decision_latency_ms);
  const latency2 = obj(r.latency);
  const rejects = obj(today.rejects_by_status ?? today.rejects);
  return {
    mode: r.mode === 'live' ? 'live' : 'paper',
    live_strategies: Array.isArray(r.live_strategies) ? r.live_strategies.filter((s): s is string => typeof s === 'string') : [],
    kill_switch: {
      active: Boolean(kill.active ?? kill.enabled),
      reason: textOrNull(kill.reason),
      by: textOrNull(kill.by ?? kill.changed_by ?? kill.updated_by),
      at: textOrNull(kill.at ?? kill.updated_at ?? kill.changed_at),
    },
    backlog: numOrNull(r.backlog),
    last_alert_at: textOrNull(r.last_alert_at),
    today: {
      fills: numOrNull(today.fills) ?? 0,
      rejects_by_status: Object.fromEntries(Object.entries(rejects).map(([k, v]) => [k, numOrNull(v) ?? 0])),
      realized_pnl: (today.realized_pnl as number | string | undefined) ?? 0,
    },
    decision_latency_ms: {
      p50: numOrNull(latency.p50 ?? latency2.p50_ms),
      p99: numOrNull(latency.p99 ?? latency2.p99_ms),
    },
  };
}

export function useOverview() {
  return useQuery({
    queryKey: ['overview'],
    queryFn: async ({ signal }) => normalizeOverview(await api.get<Raw>('/api/v1/overview', signal)),
    refetchInterval: 15_000,
  });
}

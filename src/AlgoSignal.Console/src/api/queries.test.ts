import { describe, expect, it } from 'vitest';
import { normalizeOverview } from './queries';

describe('the overview answer', () => {
  it('reads the documented shape', () => {
    const o = normalizeOverview({
      mode: 'live',
      live_strategies: ['breakout'],
      kill_switch: { active: true, reason: 'broker outage', by: 'console', at: '2026-12-02T10:00:00Z' },
      backlog: 3,
      last_alert_at: '2026-12-02T09:59:00Z',
      today: { fills: 7, rejects_by_status: { risk_rejected: 2 }, realized_pnl: '-12.5' },
      decision_latency_ms: { p50: 4.5, p99: 31 },
    });
    expect(o).toEqual({
      mode: 'live',
      live_strategies: ['breakout'],
      kill_switch: { active: true, reason: 'broker outage', by: 'console', at: '2026-12-02T10:00:00Z' },
      backlog: 3,
      last_alert_at: '2026-12-02T09:59:00Z',
      today: { fills: 7, rejects_by_status: { risk_rejected: 2 }, realized_pnl: '-12.5' },
      decision_latency_ms: { p50: 4.5, p99: 31 },
    });
  });

  it('reads the ingress’s other spelling of the kill switch, the refusals and the latency', () => {
    const o = normalizeOverview({
      mode: 'paper',
      live_strategies: [],
      kill_switch: { enabled: false, reason: null, updated_at: '2026-12-02T10:00:00Z', changed_by: null },
      backlog: 0,
      last_alert_at: null,
      today: { since: '2026-12-02T00:00:00Z', alerts: 4, statuses: { filled: 3 }, rejects: { rejected: 1 }, fills: 3, realized_pnl: 10 },
      latency: { window_minutes: 60, alerts: 4, p50_ms: 3.2, p99_ms: null },
    });
    expect(o.kill_switch).toEqual({ active: false, reason: null, by: null, at: '2026-12-02T10:00:00Z' });
    expect(o.today.rejects_by_status).toEqual({ rejected: 1 });
    expect(o.decision_latency_ms).toEqual({ p50: 3.2, p99: null });
    expect(o.mode).toBe('paper');
  });

  it('names who changed the kill switch from the stored updated_by', () => {
    const o = normalizeOverview({
      mode: 'paper',
      kill_switch: { enabled: true, reason: 'maintenance', updated_at: '2026-12-02T10:00:00Z', updated_by: 'API key 1a2b3c4d from 10.0.0.5' },
    });
    expect(o.kill_switch.by).toBe('API key 1a2b3c4d from 10.0.0.5');
  });
});

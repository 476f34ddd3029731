import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { useOverview } from '../api/queries';
import type { AlertSummary, KillSwitchView, LiveAlertEvent } from '../api/types';
import { Badge, Card, ConfirmDialog, Empty, ErrorBox, Loading, PageHeader, Stat, useNow } from '../components/ui';
import { duration, pnlClass, shortTime, signedMoney, since } from '../format';
import { useLive } from '../live';

function KillSwitchCard() {
  const overview = useOverview();
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const kill = overview.data?.kill_switch;
  const engage = !kill?.active;
  const mutation = useMutation({
    mutationFn: () => api.post<KillSwitchView>('/api/v1/kill-switch', engage ? { enabled: true, reason: reason.trim() || null } : { enabled: false, reason: null }),
    onSuccess: async () => {
      setConfirming(false);
      setReason('');
      await client.invalidateQueries({ queryKey: ['overview'] });
      await client.invalidateQueries({ queryKey: ['kill-switch'] });
    },
  });

  return (
    <Card title="Kill switch" className={kill?.active ? 'card-danger' : undefined}>
      {!kill ? (
        <Loading />
      ) : (
        <>
          <div className="kill-state">
            <Badge status={kill.active ? 'engaged' : 'released'} tone={kill.active ? 'bad' : 'good'} />
            <span>{kill.active ? 'No new orders are placed.' : 'Orders flow normally.'}</span>
          </div>
          <dl className="kv">
            <dt>Reason</dt>
            <dd>{kill.reason || '—'}</dd>
            <dt>By</dt>
            <dd>{kill.by || '—'}</dd>
            <dt>When</dt>
            <dd className="num">{shortTime(kill.at)}</dd>
          </dl>
          <button
            type="button"
            className={engage ? 'danger' : 'primary'}
            onClick={() => {
              mutation.reset();
              setConfirming(true);
            }}
          >
            {engage ? 'Engage kill switch' : 'Release kill switch'}
          </button>
        </>
      )}
      {confirming && (
        <ConfirmDialog
          title={engage ? 'Engage the kill switch?' : 'Release the kill switch?'}
          confirmLabel={engage ? 'Engage' : 'Release'}
          danger={engage}
          busy={mutation.isPending}
          error={mutation.error}
          onConfirm={() => mutation.mutate()}
          onCancel={() => setConfirming(false)}
        >
          {engage ? (
            <>
              <p>Every new entry is refused with the rule <code>kill_switch</code> until it is released.</p>
              <label htmlFor="kill-reason">Reason</label>
              <input id="kill-reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} placeholder="broker outage" />
            </>
          ) : (
            <p>New orders will be placed again as alerts arrive.</p>
          )}
        </ConfirmDialog>
      )}
    </Card>
  );
}

/** A live event or a stored alert, told the same way in the feed. */
interface FeedItem extends Omit<LiveAlertEvent, 'finished_at'> {
  at: string;
  live: boolean;
}

/** Live events first, then the newest stored alerts so the feed is not empty when the page opens. */
export function mergeFeed(live: LiveAlertEvent[], recent: AlertSummary[], size = 25): FeedItem[] {
  const seen = new Set<string>();
  const items: FeedItem[] = [];
  for (const a of live) {
    if (seen.has(a.alert_id)) continue;
    seen.add(a.alert_id);
    items.push({ alert_id: a.alert_id, strategy: a.strategy, symbol: a.symbol, action: a.action, status: a.status, reason: a.reason, at: a.finished_at, live: true });
  }
  for (const a of recent) {
    if (seen.has(a.alert_id)) continue;
    seen.add(a.alert_id);
    items.push({ alert_id: a.alert_id, strategy: a.strategy, symbol: a.symbol ?? null, action: a.action ?? null, status: a.status, reason: a.reason, at: a.received_at, live: false });
  }
  return items.slice(0, size);
}

function LiveFeed() {
  const { feed, state } = useLive();
  const recent = useQuery({ queryKey: ['alerts', 'recent'], queryFn: ({ signal }) => api.get<AlertSummary[]>('/api/v1/alerts?limit=20', signal) });
  const items = mergeFeed(feed, recent.data ?? []);
  return (
    <Card title={<>Live feed <span className={`live-indicator live-${state}`}><span className="dot" aria-hidden="true" />{state}</span></>} className="feed-card">
      {recent.error ? <ErrorBox error={recent.error} /> : null}
      {items.length === 0 ? (
        <Empty>No alerts yet. Alerts appear here as soon as the worker finishes them.</Empty>
      ) : (
        <ul className="feed" aria-label="Live feed">
          {items.map((a) => (
            <li key={a.alert_id} className={a.live ? 'feed-new' : undefined} data-live={a.live ? 'true' : undefined} data-alert-id={a.alert_id}>
              <span className="num muted feed-time">{shortTime(a.at).slice(11)}</span>
              <Badge status={a.status} />
              <Link to={`/alerts/${encodeURIComponent(a.alert_id)}`} className="feed-link">
                <span className="feed-strategy">{a.strategy ?? '(no strategy)'}</span>
                {a.action && <span className="feed-action">{a.action}</span>}
                {a.symbol && <span className="num">{a.symbol}</span>}
              </Link>
              {a.reason && <span className="feed-reason muted">{a.reason}</span>}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function OverviewPage() {
  const overview = useOverview();
  const now = useNow(1000);
  const data = overview.data;
  const rejects = Object.entries(data?.today.rejects_by_status ?? {}).filter(([, count]) => count > 0);
  return (
    <>
      <PageHeader title="Overview" />
      <ErrorBox error={overview.error} />
      <div className="overview-grid">
        <div className="overview-main">
          <div className="stats">
            <Stat label="Mode" value={data ? <Badge status={data.mode} tone={data.mode === 'live' ? 'bad' : 'neutral'} /> : '…'} />
            <Stat label="Queue backlog" value={data?.backlog ?? '—'} hint="alerts waiting for the worker" />
            <Stat label="Since last alert" value={data ? since(data.last_alert_at, now).replace(' ago', '') : '…'} hint={data?.last_alert_at ? shortTime(data.last_alert_at) : undefined} />
            <Stat label="Today's P&L" value={<span className={pnlClass(data?.today.realized_pnl)}>{signedMoney(data?.today.realized_pnl)}</span>} hint="realised" />
            <Stat label="Fills today" value={data?.today.fills ?? '—'} />
            <Stat label="Decision p50" value={duration(data?.decision_latency_ms.p50 ?? null)} hint="receipt → decision" />
            <Stat label="Decision p99" value={duration(data?.decision_latency_ms.p99 ?? null)} hint="receipt → decision" />
          </div>
          <Card title="Rejects today by stage">
            {rejects.length === 0 ? (
              <Empty>No rejects today.</Empty>
            ) : (
              <table className="table compact">
                <thead>
                  <tr>
                    <th>Status</th>
                    <th className="right">Count</th>
                  </tr>
                </thead>
                <tbody>
                  {rejects.map(([status, count]) => (
                    <tr key={status}>
                      <td>
                        <Link to={`/alerts?status=${encodeURIComponent(status)}`}>
                          <Badge status={status} />
                        </Link>
                      </td>
                      <td className="num right">{count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
          <KillSwitchCard />
        </div>
        <LiveFeed />
      </div>
    </>
  );
}

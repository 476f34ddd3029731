import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, withQuery } from '../api/client';
import type { WebhookLogEntry } from '../api/types';
import { Badge, Empty, ErrorBox, Loading, PageHeader } from '../components/ui';
import { json, shortTime } from '../format';

const FIELDS = ['status', 'route', 'source_ip', 'alert_id'] as const;

export function WebhookLogPage() {
  const [params, setParams] = useSearchParams();
  const current = Object.fromEntries(FIELDS.map((f) => [f, params.get(f) ?? ''])) as Record<(typeof FIELDS)[number], string>;
  const [draft, setDraft] = useState(current);
  const [open, setOpen] = useState<number | null>(null);
  const path = withQuery('/api/v1/webhook-log', { ...current, limit: 200 });
  const log = useQuery({ queryKey: ['webhook-log', path], queryFn: ({ signal }) => api.get<WebhookLogEntry[]>(path, signal), refetchInterval: 10_000 });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const f of FIELDS) if (draft[f].trim()) next.set(f, draft[f].trim());
    setParams(next);
  };

  return (
    <>
      <PageHeader title="Webhook log" />
      <p className="muted">Every request to the webhook routes, the refused ones included: bad signatures, malformed JSON (with line and position), rate limits.</p>
      <form className="filters" onSubmit={submit} aria-label="Webhook log filters">
        <label>
          HTTP status
          <input value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })} placeholder="e.g. 401" inputMode="numeric" />
        </label>
        <label>
          Route
          <input value={draft.route} onChange={(e) => setDraft({ ...draft, route: e.target.value })} placeholder="any" />
        </label>
        <label>
          Source address
          <input value={draft.source_ip} onChange={(e) => setDraft({ ...draft, source_ip: e.target.value })} placeholder="any" />
        </label>
        <label>
          Alert id
          <input value={draft.alert_id} onChange={(e) => setDraft({ ...draft, alert_id: e.target.value })} placeholder="any" />
        </label>
        <div className="filter-buttons">
          <button type="submit" className="primary">
            Apply
          </button>
        </div>
      </form>
      <ErrorBox error={log.error} />
      {log.isPending ? (
        <Loading />
      ) : (log.data ?? []).length === 0 ? (
        <Empty>No requests match.</Empty>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Received (UTC)</th>
              <th>Status</th>
              <th>Route</th>
              <th>Source address</th>
              <th>Strategy</th>
              <th className="right">Count</th>
              <th>Reason</th>
              <th>Alert</th>
            </tr>
          </thead>
          <tbody>
            {log.data!.map((e) => (
              <FragmentRow key={e.id} entry={e} open={open === e.id} toggle={() => setOpen(open === e.id ? null : e.id)} />
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function FragmentRow({ entry: e, open, toggle }: { entry: WebhookLogEntry; open: boolean; toggle: () => void }) {
  return (
    <>
      <tr>
        <td className="num nowrap">{shortTime(e.received_at)}</td>
        <td>
          <Badge status={e.status} />
        </td>
        <td>
          <code>{e.route}</code>
        </td>
        <td className="num">{e.source_ip ?? '—'}</td>
        <td>{e.strategy ?? '—'}</td>
        <td className="num right">{e.count}</td>
        <td className="reason">
          {e.reason ?? ''}
          {e.payload !== null && e.payload !== undefined && (
            <button type="button" className="link-button" onClick={toggle} aria-expanded={open}>
              {open ? 'hide payload' : 'payload'}
            </button>
          )}
        </td>
        <td className="num">{e.alert_id ? <Link to={`/alerts/${encodeURIComponent(e.alert_id)}`}>{e.alert_id.slice(0, 8)}…</Link> : '—'}</td>
      </tr>
      {open && (
        <tr className="detail-row">
          <td colSpan={8}>
            <pre className="mono-block">{json(e.payload)}</pre>
          </td>
        </tr>
      )}
    </>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, withQuery } from '../api/client';
import type { WebhookLogEntry } from '../api/types';
import { FilterForm, useUrlFilters } from '../components/filters';
import { QueryTable } from '../components/QueryTable';
import { Badge, PageHeader } from '../components/ui';
import { json, shortTime } from '../format';

const FIELDS = ['status', 'route', 'source_ip', 'alert_id'] as const;

export function WebhookLogPage() {
  const { current, bind, apply } = useUrlFilters(FIELDS);
  const [open, setOpen] = useState<number | null>(null);
  const path = withQuery('/api/v1/webhook-log', { ...current, limit: 200 });
  const log = useQuery({ queryKey: ['webhook-log', path], queryFn: ({ signal }) => api.get<WebhookLogEntry[]>(path, signal), refetchInterval: 10_000 });

  return (
    <>
      <PageHeader title="Webhook log" />
      <p className="muted">Every request to the webhook routes, the refused ones included: bad signatures, malformed JSON (with line and position), rate limits.</p>
      <FilterForm label="Webhook log filters" onSubmit={apply}>
        <label>
          HTTP status
          <input {...bind('status')} placeholder="e.g. 401" inputMode="numeric" />
        </label>
        <label>
          Route
          <input {...bind('route')} placeholder="any" />
        </label>
        <label>
          Source address
          <input {...bind('source_ip')} placeholder="any" />
        </label>
        <label>
          Alert id
          <input {...bind('alert_id')} placeholder="any" />
        </label>
      </FilterForm>
      <QueryTable
        query={log}
        empty="No requests match."
        head={
          <>
            <th>Received (UTC)</th>
            <th>Status</th>
            <th>Route</th>
            <th>Source address</th>
            <th>Strategy</th>
            <th className="right">Count</th>
            <th>Reason</th>
            <th>Alert</th>
          </>
        }
      >
        {(rows) => rows.map((e) => <FragmentRow key={e.id} entry={e} open={open === e.id} toggle={() => setOpen(open === e.id ? null : e.id)} />)}
      </QueryTable>
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

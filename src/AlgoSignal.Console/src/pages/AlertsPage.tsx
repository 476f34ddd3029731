import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/client';
import { ALERT_STATUSES } from '../api/statuses';
import type { AlertSummary, StrategyView } from '../api/types';
import { FilterForm } from '../components/filters';
import { QueryTable } from '../components/QueryTable';
import { Badge, PageHeader } from '../components/ui';
import { downloadCsv, toCsv } from '../csv';
import { shortTime } from '../format';
import { alertsApiPath, EMPTY_FILTERS, filtersFromQuery, filtersToQuery, type AlertFilters } from './alertFilters';

export function AlertFilterForm({ value, onApply, strategies }: { value: AlertFilters; onApply: (f: AlertFilters) => void; strategies: string[] }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const set = (key: keyof AlertFilters) => (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(draft);
  };
  return (
    <FilterForm
      label="Alert filters"
      onSubmit={submit}
      buttons={
        <button type="button" onClick={() => onApply(EMPTY_FILTERS)}>
          Clear
        </button>
      }
    >
      <label>
        Status
        <select value={draft.status} onChange={set('status')}>
          <option value="">any</option>
          {ALERT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Strategy
        <input value={draft.strategy} onChange={set('strategy')} list="strategy-names" placeholder="any" />
        <datalist id="strategy-names">
          {strategies.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      </label>
      <label>
        Symbol
        <input value={draft.symbol} onChange={set('symbol')} placeholder="any" />
      </label>
      <label>
        From (UTC)
        <input type="datetime-local" value={draft.from} onChange={set('from')} />
      </label>
      <label>
        To (UTC)
        <input type="datetime-local" value={draft.to} onChange={set('to')} />
      </label>
    </FilterForm>
  );
}

export function AlertsPage() {
  const [params, setParams] = useSearchParams();
  const filters = filtersFromQuery(params);
  const path = alertsApiPath(filters);
  const alerts = useQuery({ queryKey: ['alerts', path], queryFn: ({ signal }) => api.get<AlertSummary[]>(path, signal) });
  const strategies = useQuery({ queryKey: ['strategies'], queryFn: ({ signal }) => api.get<StrategyView[]>('/api/v1/strategies', signal) });
  // The API applies every filter (status, strategy, symbol, time); the rows are shown as answered.
  const rows = alerts.data ?? [];
  const hasSymbols = rows.some((a) => a.symbol);

  const exportCsv = () => {
    const columns = ['alert_id', 'received_at', 'strategy', 'symbol', 'status', 'reason', 'duplicate_of', 'source'];
    downloadCsv(`alerts-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.csv`, toCsv(columns, rows as unknown as Record<string, unknown>[]));
  };

  return (
    <>
      <PageHeader title="Alerts">
        <button type="button" onClick={exportCsv} disabled={rows.length === 0}>
          Export CSV
        </button>
      </PageHeader>
      <AlertFilterForm value={filters} onApply={(f) => setParams(filtersToQuery(f))} strategies={(strategies.data ?? []).map((s) => s.name)} />
      <QueryTable
        query={alerts}
        empty="No alerts match these filters."
        head={
          <>
            <th>Received (UTC)</th>
            <th>Status</th>
            <th>Strategy</th>
            {hasSymbols && <th>Symbol</th>}
            <th>Reason</th>
            <th>Source</th>
            <th>Alert</th>
          </>
        }
      >
        {(rows) =>
          rows.map((a) => (
            <tr key={a.alert_id}>
              <td className="num nowrap">{shortTime(a.received_at)}</td>
              <td>
                <Badge status={a.status} />
              </td>
              <td>{a.strategy ?? '—'}</td>
              {hasSymbols && <td className="num">{a.symbol ?? '—'}</td>}
              <td className="reason">
                {a.reason ?? ''}
                {a.duplicate_of && (
                  <>
                    {' '}
                    <Link to={`/alerts/${encodeURIComponent(a.duplicate_of)}`}>original</Link>
                  </>
                )}
              </td>
              <td>{a.source}</td>
              <td className="num">
                <Link to={`/alerts/${encodeURIComponent(a.alert_id)}`}>{a.alert_id.slice(0, 8)}…</Link>
              </td>
            </tr>
          ))
        }
      </QueryTable>
      <p className="muted small-print">{rows.length} alert(s) shown, newest first.</p>
    </>
  );
}

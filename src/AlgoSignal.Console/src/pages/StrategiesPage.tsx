import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { StrategyView } from '../api/types';
import { QueryTable } from '../components/QueryTable';
import { Badge, PageHeader } from '../components/ui';
import { dec, shortTime } from '../format';
import { sizingField } from '../strategy/strategyForm';

export function StrategiesPage() {
  const strategies = useQuery({ queryKey: ['strategies'], queryFn: ({ signal }) => api.get<StrategyView[]>('/api/v1/strategies', signal) });
  return (
    <>
      <PageHeader title="Strategies">
        <Link to="/strategies/new" className="button-link primary">
          New strategy
        </Link>
      </PageHeader>
      <QueryTable
        query={strategies}
        empty="No strategies yet."
        head={
          <>
            <th>Name</th>
            <th>Mode</th>
            <th>State</th>
            <th>Routes</th>
            <th>Symbols</th>
            <th>Sizing</th>
            <th className="right">Max positions</th>
            <th>Token</th>
            <th>Updated (UTC)</th>
          </>
        }
      >
        {(rows) =>
          rows.map((s) => (
            <tr key={s.name}>
              <td>
                <Link to={`/strategies/${encodeURIComponent(s.name)}`}>{s.name}</Link>
              </td>
              <td>
                <Badge status={s.mode} tone={s.mode === 'live' ? 'bad' : 'neutral'} />
              </td>
              <td>
                <Badge status={s.enabled ? 'enabled' : 'disabled'} />
              </td>
              <td>{s.routes.map((r) => `${r.broker}/${r.account}`).join(', ')}</td>
              <td className="num">{s.symbols.length ? s.symbols.join(', ') : <span className="muted">any</span>}</td>
              <td className="num">
                {s.sizing.mode} {dec(s.sizing[sizingField(s.sizing.mode)])}
              </td>
              <td className="num right">{s.max_positions}</td>
              <td>{s.has_webhook_token ? 'yes' : <span className="muted">none</span>}</td>
              <td className="num nowrap">{shortTime(s.updated_at)}</td>
            </tr>
          ))
        }
      </QueryTable>
    </>
  );
}

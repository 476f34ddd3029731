import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, withQuery } from '../api/client';
import { ORDER_STATUSES } from '../api/statuses';
import type { Order } from '../api/types';
import { FilterForm, useUrlFilters } from '../components/filters';
import { QueryTable } from '../components/QueryTable';
import { Badge, PageHeader } from '../components/ui';
import { dec, pnlClass, shortTime, signedMoney } from '../format';

const FIELDS = ['account', 'strategy', 'symbol', 'status'] as const;

export function OrdersPage() {
  const { current, bind, apply } = useUrlFilters(FIELDS);
  const path = withQuery('/api/v1/orders', { ...current, limit: 200 });
  const orders = useQuery({ queryKey: ['orders', path], queryFn: ({ signal }) => api.get<Order[]>(path, signal) });

  return (
    <>
      <PageHeader title="Orders" />
      <FilterForm label="Order filters" onSubmit={apply}>
        {(['account', 'strategy', 'symbol'] as const).map((f) => (
          <label key={f}>
            {f[0].toUpperCase() + f.slice(1)}
            <input {...bind(f)} placeholder="any" />
          </label>
        ))}
        <label>
          Status
          <select {...bind('status')}>
            <option value="">any</option>
            {ORDER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </FilterForm>
      <QueryTable
        query={orders}
        empty="No orders match."
        head={
          <>
            <th>Created (UTC)</th>
            <th>Status</th>
            <th>Strategy</th>
            <th>Broker / account</th>
            <th>Symbol</th>
            <th>Side</th>
            <th>Type</th>
            <th className="right">Qty</th>
            <th className="right">Filled @ avg</th>
            <th className="right">Fees</th>
            <th className="right">Realised</th>
            <th>Reason</th>
          </>
        }
      >
        {(rows) =>
          rows.map((o) => (
            <tr key={o.client_order_id}>
              <td className="num nowrap">{shortTime(o.created_at)}</td>
              <td>
                <Badge status={o.status} />
              </td>
              <td>{o.strategy ?? '—'}</td>
              <td>
                {o.broker}/{o.account}
              </td>
              <td className="num">{o.symbol}</td>
              <td className={o.side === 'buy' ? 'pos' : 'neg'}>
                {o.side} <span className="muted">{o.intent}</span>
              </td>
              <td>
                {o.order_type} {o.limit_price !== null ? `@${dec(o.limit_price)}` : ''}
                {o.stop_price !== null ? ` stop ${dec(o.stop_price)}` : ''}
              </td>
              <td className="num right">{dec(o.quantity)}</td>
              <td className="num right">
                {dec(o.filled_quantity)} @ {dec(o.average_price)}
              </td>
              <td className="num right">{dec(o.fees)}</td>
              <td className={`${pnlClass(o.realized_pnl)} right`}>{signedMoney(o.realized_pnl)}</td>
              <td className="reason">
                {o.reason ?? ''}
                {o.alert_id && (
                  <>
                    {' '}
                    <Link to={`/alerts/${encodeURIComponent(o.alert_id)}`}>story</Link>
                  </>
                )}
              </td>
            </tr>
        ))
        }
      </QueryTable>
    </>
  );
}

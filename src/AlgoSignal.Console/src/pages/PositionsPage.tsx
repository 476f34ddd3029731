import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { Position, StrategyView } from '../api/types';
import { QueryTable } from '../components/QueryTable';
import { ConfirmDialog, PageHeader } from '../components/ui';
import { dec, num, pnlClass, signedMoney } from '../format';

interface CloseTarget {
  position: Position;
  strategy: string;
}

/** Which strategies trade on a position's account (their routes), so a close can name one. */
export function strategiesFor(position: Position, strategies: StrategyView[]): string[] {
  if (position.strategy) return [position.strategy];
  return strategies.filter((s) => s.routes.some((r) => r.account === position.account && r.broker === position.broker)).map((s) => s.name);
}

export function PositionsPage() {
  const client = useQueryClient();
  const positions = useQuery({ queryKey: ['positions'], queryFn: ({ signal }) => api.get<Position[]>('/api/v1/positions', signal), refetchInterval: 10_000 });
  const strategies = useQuery({ queryKey: ['strategies'], queryFn: ({ signal }) => api.get<StrategyView[]>('/api/v1/strategies', signal) });
  const [target, setTarget] = useState<CloseTarget | null>(null);
  const [closedAlert, setClosedAlert] = useState<string | null>(null);
  const close = useMutation({
    mutationFn: (t: CloseTarget) => api.post<{ alert_id: string }>('/api/v1/positions/close', { strategy: t.strategy, symbol: t.position.symbol }),
    onSuccess: async (answer) => {
      setTarget(null);
      setClosedAlert(answer.alert_id);
      await client.invalidateQueries({ queryKey: ['positions'] });
    },
  });

  return (
    <>
      <PageHeader title="Positions" />
      {closedAlert && (
        <div className="notice" role="status">
          Close sent as alert <Link to={`/alerts/${encodeURIComponent(closedAlert)}`}>{closedAlert}</Link>.
        </div>
      )}
      <QueryTable
        query={positions}
        empty="No open positions."
        head={
          <>
            <th>Account</th>
            <th>Broker</th>
            <th>Symbol</th>
            <th>Side</th>
            <th className="right">Quantity</th>
            <th className="right">Average</th>
            <th className="right">Last</th>
            <th className="right">Unrealised</th>
            <th className="right">Realised</th>
            <th />
          </>
        }
      >
        {(rows) =>
          rows.map((p) => {
            const names = strategiesFor(p, strategies.data ?? []);
            const long = num(p.quantity) > 0;
            return (
              <tr key={`${p.broker}-${p.account}-${p.symbol}`}>
                <td>{p.account}</td>
                <td>{p.broker}</td>
                <td className="num">{p.symbol}</td>
                <td className={long ? 'pos' : 'neg'}>{long ? 'long' : 'short'}</td>
                <td className="num right">{dec(p.quantity)}</td>
                <td className="num right">{dec(p.average_price)}</td>
                <td className="num right">{dec(p.last_price)}</td>
                <td className={`${pnlClass(p.unrealized_pnl)} right`}>{signedMoney(p.unrealized_pnl)}</td>
                <td className={`${pnlClass(p.realized_pnl)} right`}>{signedMoney(p.realized_pnl)}</td>
                <td className="right nowrap">
                  {names.map((name) => (
                    <button
                      key={name}
                      type="button"
                      className="small danger-outline"
                      onClick={() => {
                        close.reset();
                        setTarget({ position: p, strategy: name });
                      }}
                      aria-label={`Close ${p.symbol} on ${p.account} for ${name}`}
                    >
                      Close{names.length > 1 ? ` (${name})` : ''}
                    </button>
                  ))}
                </td>
              </tr>
            );
          })
        }
      </QueryTable>
      {target && (
        <ConfirmDialog
          title={`Close ${target.position.symbol}?`}
          confirmLabel="Close position"
          danger
          busy={close.isPending}
          error={close.error}
          onConfirm={() => close.mutate(target)}
          onCancel={() => setTarget(null)}
        >
          <p>
            Sends a <code>close</code> alert for strategy <strong>{target.strategy}</strong>: the {num(target.position.quantity) > 0 ? 'long' : 'short'} of{' '}
            <span className="num">{dec(target.position.quantity)}</span> <span className="num">{target.position.symbol}</span> on {target.position.broker}/
            {target.position.account} is flattened at market. It goes through the same checks as any alert.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

import { useQuery } from '@tanstack/react-query';
import { AreaSeries, LineSeries, type IChartApi, type UTCTimestamp } from 'lightweight-charts';
import { ApiError, api } from '../api/client';
import type { AccountPnl, Order, Position, StrategyView } from '../api/types';
import { Chart, ChartCredit, COLORS } from '../components/Chart';
import { Card, Empty, ErrorBox, Loading, PageHeader, Stat } from '../components/ui';
import { money, num, pnlClass, signedMoney } from '../format';
import { breakdown, equityCurve, type Breakdown, type EquityPoint } from './pnl';

function drawEquity(points: EquityPoint[]) {
  return (chart: IChartApi) => {
    const equity = chart.addSeries(LineSeries, { color: COLORS.line, lineWidth: 2, priceLineVisible: false, title: 'equity' });
    equity.setData(points.map((p) => ({ time: p.time as UTCTimestamp, value: p.equity })));
    const dd = chart.addSeries(AreaSeries, {
      lineColor: COLORS.drawdown,
      topColor: 'rgba(240,97,109,0.05)',
      bottomColor: 'rgba(240,97,109,0.35)',
      lineWidth: 1,
      priceScaleId: 'drawdown',
      priceLineVisible: false,
      title: 'drawdown',
    });
    chart.priceScale('drawdown').applyOptions({ scaleMargins: { top: 0.75, bottom: 0 } });
    chart.priceScale('right').applyOptions({ scaleMargins: { top: 0.05, bottom: 0.3 } });
    dd.setData(points.map((p) => ({ time: p.time as UTCTimestamp, value: p.drawdown })));
    chart.timeScale().fitContent();
    return () => {
      chart.removeSeries(equity);
      chart.removeSeries(dd);
    };
  };
}

/** The curve from the starting cash (a second before the first fill) to the equity now, open positions included. */
function withEnds(points: EquityPoint[], initialCash: number, equityNow: number): EquityPoint[] {
  if (points.length === 0) return points;
  const start = { time: points[0].time - 1, equity: initialCash, drawdown: 0 };
  const now = Math.floor(Date.now() / 1000);
  const all = [start, ...points];
  if (!Number.isNaN(equityNow) && now > points[points.length - 1].time) {
    const peak = Math.max(initialCash, ...points.map((x) => x.equity));
    all.push({ time: now, equity: equityNow, drawdown: Math.min(0, equityNow - Math.max(peak, equityNow)) });
  }
  return all;
}

function AccountCard({ account, orders }: { account: string; orders: Order[] }) {
  const pnl = useQuery({
    queryKey: ['pnl', account],
    queryFn: ({ signal }) => api.get<AccountPnl>(`/api/v1/accounts/${encodeURIComponent(account)}/pnl`, signal),
  });
  if (pnl.isPending) return <Card title={account}><Loading /></Card>;
  if (pnl.error) {
    return (
      <Card title={account}>
        {pnl.error instanceof ApiError && pnl.error.status === 404 ? <Empty>{pnl.error.message}</Empty> : <ErrorBox error={pnl.error} />}
      </Card>
    );
  }
  const p = pnl.data;
  const points: EquityPoint[] = p.equity_curve?.length
    ? (() => {
        let peak = Number.NEGATIVE_INFINITY;
        return p.equity_curve.map((e) => {
          const equity = num(e.equity);
          peak = Math.max(peak, equity);
          return { time: Math.floor(Date.parse(e.time) / 1000), equity, drawdown: equity - peak };
        });
      })()
    : withEnds(equityCurve(num(p.initial_cash), orders.filter((o) => o.account === account)), num(p.initial_cash), num(p.equity));
  const maxDrawdown = points.reduce((m, x) => Math.min(m, x.drawdown), 0);
  return (
    <Card title={`${p.account} · ${p.broker}`}>
      <div className="stats">
        <Stat label="Equity" value={money(p.equity)} />
        <Stat label="Total P&L" value={<span className={pnlClass(p.total_pnl)}>{signedMoney(p.total_pnl)}</span>} />
        <Stat label="Realised" value={<span className={pnlClass(p.realized_pnl)}>{signedMoney(p.realized_pnl)}</span>} />
        <Stat label="Unrealised" value={<span className={pnlClass(p.unrealized_pnl)}>{signedMoney(p.unrealized_pnl)}</span>} />
        <Stat label="Fees" value={money(p.fees)} />
        <Stat label="Max drawdown" value={<span className={pnlClass(maxDrawdown)}>{money(maxDrawdown)}</span>} />
      </div>
      {points.length === 0 ? (
        <Empty>No fills yet: the equity curve starts with the first fill.</Empty>
      ) : (
        <>
          <Chart label={`Equity curve and drawdown of ${p.account}`} draw={drawEquity(points)} deps={[JSON.stringify(points)]} className="small" />
          <div className="muted small-print">
            {p.equity_curve?.length ? 'Equity' : 'Equity from the starting cash, per fill (realised P&L − fees), to the equity now'}; drawdown below, from the running peak.
          </div>
        </>
      )}
    </Card>
  );
}

function BreakdownTable({ title, rows, unrealized }: { title: string; rows: Breakdown[]; unrealized?: Map<string, number> }) {
  return (
    <Card title={title}>
      {rows.length === 0 ? (
        <Empty>No fills yet.</Empty>
      ) : (
        <table className="table compact">
          <thead>
            <tr>
              <th>{title.includes('strategy') ? 'Strategy' : 'Symbol'}</th>
              <th className="right">Fills</th>
              <th className="right">Realised</th>
              <th className="right">Fees</th>
              <th className="right">Net</th>
              {unrealized && <th className="right">Unrealised</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <td className="num">{r.key}</td>
                <td className="num right">{r.fills}</td>
                <td className={`${pnlClass(r.realized)} right`}>{signedMoney(r.realized)}</td>
                <td className="num right">{money(r.fees)}</td>
                <td className={`${pnlClass(r.net)} right`}>{signedMoney(r.net)}</td>
                {unrealized && <td className={`${pnlClass(unrealized.get(r.key) ?? 0)} right`}>{signedMoney(unrealized.get(r.key) ?? 0)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

export function PnlPage() {
  const strategies = useQuery({ queryKey: ['strategies'], queryFn: ({ signal }) => api.get<StrategyView[]>('/api/v1/strategies', signal) });
  const positions = useQuery({ queryKey: ['positions'], queryFn: ({ signal }) => api.get<Position[]>('/api/v1/positions', signal) });
  const orders = useQuery({ queryKey: ['orders', 'pnl'], queryFn: ({ signal }) => api.get<Order[]>('/api/v1/orders?limit=1000', signal) });
  const accounts = [
    ...new Set([
      ...(strategies.data ?? []).flatMap((s) => s.routes.filter((r) => r.broker === 'paper').map((r) => r.account)),
      ...(positions.data ?? []).map((p) => p.account),
      ...(orders.data ?? []).map((o) => o.account),
    ]),
  ].sort();
  const all = orders.data ?? [];
  const unrealizedBySymbol = new Map<string, number>();
  for (const p of positions.data ?? []) unrealizedBySymbol.set(p.symbol, (unrealizedBySymbol.get(p.symbol) ?? 0) + (num(p.unrealized_pnl) || 0));
  return (
    <>
      <PageHeader title="P&L" />
      <ErrorBox error={strategies.error ?? orders.error ?? positions.error} />
      {strategies.isPending || orders.isPending ? (
        <Loading />
      ) : accounts.length === 0 ? (
        <Empty>No accounts yet.</Empty>
      ) : (
        accounts.map((a) => <AccountCard key={a} account={a} orders={all} />)
      )}
      <ChartCredit />
      <div className="pnl-grid">
        <BreakdownTable title="By strategy" rows={breakdown(all, (o) => o.strategy ?? '(none)')} />
        <BreakdownTable title="By symbol" rows={breakdown(all, (o) => o.symbol)} unrealized={unrealizedBySymbol} />
      </div>
      {all.length >= 1000 && <p className="muted small-print">Computed from the newest 1,000 orders.</p>}
    </>
  );
}

import type { AlertStory } from '../api/types';
import { dec, money, pnlClass, signedMoney } from '../format';
import { summarizeOrders } from './timeline';

/** What the alert ended in: the orders' total, and the positions it left. */
export function ResultStep({ story }: { story: AlertStory }) {
  const r = summarizeOrders(story.orders);
  return (
    <>
      <dl className="kv inline">
        <div>
          <dt>filled</dt>
          <dd className="num">{dec(r.filledQuantity)}</dd>
        </div>
        <div>
          <dt>average price</dt>
          <dd className="num">{r.averagePrice === null ? '—' : dec(r.averagePrice)}</dd>
        </div>
        <div>
          <dt>position change</dt>
          <dd className="num">{r.netQuantity > 0 ? `+${dec(r.netQuantity)}` : dec(r.netQuantity)}</dd>
        </div>
        <div>
          <dt>realised P&L</dt>
          <dd className={pnlClass(r.realizedPnl)}>{signedMoney(r.realizedPnl)}</dd>
        </div>
        <div>
          <dt>fees</dt>
          <dd className="num">{money(r.fees)}</dd>
        </div>
      </dl>
      {story.positions && story.positions.length > 0 && (
        <table className="table compact" aria-label="Resulting positions">
          <thead>
            <tr>
              <th>Account</th>
              <th>Symbol</th>
              <th className="right">Quantity</th>
              <th className="right">Average</th>
              <th className="right">Realised</th>
              <th className="right">Unrealised</th>
            </tr>
          </thead>
          <tbody>
            {story.positions.map((p) => (
              <tr key={`${p.account}-${p.symbol}`}>
                <td>{p.account}</td>
                <td className="num">{p.symbol}</td>
                <td className="num right">{dec(p.quantity)}</td>
                <td className="num right">{dec(p.average_price)}</td>
                <td className={`${pnlClass(p.realized_pnl)} right`}>{signedMoney(p.realized_pnl)}</td>
                <td className={`${pnlClass(p.unrealized_pnl)} right`}>{signedMoney(p.unrealized_pnl)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

import { Badge } from '../components/ui';
import { dec, duration, json, time } from '../format';
import type { TimelineStep } from './timeline';

/** One order of the alert: its terms, ids, the broker's request and answer, and its events with their times. */
export function OrderStep({ step }: { step: TimelineStep }) {
  const o = step.order!;
  return (
    <div className="order-step">
      <dl className="kv inline">
        <div>
          <dt>status</dt>
          <dd>
            <Badge status={o.status} />
          </dd>
        </div>
        <div>
          <dt>symbol</dt>
          <dd className="num">{o.symbol}</dd>
        </div>
        <div>
          <dt>type</dt>
          <dd>
            {o.order_type} {o.time_in_force}
          </dd>
        </div>
        <div>
          <dt>quantity</dt>
          <dd className="num">{dec(o.quantity)}</dd>
        </div>
        {o.limit_price !== null && (
          <div>
            <dt>limit</dt>
            <dd className="num">{dec(o.limit_price)}</dd>
          </div>
        )}
        {o.stop_price !== null && (
          <div>
            <dt>stop</dt>
            <dd className="num">{dec(o.stop_price)}</dd>
          </div>
        )}
        <div>
          <dt>filled</dt>
          <dd className="num">
            {dec(o.filled_quantity)} @ {dec(o.average_price)}
          </dd>
        </div>
        <div>
          <dt>fees</dt>
          <dd className="num">{dec(o.fees)}</dd>
        </div>
        <div>
          <dt>role</dt>
          <dd>{o.role}</dd>
        </div>
      </dl>
      <div className="ids muted">
        client order id <code>{o.client_order_id}</code>
        {o.broker_order_id && (
          <>
            {' '}
            · broker order id <code>{o.broker_order_id}</code>
          </>
        )}
      </div>
      {o.reason && <p className="reason-text">{o.reason}</p>}
      {(o.broker_request !== undefined || o.broker_response !== undefined) && (
        <div className="broker-io">
          {o.broker_request !== undefined && (
            <details open>
              <summary>Broker request</summary>
              <pre className="mono-block">{json(o.broker_request)}</pre>
            </details>
          )}
          {o.broker_response !== undefined && (
            <details open>
              <summary>Broker answer</summary>
              <pre className="mono-block">{json(o.broker_response)}</pre>
            </details>
          )}
        </div>
      )}
      {step.events && step.events.length > 0 && (
        <table className="table compact" aria-label={`Events of order ${o.client_order_id}`}>
          <thead>
            <tr>
              <th>Time (UTC)</th>
              <th>+</th>
              <th>Event</th>
              <th className="right">Quantity</th>
              <th className="right">Price</th>
              <th>Message</th>
            </tr>
          </thead>
          <tbody>
            {step.events.map(({ event, sinceOrderMs }, i) => (
              <tr key={i}>
                <td className="num nowrap">{time(event.created_at)}</td>
                <td className="num muted nowrap">{duration(sinceOrderMs)}</td>
                <td>{event.type}</td>
                <td className="num right">{dec(event.quantity)}</td>
                <td className="num right">{dec(event.price)}</td>
                <td>{event.message ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

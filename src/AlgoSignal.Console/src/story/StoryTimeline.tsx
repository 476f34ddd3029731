import { Link } from 'react-router';
import type { AlertStory, RiskDecisionView, SizingStep } from '../api/types';
import { Badge } from '../components/ui';
import { dec, duration, json, money, pnlClass, signedMoney, time } from '../format';
import { authenticationOf, buildTimeline, routeOf, summarizeOrders, type TimelineStep } from './timeline';

export function ruleValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  // A list limit (the strategy's symbols, timeframes) reads as a list, not as JSON.
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) return value.map(String).join(', ');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function RiskRules({ risk }: { risk: RiskDecisionView | null }) {
  if (!risk) return <p className="muted">No risk decision was recorded (the alert ended before the risk rules).</p>;
  return (
    <div className="risk">
      <div className="risk-head">
        Risk decision <Badge status={risk.decision} />
        {risk.rule && (
          <>
            {' '}
            by rule <code>{risk.rule}</code>
          </>
        )}
      </div>
      {risk.reason && <p className="reason-text">{risk.reason}</p>}
      {risk.rules && risk.rules.length > 0 && (
        <table className="table compact" aria-label="Risk rules">
          <thead>
            <tr>
              <th>Rule</th>
              <th>Result</th>
              <th>Value</th>
              <th>Limit</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {risk.rules.map((r, i) => (
              <tr key={`${r.rule}-${i}`} className={r.passed ? undefined : 'row-bad'}>
                <td>
                  <code>{r.rule}</code>
                </td>
                <td>
                  <Badge status={r.passed ? 'passed' : 'failed'} />
                </td>
                <td className="num">{ruleValue(r.value)}</td>
                <td className="num">{ruleValue(r.limit)}</td>
                <td>{r.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Sizing({ sizing }: { sizing: SizingStep | null | undefined }) {
  if (!sizing) return null;
  const { arithmetic, definition_changed_since: changed, ...rest } = sizing;
  return (
    <div className="sizing">
      <div className="sub-title">Sizing</div>
      {arithmetic && <pre className="mono-block">{arithmetic}</pre>}
      {changed === true && (
        <p className="muted" role="note">
          The strategy was edited after this decision: the arithmetic uses its sizing rule as it is now.
        </p>
      )}
      <dl className="kv inline">
        {Object.entries(rest).map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd className="num">{ruleValue(v)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function StepBody({ step, story }: { step: TimelineStep; story: AlertStory }) {
  switch (step.kind) {
    case 'received':
      return (
        <dl className="kv">
          <dt>Route</dt>
          <dd>
            <code>{routeOf(story)}</code>
          </dd>
          <dt>Source address</dt>
          <dd className="num">{story.source_ip ?? '—'}</dd>
          <dt>Source</dt>
          <dd>{story.source}</dd>
        </dl>
      );
    case 'authenticated':
      return <p>{authenticationOf(story)}</p>;
    case 'queued':
      return <p>Confirmed durable by RabbitMQ before the sender got its 202.</p>;
    case 'decided':
      return (
        <>
          {story.status === 'duplicate' && story.duplicate_of && (
            <p>
              A repeat of{' '}
              <Link to={`/alerts/${encodeURIComponent(story.duplicate_of)}`} aria-label="Open the original alert">
                {story.duplicate_of}
              </Link>
              ; nothing was placed.
            </p>
          )}
          {story.signal && (
            <div className="signal">
              <div className="sub-title">Signal</div>
              <dl className="kv inline">
                <div>
                  <dt>action</dt>
                  <dd>{story.signal.action ?? '—'}</dd>
                </div>
                <div>
                  <dt>symbol</dt>
                  <dd className="num">{story.signal.symbol ?? '—'}</dd>
                </div>
                {story.signal.exchange && (
                  <div>
                    <dt>exchange</dt>
                    <dd>{story.signal.exchange}</dd>
                  </div>
                )}
              </dl>
              {story.signal.legs && story.signal.legs.length > 0 && (
                <ul className="legs">
                  {story.signal.legs.map((l, i) => (
                    <li key={i}>
                      leg {i + 1}: {l.intent} {l.side} {l.quantity === null ? '(quantity from sizing)' : dec(l.quantity)}
                    </li>
                  ))}
                </ul>
              )}
              {story.signal.rejection && <p className="reason-text">{story.signal.rejection}</p>}
            </div>
          )}
          <RiskRules risk={story.risk} />
          <Sizing sizing={story.sizing ?? story.risk?.sizing} />
        </>
      );
    case 'order': {
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
    case 'result': {
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
  }
}

/** One alert's whole story: every step with its time, the time since receipt and since the step before. */
export function StoryTimeline({ story }: { story: AlertStory }) {
  const steps = buildTimeline(story);
  return (
    <ol className="timeline" aria-label="Alert timeline">
      {steps.map((step) => (
        <li key={step.key} className={`step step-${step.kind}`} data-step={step.kind}>
          <div className="step-marker" aria-hidden="true" />
          <div className="step-main">
            <div className="step-head">
              <h3>{step.title}</h3>
              <span className="num step-time" title={step.approximate ? 'no separate time recorded for this step; the nearest known time is shown' : undefined}>
                {time(step.at)}
                {step.approximate ? ' ≈' : ''}
              </span>
              <span className="num muted step-since">+{duration(step.sinceStartMs)}</span>
              {step.kind !== 'received' && <span className="num muted step-delta">(Δ {duration(step.sincePreviousMs)})</span>}
            </div>
            <StepBody step={step} story={story} />
          </div>
        </li>
      ))}
    </ol>
  );
}

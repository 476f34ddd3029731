import type { RiskDecisionView, SignalView, SizingStep } from '../api/types';
import { Badge } from '../components/ui';
import { dec } from '../format';

export function ruleValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  // A list limit (the strategy's symbols, timeframes) reads as a list, not as JSON.
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) return value.map(String).join(', ');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The risk decision and each rule it checked, the failed ones marked. */
export function RiskRules({ risk }: { risk: RiskDecisionView | null }) {
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

/** How the quantity was worked out, with the arithmetic written out. */
export function Sizing({ sizing }: { sizing: SizingStep | null | undefined }) {
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

/** What the alert asked for, read from its payload: the action, the symbol, any legs, or why it could not be read. */
export function SignalDetails({ signal }: { signal: SignalView }) {
  return (
    <div className="signal">
      <div className="sub-title">Signal</div>
      <dl className="kv inline">
        <div>
          <dt>action</dt>
          <dd>{signal.action ?? '—'}</dd>
        </div>
        <div>
          <dt>symbol</dt>
          <dd className="num">{signal.symbol ?? '—'}</dd>
        </div>
        {signal.exchange && (
          <div>
            <dt>exchange</dt>
            <dd>{signal.exchange}</dd>
          </div>
        )}
      </dl>
      {signal.legs && signal.legs.length > 0 && (
        <ul className="legs">
          {signal.legs.map((l, i) => (
            <li key={i}>
              leg {i + 1}: {l.intent} {l.side} {l.quantity === null ? '(quantity from sizing)' : dec(l.quantity)}
            </li>
          ))}
        </ul>
      )}
      {signal.rejection && <p className="reason-text">{signal.rejection}</p>}
    </div>
  );
}

import { Field, FieldErrors } from './Field';
import { BROKERS, DAYS, SIZING_MODES, sizingField, type StrategyDraft } from './strategyForm';

/** What every section of the strategy form works with: the draft, a setter, a text input's binding, and the API's messages per field. */
export interface SectionProps {
  d: StrategyDraft;
  set: <K extends keyof StrategyDraft>(key: K, value: StrategyDraft[K]) => void;
  text: (key: keyof StrategyDraft) => { value: string; onChange: (ev: { target: { value: string } }) => void };
  e: (key: string) => string[] | undefined;
}

/** The routes the strategy's orders go to: a broker and an account each. */
export function RoutesSection({ d, set, e }: SectionProps) {
  return (
    <section className="card form-section">
      <h2 className="card-title">Routes</h2>
      <FieldErrors field="routes" errors={e('routes')} />
      {d.routes.map((r, i) => (
        <div className="route-row" key={i}>
          <Field field={`routes[${i}].broker`} label={`Broker of route ${i + 1}`} errors={[...(e(`routes[${i}]`) ?? []), ...(e(`routes[${i}].broker`) ?? [])]}>
            {(p) => (
              <select
                {...p}
                value={r.broker}
                onChange={(ev) => set('routes', d.routes.map((x, j) => (j === i ? { ...x, broker: ev.target.value } : x)))}
              >
                {(BROKERS as readonly string[]).includes(r.broker) ? null : <option value={r.broker}>{r.broker}</option>}
                {BROKERS.map((b) => (
                  <option key={b} value={b}>
                    {b}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field field={`routes[${i}].account`} label={`Account of route ${i + 1}`} errors={e(`routes[${i}].account`)}>
            {(p) => <input {...p} value={r.account} onChange={(ev) => set('routes', d.routes.map((x, j) => (j === i ? { ...x, account: ev.target.value } : x)))} />}
          </Field>
          <button type="button" className="small route-remove" onClick={() => set('routes', d.routes.filter((_, j) => j !== i))} aria-label={`Remove route ${i + 1}`}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="small" onClick={() => set('routes', [...d.routes, { broker: 'paper', account: '' }])}>
        Add route
      </button>
    </section>
  );
}

/** Which symbols and timeframes the strategy takes, and how big its orders are. */
export function SizingSection({ d, set, text, e }: SectionProps) {
  const valueField = sizingField(d.sizingMode);
  const valueLabel = valueField === 'quantity' ? 'Quantity' : valueField === 'amount' ? 'Amount' : 'Percent';
  return (
    <section className="card form-section">
      <h2 className="card-title">Symbols, timeframes and sizing</h2>
      <div className="form-grid">
        <Field field="symbols" label="Symbols" errors={e('symbols')} help="comma-separated, e.g. BINANCE:BTCUSDT, ETHUSDT; empty = any">
          {(p) => <input {...p} {...text('symbols')} placeholder="any" />}
        </Field>
        <Field field="timeframes" label="Timeframes" errors={e('timeframes')} help="comma-separated, e.g. 15, 1h, 1D; empty = any">
          {(p) => <input {...p} {...text('timeframes')} placeholder="any" />}
        </Field>
        <Field field="sizing.mode" label="Sizing" errors={[...(e('sizing') ?? []), ...(e('sizing.mode') ?? [])]}>
          {(p) => (
            <select {...p} value={d.sizingMode} onChange={(ev) => set('sizingMode', ev.target.value)}>
              {SIZING_MODES.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          field={`sizing.${valueField}`}
          label={valueLabel}
          errors={e(`sizing.${valueField}`)}
          help={valueField === 'amount' ? 'money per order (amount ÷ price)' : valueField === 'percent' ? 'percent, above 0 and at most 100' : 'contracts or units per order'}
        >
          {(p) => <input {...p} {...text('sizingValue')} inputMode="decimal" />}
        </Field>
        <Field field="risk_multiplier" label="Risk multiplier" errors={e('risk_multiplier')} help="multiplies the size; above 0, at most 100">
          {(p) => <input {...p} {...text('riskMultiplier')} inputMode="decimal" />}
        </Field>
      </div>
    </section>
  );
}

/** The limits the risk rules check before an order is placed. */
export function RiskLimitsSection({ d, set, text, e }: SectionProps) {
  return (
    <section className="card form-section">
      <h2 className="card-title">Risk limits</h2>
      <div className="form-grid">
        <Field field="max_positions" label="Max positions" errors={e('max_positions')} help="1–10,000 open positions across routes">
          {(p) => <input {...p} {...text('maxPositions')} inputMode="numeric" />}
        </Field>
        <Field field="max_position_quantity" label="Max position quantity" errors={e('max_position_quantity')} help="empty = no limit">
          {(p) => <input {...p} {...text('maxPositionQuantity')} inputMode="decimal" placeholder="no limit" />}
        </Field>
        <Field field="max_order_notional" label="Max order notional" errors={e('max_order_notional')} help="quantity × price of one order; empty = no limit">
          {(p) => <input {...p} {...text('maxOrderNotional')} inputMode="decimal" placeholder="no limit" />}
        </Field>
        <Field field="max_daily_loss" label="Max daily loss" errors={e('max_daily_loss')} help="realised loss per day and account; empty = no limit">
          {(p) => <input {...p} {...text('maxDailyLoss')} inputMode="decimal" placeholder="no limit" />}
        </Field>
        <Field field="max_orders_per_minute" label="Max orders per minute" errors={e('max_orders_per_minute')} help="0 = no limit">
          {(p) => <input {...p} {...text('maxOrdersPerMinute')} inputMode="numeric" />}
        </Field>
        <Field field="max_signal_age_seconds" label="Max signal age (seconds)" errors={e('max_signal_age_seconds')} help="0 = no limit">
          {(p) => <input {...p} {...text('maxSignalAgeSeconds')} inputMode="numeric" />}
        </Field>
        <Field field="pyramiding" label="Pyramiding" errors={e('pyramiding')} help="entries in the same direction per position">
          {(p) => <input {...p} {...text('pyramiding')} inputMode="numeric" />}
        </Field>
        <Field field="allow_short" label="Allow short" errors={e('allow_short')}>
          {(p) => (
            <select {...p} value={d.allowShort ? 'true' : 'false'} onChange={(ev) => set('allowShort', ev.target.value === 'true')}>
              <option value="true">yes</option>
              <option value="false">no</option>
            </select>
          )}
        </Field>
      </div>
    </section>
  );
}

/** When entries are allowed, if only inside a window. */
export function TradingWindowSection({ d, set, text, e }: SectionProps) {
  return (
    <section className="card form-section">
      <h2 className="card-title">Trading window</h2>
      <label className="inline">
        <input type="checkbox" checked={d.windowEnabled} onChange={(ev) => set('windowEnabled', ev.target.checked)} />
        Only enter inside a trading window
      </label>
      <FieldErrors field="trading_window" errors={e('trading_window')} />
      {d.windowEnabled && (
        <div className="form-grid">
          <Field field="trading_window.start" label="Window start" errors={e('trading_window.start')} help="HH:mm">
            {(p) => <input {...p} {...text('windowStart')} />}
          </Field>
          <Field field="trading_window.end" label="Window end" errors={e('trading_window.end')} help="HH:mm; before start spans midnight">
            {(p) => <input {...p} {...text('windowEnd')} />}
          </Field>
          <Field field="trading_window.timezone" label="Time zone" errors={e('trading_window.timezone')} help="IANA, e.g. America/New_York">
            {(p) => <input {...p} {...text('windowTimezone')} />}
          </Field>
          <div className="field" data-field="trading_window.days">
            <span className="label-text">Days</span>
            <div className="days" role="group" aria-label="Days">
              {DAYS.map((day) => (
                <label key={day} className="inline">
                  <input
                    type="checkbox"
                    checked={d.windowDays.includes(day)}
                    onChange={(ev) => set('windowDays', ev.target.checked ? DAYS.filter((x) => x === day || d.windowDays.includes(x)) : d.windowDays.filter((x) => x !== day))}
                  />
                  {day}
                </label>
              ))}
            </div>
            <FieldErrors field="trading_window.days" errors={e('trading_window.days')} />
          </div>
        </div>
      )}
    </section>
  );
}

import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { StrategyDefinition } from '../api/types';
import { Field } from './Field';
import { RiskLimitsSection, RoutesSection, SizingSection, TradingWindowSection } from './StrategySections';
import { buildBody, fieldKeys, placeErrors, type StrategyDraft } from './strategyForm';

interface Props {
  initial: StrategyDraft;
  /** Editing an existing strategy: the name cannot change. */
  existing: boolean;
  submitLabel: string;
  onSubmit: (body: StrategyDefinition) => Promise<unknown>;
}

/** Every field the strategy API accepts; the API's 400 messages appear next to the fields they name. */
export function StrategyForm({ initial, existing, submitLabel, onSubmit }: Props) {
  const [d, setD] = useState<StrategyDraft>(initial);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const placed = placeErrors(error instanceof ApiError ? error.problem.errors : undefined, fieldKeys(d.routes.length));
  const e = (key: string) => placed.byField[key];
  const set = <K extends keyof StrategyDraft>(key: K, value: StrategyDraft[K]) => setD((current) => ({ ...current, [key]: value }));
  const text = (key: keyof StrategyDraft) => ({
    value: d[key] as string,
    onChange: (ev: { target: { value: string } }) => set(key, ev.target.value as never),
  });
  const section = { d, set, text, e };

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(buildBody(d));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const otherError = error && !(error instanceof ApiError && error.problem.errors) ? error : null;
  return (
    <form onSubmit={submit} aria-label="Strategy" noValidate>
      {(placed.general.length > 0 || otherError || (error instanceof ApiError && error.problem.errors)) && (
        <div className="error-box" role="alert">
          {error instanceof ApiError && error.problem.errors ? (error.problem.detail ?? 'Some fields are invalid; see below.') : null}
          {otherError instanceof Error ? otherError.message : null}
          {placed.general.length > 0 && (
            <ul>
              {placed.general.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          )}
        </div>
      )}

      <section className="card form-section">
        <h2 className="card-title">Strategy</h2>
        <div className="form-grid">
          <Field field="name" label="Name" errors={e('name')} help="1–64 letters, digits, - _ . — alerts name it in strategy">
            {(p) => <input {...p} {...text('name')} readOnly={existing} autoComplete="off" />}
          </Field>
          <Field field="mode" label="Mode" errors={e('mode')} help="live needs Trading:LiveEnabled=true as well">
            {(p) => (
              <select {...p} value={d.mode} onChange={(ev) => set('mode', ev.target.value)}>
                <option value="paper">paper</option>
                <option value="live">live</option>
              </select>
            )}
          </Field>
          <Field field="enabled" label="Enabled" errors={e('enabled')}>
            {(p) => (
              <select {...p} value={d.enabled ? 'true' : 'false'} onChange={(ev) => set('enabled', ev.target.value === 'true')}>
                <option value="true">yes</option>
                <option value="false">no (alerts end rejected)</option>
              </select>
            )}
          </Field>
        </div>
      </section>

      <RoutesSection {...section} />

      <SizingSection {...section} />

      <RiskLimitsSection {...section} />

      <TradingWindowSection {...section} />

      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}

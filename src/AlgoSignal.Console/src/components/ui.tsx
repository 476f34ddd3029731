import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';

const GOOD = new Set(['filled', 'healthy', 'good', 'accepted', 'live', 'approved', 'passed', 'enabled', 'success', 'closed']);
const BAD = new Set(['rejected', 'risk_rejected', 'failed', 'critical', 'unhealthy', 'error', 'order_rejected', 'disabled', 'active']);
const NEUTRAL = new Set(['duplicate', 'cancelled', 'canceled', 'expired', 'paper']);

/** The colour a status word gets; the word itself is shown exactly as the API gave it. */
export function tone(status: string | number | null | undefined): 'good' | 'bad' | 'warn' | 'neutral' {
  if (typeof status === 'number') return status < 300 ? 'good' : status < 500 ? 'bad' : 'warn';
  const s = (status ?? '').toLowerCase();
  if (GOOD.has(s)) return 'good';
  if (BAD.has(s) || s.endsWith('rejected')) return 'bad';
  if (NEUTRAL.has(s)) return 'neutral';
  return 'warn';
}

export function Badge({ status, tone: forced }: { status: string | number | null | undefined; tone?: ReturnType<typeof tone> }) {
  return <span className={`badge badge-${forced ?? tone(status)}`}>{status ?? '—'}</span>;
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="page-header">
      <h1>{title}</h1>
      <div className="page-actions">{children}</div>
    </div>
  );
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const problem = error instanceof ApiError ? error.problem : undefined;
  return (
    <div className="error-box" role="alert">
      <strong>{error instanceof ApiError ? `${error.status} ` : ''}</strong>
      {message}
      {problem?.errors && (
        <ul>
          {Object.entries(problem.errors).map(([field, messages]) =>
            messages.map((m) => (
              <li key={field + m}>
                <code>{field}</code>: {m}
              </li>
            )),
          )}
        </ul>
      )}
    </div>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <div className="loading" role="status">
      {what}…
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

export function Card({ title, children, className }: { title?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`card ${className ?? ''}`}>
      {title && <h2 className="card-title">{title}</h2>}
      {children}
    </section>
  );
}

export function Stat({ label, value, hint, className }: { label: string; value: ReactNode; hint?: ReactNode; className?: string }) {
  return (
    <div className={`stat ${className ?? ''}`}>
      <div className="stat-label">{label}</div>
      <div className="stat-value num">{value}</div>
      {hint && <div className="stat-hint">{hint}</div>}
    </div>
  );
}

interface ConfirmProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  error?: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}

/** A modal confirmation: focus moves to Cancel, Escape cancels. Built by hand: it is a few lines and needs no styles injected at run time. */
export function ConfirmDialog({ title, children, confirmLabel, danger, busy, error, onConfirm, onCancel }: ConfirmProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    cancelRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="confirm-title">
        <h2 id="confirm-title">{title}</h2>
        <div className="modal-body">{children}</div>
        {error ? <ErrorBox error={error} /> : null}
        <div className="modal-actions">
          <button type="button" ref={cancelRef} onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button type="button" className={danger ? 'danger' : 'primary'} onClick={onConfirm} disabled={busy}>
            {busy ? 'Working…' : confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}

/** Re-renders every `ms` so "time since" texts stay current. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="small"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => {
          setDone(true);
          setTimeout(() => setDone(false), 1500);
        });
      }}
    >
      {done ? 'Copied' : label}
    </button>
  );
}

import type { Decimal } from './api/types';

/** Numbers arrive as JSON numbers or decimal strings; NaN for anything else. */
export function num(value: Decimal | null | undefined): number {
  if (value === null || value === undefined || value === '') return Number.NaN;
  return typeof value === 'number' ? value : Number(value);
}

/** A decimal as the API wrote it (strings are kept exactly; numbers without float noise). */
export function dec(value: Decimal | null | undefined, empty = '—'): string {
  if (value === null || value === undefined || value === '') return empty;
  if (typeof value === 'string') return value;
  return Number.isInteger(value) ? value.toString() : Number(value.toPrecision(12)).toString();
}

export function money(value: Decimal | null | undefined): string {
  const n = num(value);
  if (Number.isNaN(n)) return '—';
  return n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function signedMoney(value: Decimal | null | undefined): string {
  const n = num(value);
  if (Number.isNaN(n)) return '—';
  return (n > 0 ? '+' : '') + money(n);
}

export function pnlClass(value: Decimal | null | undefined): string {
  const n = num(value);
  if (Number.isNaN(n) || n === 0) return 'num';
  return n > 0 ? 'num pos' : 'num neg';
}

/** `2026-12-02 15:04:05.123` in UTC: traders compare logs across machines. */
export function time(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

export function shortTime(iso: string | null | undefined): string {
  const t = time(iso);
  return t.length > 19 ? t.slice(0, 19) : t;
}

/** `850 ms`, `2.4 s`, `3 min 5 s`, `2 h 4 min`, `3 d 2 h`. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  const sign = ms < 0 ? '−' : '';
  const a = Math.abs(ms);
  if (a < 1000) return `${sign}${Math.round(a)} ms`;
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(a < 10_000 ? 2 : 1)} s`;
  const s = Math.floor(a / 1000);
  if (s < 3600) return `${sign}${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86_400) return `${sign}${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${sign}${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

export function since(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${duration(now - t)} ago`;
}

export function pct(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return `${(value * 100).toFixed(digits)} %`;
}

export function bytes(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (value < 1024) return `${value} B`;
  if (value < 1024 * 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${(value / 1024 / 1024).toFixed(1)} MiB`;
}

/** Any JSON value as indented text (rendered inside <pre>, never as HTML). */
export function json(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}

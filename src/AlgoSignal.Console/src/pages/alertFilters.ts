import { withQuery } from '../api/client';

/** The alert list's filters; they live in the URL query so a filtered view can be bookmarked and shared. */
export interface AlertFilters {
  status: string;
  strategy: string;
  symbol: string;
  /** `YYYY-MM-DDTHH:mm`, read as UTC. */
  from: string;
  to: string;
  limit: string;
}

export const EMPTY_FILTERS: AlertFilters = { status: '', strategy: '', symbol: '', from: '', to: '', limit: '' };

const KEYS = Object.keys(EMPTY_FILTERS) as (keyof AlertFilters)[];

export function filtersFromQuery(params: URLSearchParams): AlertFilters {
  const filters = { ...EMPTY_FILTERS };
  for (const key of KEYS) filters[key] = params.get(key)?.trim() ?? '';
  return filters;
}

/** Only the filters that are set, in a fixed order: the same filters always give the same URL. */
export function filtersToQuery(filters: AlertFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value = filters[key].trim();
    if (value) params.set(key, value);
  }
  return params;
}

/** `YYYY-MM-DDTHH:mm` (UTC) → ISO-8601 with `Z`, or '' when it does not read as a time. */
export function utcIso(local: string): string {
  if (!local) return '';
  const withSeconds = /T\d\d:\d\d$/.test(local) ? `${local}:00` : local;
  const t = Date.parse(withSeconds.endsWith('Z') ? withSeconds : `${withSeconds}Z`);
  return Number.isNaN(t) ? '' : new Date(t).toISOString();
}

/** The API request for the filters: the API applies every one of them (README, `GET /api/v1/alerts`). */
export function alertsApiPath(filters: AlertFilters): string {
  return withQuery('/api/v1/alerts', {
    status: filters.status,
    strategy: filters.strategy,
    symbol: filters.symbol,
    from: utcIso(filters.from),
    to: utcIso(filters.to),
    limit: filters.limit || '500',
  });
}

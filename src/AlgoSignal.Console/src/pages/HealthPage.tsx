import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../api/client';
import type { HealthReport } from '../api/types';
import { Badge, Card, ErrorBox, Loading, PageHeader } from '../components/ui';
import { bytes, pct, time } from '../format';

/** `/api/v1/health` answers 503 with the same body when something is down: that body is the report to show. */
async function fetchHealth(signal: AbortSignal): Promise<HealthReport> {
  try {
    return await api.get<HealthReport>('/api/v1/health', signal);
  } catch (error) {
    if (error instanceof ApiError && error.status === 503 && (error.problem as unknown as HealthReport).components) {
      return error.problem as unknown as HealthReport;
    }
    throw error;
  }
}

const KNOWN = new Set(['status', 'description']);

function detailValue(key: string, value: unknown): string {
  if (typeof value === 'number' && key.endsWith('bytes')) return bytes(value);
  if (typeof value === 'number' && key.endsWith('rate')) return pct(value);
  if (value === null || value === undefined) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function HealthPage() {
  const health = useQuery({ queryKey: ['health'], queryFn: ({ signal }) => fetchHealth(signal), refetchInterval: 10_000 });
  const report = health.data;
  return (
    <>
      <PageHeader title="Health">{report && <Badge status={report.status} />}</PageHeader>
      <ErrorBox error={health.error} />
      {health.isPending && <Loading />}
      {report && (
        <>
          <p className="muted">Checked {time(report.timestamp)} UTC; refreshed every 10 s.</p>
          <div className="health-grid">
            {Object.entries(report.components).map(([name, c]) => (
              <Card key={name} title={name} className={`health-${c.status}`}>
                <div className="health-status">
                  <Badge status={c.status} />
                </div>
                {c.description && <p>{c.description}</p>}
                <dl className="kv">
                  {Object.entries(c)
                    .filter(([k]) => !KNOWN.has(k))
                    .map(([k, v]) => (
                      <div key={k} className="kv-row">
                        <dt>{k}</dt>
                        <dd className="num">{detailValue(k, v)}</dd>
                      </div>
                    ))}
                </dl>
              </Card>
            ))}
          </div>
        </>
      )}
    </>
  );
}

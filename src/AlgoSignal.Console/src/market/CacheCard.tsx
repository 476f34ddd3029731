import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { CacheStats } from '../api/types';
import { Card, ErrorBox } from '../components/ui';
import { bytes, pct } from '../format';

/** How full the bar cache is and how often it answers, refreshed while the page is open. */
export function CacheCard() {
  const stats = useQuery({ queryKey: ['cache-stats'], queryFn: ({ signal }) => api.get<CacheStats>('/api/v1/cache/stats', signal), refetchInterval: 15_000 });
  const s = stats.data;
  return (
    <Card title="Cache">
      <ErrorBox error={stats.error} />
      {s && (
        <dl className="kv">
          <dt>Memory series</dt>
          <dd className="num">
            {s.memory_entries} / {s.memory_capacity}
          </dd>
          <dt>Memory size</dt>
          <dd className="num">
            {bytes(s.memory_bytes)} / {bytes(s.memory_max_bytes)}
          </dd>
          <dt>Database series</dt>
          <dd className="num">{s.database_series}</dd>
          <dt>Hits (memory / database)</dt>
          <dd className="num">
            {s.hits.memory} / {s.hits.database}
          </dd>
          <dt>Misses</dt>
          <dd className="num">{s.misses}</dd>
          <dt>Hit rate</dt>
          <dd className="num">{pct(s.hit_rate)}</dd>
        </dl>
      )}
    </Card>
  );
}

import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import type { AlertStory } from '../api/types';
import { Badge, Card, ErrorBox, Loading, PageHeader } from '../components/ui';
import { json, time } from '../format';
import { StoryTimeline } from '../story/StoryTimeline';

export function AlertStoryPage() {
  const { alertId = '' } = useParams();
  const story = useQuery({
    queryKey: ['alert', alertId],
    queryFn: ({ signal }) => api.get<AlertStory>(`/api/v1/alerts/${encodeURIComponent(alertId)}`, signal),
    // Until the worker has decided, ask again every second.
    refetchInterval: (query) => (query.state.data?.status === 'received' || query.state.error ? 1000 : false),
  });
  const s = story.data;
  const message = s && s.payload && typeof s.payload === 'object' ? (s.payload as Record<string, unknown>).message : undefined;
  return (
    <>
      <PageHeader title="Alert story">
        <Link to="/alerts">All alerts</Link>
      </PageHeader>
      <ErrorBox error={story.error} />
      {story.isPending && <Loading />}
      {s && (
        <div className="story">
          <Card className="story-head">
            <div className="story-status">
              <Badge status={s.status} />
              <span className="story-strategy">{s.strategy ?? '(no strategy)'}</span>
              {s.signal?.action && <span>{s.signal.action}</span>}
              {s.signal?.symbol && <span className="num">{s.signal.symbol}</span>}
            </div>
            <dl className="kv">
              <dt>Alert id</dt>
              <dd className="num">{s.alert_id}</dd>
              <dt>Received</dt>
              <dd className="num">{time(s.received_at)}</dd>
              <dt>Last change</dt>
              <dd className="num">{time(s.updated_at)}</dd>
              {s.reason && (
                <>
                  <dt>Reason</dt>
                  <dd className="reason-text">{s.reason}</dd>
                </>
              )}
              {s.duplicate_of && (
                <>
                  <dt>Duplicate of</dt>
                  <dd>
                    <Link to={`/alerts/${encodeURIComponent(s.duplicate_of)}`}>{s.duplicate_of}</Link>
                  </dd>
                </>
              )}
              {typeof message === 'string' && (
                <>
                  <dt>Message</dt>
                  <dd className="alert-message">{message}</dd>
                </>
              )}
            </dl>
          </Card>
          <div className="story-grid">
            <Card title="Timeline">
              <StoryTimeline story={s} />
            </Card>
            <Card title="Payload (as stored, secrets redacted)">
              <pre className="mono-block payload">{json(s.payload)}</pre>
              <p>
                <Link to={`/webhook-log?alert_id=${encodeURIComponent(s.alert_id)}`}>Webhook log entry</Link>
              </p>
            </Card>
          </div>
        </div>
      )}
    </>
  );
}

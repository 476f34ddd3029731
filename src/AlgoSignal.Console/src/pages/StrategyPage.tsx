import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/client';
import type { RotatedToken, StrategyDefinition, StrategyView } from '../api/types';
import { Badge, ConfirmDialog, ErrorBox, Loading, PageHeader } from '../components/ui';
import { shortTime } from '../format';
import { StrategyForm } from '../strategy/StrategyForm';
import { draftFrom, newDraft } from '../strategy/strategyForm';
import { TestAlertButton, WebhookPanel } from '../strategy/WebhookPanel';

function NewStrategy() {
  const client = useQueryClient();
  const [created, setCreated] = useState<StrategyView | null>(null);
  if (created) {
    return (
      <>
        <PageHeader title={`Strategy ${created.name} created`}>
          <Link to={`/strategies/${encodeURIComponent(created.name)}`}>Open the strategy</Link>
        </PageHeader>
        <WebhookPanel name={created.name} url={created.webhook_url ?? ''} paper={created.mode === 'paper'} symbols={created.symbols} title="Webhook URL and TradingView message" />
      </>
    );
  }
  return (
    <>
      <PageHeader title="New strategy" />
      <StrategyForm
        initial={newDraft()}
        existing={false}
        submitLabel="Create strategy"
        onSubmit={async (body: StrategyDefinition) => {
          const view = await api.post<StrategyView>('/api/v1/strategies', body);
          setCreated(view);
          await client.invalidateQueries({ queryKey: ['strategies'] });
        }}
      />
    </>
  );
}

function ExistingStrategy({ name }: { name: string }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const key = ['strategy', name];
  const strategy = useQuery({ queryKey: key, queryFn: ({ signal }) => api.get<StrategyView>(`/api/v1/strategies/${encodeURIComponent(name)}`, signal) });
  const [saved, setSaved] = useState(false);
  const [confirm, setConfirm] = useState<'rotate' | 'delete' | null>(null);
  const [rotated, setRotated] = useState<RotatedToken | null>(null);
  const path = `/api/v1/strategies/${encodeURIComponent(name)}`;
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: key });
    await client.invalidateQueries({ queryKey: ['strategies'] });
  };
  const toggle = useMutation({ mutationFn: (enable: boolean) => api.post<StrategyView>(`${path}/${enable ? 'enable' : 'disable'}`), onSuccess: refresh });
  const rotate = useMutation({
    mutationFn: () => api.post<RotatedToken>(`${path}/rotate-token`),
    onSuccess: async (answer) => {
      setConfirm(null);
      setRotated(answer);
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => api.delete<void>(path),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['strategies'] });
      navigate('/strategies');
    },
  });

  if (strategy.isPending) return <Loading />;
  if (strategy.error) return <ErrorBox error={strategy.error} />;
  const s = strategy.data;
  return (
    <>
      <PageHeader title={`Strategy ${s.name}`}>
        <Badge status={s.mode} tone={s.mode === 'live' ? 'bad' : 'neutral'} />
        <Badge status={s.enabled ? 'enabled' : 'disabled'} />
        <button type="button" onClick={() => toggle.mutate(!s.enabled)} disabled={toggle.isPending}>
          {s.enabled ? 'Disable' : 'Enable'}
        </button>
        <button type="button" onClick={() => setConfirm('rotate')}>
          Rotate token
        </button>
        <button type="button" className="danger-outline" onClick={() => setConfirm('delete')}>
          Delete
        </button>
      </PageHeader>
      <p className="muted">
        Created {shortTime(s.created_at)} · updated {shortTime(s.updated_at)} · webhook token {s.has_webhook_token ? 'set' : 'none'} ·{' '}
        <Link to={`/alerts?strategy=${encodeURIComponent(s.name)}`}>its alerts</Link>
      </p>
      <ErrorBox error={toggle.error} />
      {rotated && <WebhookPanel name={rotated.name} url={rotated.webhook_url} paper={s.mode === 'paper'} symbols={s.symbols} title="New webhook URL" />}
      {!rotated && s.mode === 'paper' && <TestAlertButton name={s.name} symbols={s.symbols} />}
      {saved && (
        <div className="notice" role="status">
          Saved.
        </div>
      )}
      <StrategyForm
        key={s.updated_at}
        initial={draftFrom(s)}
        existing
        submitLabel="Save changes"
        onSubmit={async (body) => {
          setSaved(false);
          const view = await api.put<StrategyView>(path, body);
          client.setQueryData(key, view);
          await client.invalidateQueries({ queryKey: ['strategies'] });
          setSaved(true);
        }}
      />
      {confirm === 'rotate' && (
        <ConfirmDialog
          title="Rotate the webhook token?"
          confirmLabel="Rotate token"
          danger
          busy={rotate.isPending}
          error={rotate.error}
          onConfirm={() => rotate.mutate()}
          onCancel={() => setConfirm(null)}
        >
          <p>The current TradingView URL stops working at once; alerts must use the new URL shown next.</p>
        </ConfirmDialog>
      )}
      {confirm === 'delete' && (
        <ConfirmDialog
          title={`Delete ${s.name}?`}
          confirmLabel="Delete strategy"
          danger
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate()}
          onCancel={() => setConfirm(null)}
        >
          <p>Its alerts stay stored; new alerts naming it end rejected.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

export function StrategyPage() {
  const { name } = useParams();
  return name ? <ExistingStrategy key={name} name={name} /> : <NewStrategy />;
}

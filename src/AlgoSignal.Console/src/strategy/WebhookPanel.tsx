import { useMutation } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api/client';
import { Card, CopyButton, ErrorBox } from '../components/ui';
import { tradingViewMessage } from './strategyForm';

/** A paper strategy's test alert goes through the whole pipeline like one from TradingView. */
export function TestAlertButton({ name }: { name: string }) {
  const send = useMutation({ mutationFn: () => api.post<{ alert_id: string }>(`/api/v1/strategies/${encodeURIComponent(name)}/test-alert`) });
  return (
    <div className="test-alert">
      <button type="button" onClick={() => send.mutate()} disabled={send.isPending}>
        {send.isPending ? 'Sending…' : 'Send a test alert (paper)'}
      </button>
      {send.data && (
        <span className="notice inline-notice" role="status">
          Test alert sent: <Link to={`/alerts/${encodeURIComponent(send.data.alert_id)}`}>open its story</Link>
        </span>
      )}
      <ErrorBox error={send.error} />
    </div>
  );
}

/** Shown once, right after the token was made: the URL carries the token and cannot be read again. */
export function WebhookPanel({ name, url, paper, title }: { name: string; url: string; paper: boolean; title: string }) {
  const message = tradingViewMessage(name);
  return (
    <Card title={title} className="created">
      <p>
        This URL contains the strategy's secret token and is <strong>shown only now</strong>. Paste it into TradingView's alert dialog (<em>Webhook URL</em>);
        rotate the token if it leaks.
      </p>
      <label htmlFor="webhook-url">Webhook URL</label>
      <div className="copy-row">
        <input id="webhook-url" readOnly value={url} className="wide" />
        <CopyButton text={url} />
      </div>
      <label htmlFor="tv-message">TradingView message</label>
      <textarea id="tv-message" readOnly value={message} rows={12} className="wide" />
      <div className="copy-row">
        <CopyButton text={message} label="Copy message" />
      </div>
      {paper && <TestAlertButton name={name} />}
    </Card>
  );
}

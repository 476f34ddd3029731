import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { Card, CopyButton, ErrorBox } from '../components/ui';
import { numberValue, tradingViewMessage } from './strategyForm';

/** A paper strategy's test alert goes through the whole pipeline like one from TradingView (a buy by default). */
export function TestAlertButton({ name, symbols }: { name: string; symbols: string[] }) {
  const [symbol, setSymbol] = useState(symbols[0] ?? '');
  const [price, setPrice] = useState('');
  const send = useMutation({
    mutationFn: () => {
      const body: Record<string, unknown> = {};
      if (symbol.trim()) body.symbol = symbol.trim().toUpperCase();
      if (price.trim()) body.price = numberValue(price);
      return api.post<{ alert_id: string }>(`/api/v1/strategies/${encodeURIComponent(name)}/test-alert`, body);
    },
  });
  return (
    <div className="test-alert">
      <label>
        Test symbol
        <input value={symbol} onChange={(e) => setSymbol(e.target.value)} placeholder="BINANCE:BTCUSDT" />
      </label>
      <label>
        Test price
        <input value={price} onChange={(e) => setPrice(e.target.value)} placeholder="reference price" inputMode="decimal" />
      </label>
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
export function WebhookPanel({ name, url, paper, title, symbols }: { name: string; url: string; paper: boolean; title: string; symbols: string[] }) {
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
      {paper && <TestAlertButton name={name} symbols={symbols} />}
    </Card>
  );
}

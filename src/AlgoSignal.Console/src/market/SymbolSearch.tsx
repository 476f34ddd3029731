import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, withQuery } from '../api/client';
import type { SymbolMatch } from '../api/types';
import { Card, Empty, ErrorBox } from '../components/ui';

/** Finds a symbol by a part of its name; picking one shows its chart. */
export function SymbolSearch({ onPick }: { onPick: (symbol: string) => void }) {
  const [query, setQuery] = useState('');
  const search = useMutation({ mutationFn: (q: string) => api.get<SymbolMatch[]>(withQuery('/api/v1/symbols', { q })) });
  return (
    <Card title="Symbol search">
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          if (query.trim()) search.mutate(query.trim());
        }}
        className="copy-row"
      >
        <input aria-label="Search symbols" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="BTCUSDT" className="wide" />
        <button type="submit" disabled={search.isPending}>
          Search
        </button>
      </form>
      <ErrorBox error={search.error} />
      {search.data && search.data.length === 0 && <Empty>No symbols found.</Empty>}
      {search.data && search.data.length > 0 && (
        <ul className="symbol-results" aria-label="Symbols found">
          {search.data.map((m) => (
            <li key={`${m.exchange}:${m.symbol}`}>
              <button type="button" onClick={() => onPick(`${m.exchange}:${m.symbol}`)}>
                <span className="num">
                  {m.exchange}:{m.symbol}
                </span>
                <span className="muted">{m.description}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

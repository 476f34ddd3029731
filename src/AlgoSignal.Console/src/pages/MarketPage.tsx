import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../api/client';
import type { HistoricalAnswer } from '../api/types';
import { Chart, ChartCredit } from '../components/Chart';
import { Card, Empty, ErrorBox, Loading, PageHeader } from '../components/ui';
import { downloadCsv } from '../csv';
import { CacheCard } from '../market/CacheCard';
import { barsCsv, drawCandles } from '../market/candles';
import { QualityCard } from '../market/QualityCard';
import { SymbolSearch } from '../market/SymbolSearch';

export const TIMEFRAMES = ['1', '3', '5', '15', '30', '45', '60', '120', '180', '240', '1D', '1W', '1M'];

export function MarketPage() {
  const [params, setParams] = useSearchParams();
  const symbol = params.get('symbol') ?? '';
  const timeframe = params.get('timeframe') ?? '60';
  const [draft, setDraft] = useState(symbol);
  // A new symbol in the URL (back button, a link) shows in the field too.
  useEffect(() => setDraft(symbol), [symbol]);
  const [focus, setFocus] = useState<number | null>(null);

  const bars = useQuery({
    queryKey: ['bars', symbol, timeframe],
    enabled: symbol !== '',
    queryFn: () => api.post<HistoricalAnswer>('/api/v1/data/historical', { symbol, timeframe, count: 500, quality_check: true, use_cache: true }),
    staleTime: 30_000,
  });

  const show = (next: string, tf = timeframe) => {
    setFocus(null);
    const p = new URLSearchParams();
    if (next.trim()) p.set('symbol', next.trim().toUpperCase());
    p.set('timeframe', tf);
    setParams(p);
  };

  const klines = bars.data?.data.klines ?? [];
  const report = bars.data?.metadata.quality ?? null;
  return (
    <>
      <PageHeader title="Market">
        {klines.length > 0 && (
          <button type="button" onClick={() => downloadCsv(`${symbol.replace(':', '_')}_${timeframe}.csv`, barsCsv(klines))}>
            Download CSV
          </button>
        )}
      </PageHeader>
      <div className="market-grid">
        <div>
          <form
            className="filters"
            aria-label="Chart"
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              show(draft);
            }}
          >
            <label>
              Symbol
              <input value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="BINANCE:BTCUSDT" />
            </label>
            <label>
              Timeframe
              <select value={timeframe} onChange={(e) => show(symbol || draft, e.target.value)}>
                {TIMEFRAMES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </label>
            <div className="filter-buttons">
              <button type="submit" className="primary">
                Show chart
              </button>
            </div>
          </form>
          <ErrorBox error={bars.error} />
          {symbol === '' ? (
            <Empty>Pick a symbol: type it (EXCHANGE:SYMBOL) or search for it.</Empty>
          ) : bars.isPending ? (
            <Loading what={`Loading ${symbol}`} />
          ) : bars.data ? (
            <Card
              title={
                <>
                  {bars.data.data.symbol} · {bars.data.data.timeframe} · {bars.data.metadata.count} bars · from {bars.data.metadata.source}
                </>
              }
            >
              <Chart label={`Candles of ${bars.data.data.symbol}`} draw={drawCandles(klines, report, focus)} deps={[bars.dataUpdatedAt, focus]} />
              <ChartCredit />
            </Card>
          ) : null}
          {report && <QualityCard report={report} score={bars.data?.metadata.quality_score ?? null} onFocus={setFocus} />}
        </div>
        <div>
          <SymbolSearch
            onPick={(picked) => {
              setDraft(picked);
              show(picked);
            }}
          />
          <CacheCard />
        </div>
      </div>
    </>
  );
}

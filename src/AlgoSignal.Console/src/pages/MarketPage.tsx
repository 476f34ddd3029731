import { useMutation, useQuery } from '@tanstack/react-query';
import { CandlestickSeries, createSeriesMarkers, HistogramSeries, type IChartApi, type UTCTimestamp } from 'lightweight-charts';
import { useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api, withQuery } from '../api/client';
import type { CacheStats, HistoricalAnswer, QualityReport, SymbolMatch } from '../api/types';
import { Chart, ChartCredit, COLORS } from '../components/Chart';
import { Badge, Card, Empty, ErrorBox, Loading, PageHeader } from '../components/ui';
import { downloadCsv, toCsv } from '../csv';
import { bytes, pct, time } from '../format';

export const TIMEFRAMES = ['1', '3', '5', '15', '30', '45', '60', '120', '180', '240', '1D', '1W', '1M'];
const DIMENSIONS = ['completeness', 'accuracy', 'consistency', 'timeliness', 'validity', 'uniqueness'] as const;

type Kline = HistoricalAnswer['data']['klines'][number];

function drawCandles(klines: Kline[], report: QualityReport | null, focus: number | null) {
  return (chart: IChartApi) => {
    const candles = chart.addSeries(CandlestickSeries, {
      upColor: COLORS.up,
      downColor: COLORS.down,
      wickUpColor: COLORS.up,
      wickDownColor: COLORS.down,
      borderVisible: false,
    });
    candles.setData(klines.map((k) => ({ time: k.timestamp as UTCTimestamp, open: k.open, high: k.high, low: k.low, close: k.close })));
    const volume = chart.addSeries(HistogramSeries, { color: COLORS.volume, priceScaleId: 'volume', priceFormat: { type: 'volume' }, priceLineVisible: false, lastValueVisible: false });
    chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    chart.priceScale('right').applyOptions({ scaleMargins: { top: 0.05, bottom: 0.25 } });
    volume.setData(
      klines
        .filter((k) => k.volume !== null && k.volume !== undefined)
        .map((k) => ({ time: k.timestamp as UTCTimestamp, value: k.volume as number, color: k.close >= k.open ? 'rgba(63,182,139,0.35)' : 'rgba(240,97,109,0.35)' })),
    );
    // Each finding that names a bar gets a marker on it.
    const times = new Set(klines.map((k) => k.timestamp));
    const markerTimes = new Map<number, string[]>();
    for (const f of report?.findings ?? []) {
      if (!f.bar_time) continue;
      const t = Math.floor(Date.parse(f.bar_time) / 1000);
      if (!times.has(t)) continue;
      markerTimes.set(t, [...(markerTimes.get(t) ?? []), f.rule]);
    }
    const markers = createSeriesMarkers(
      candles,
      [...markerTimes.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([t, rules]) => ({ time: t as UTCTimestamp, position: 'aboveBar' as const, color: '#e3b341', shape: 'arrowDown' as const, text: rules.join(', ') })),
    );
    if (focus !== null) {
      const index = klines.findIndex((k) => k.timestamp === focus);
      chart.timeScale().setVisibleLogicalRange({ from: Math.max(0, index - 40), to: index + 40 });
    } else {
      chart.timeScale().fitContent();
    }
    return () => {
      markers.detach();
      chart.removeSeries(candles);
      chart.removeSeries(volume);
    };
  };
}

function Quality({ report, score, onFocus }: { report: QualityReport; score: number | null; onFocus: (t: number) => void }) {
  return (
    <Card title="Quality report">
      <div className="quality-head">
        <span className="num quality-score">{score === null ? '—' : score.toFixed(3)}</span> <Badge status={report.level} />
      </div>
      <div className="quality-dims">
        {DIMENSIONS.map((d) => {
          const v = report[d];
          return (
            <div key={d} className="quality-dim">
              <div className="stat-label">{d}</div>
              <div className="num">{pct(v)}</div>
              <div className={`bar-meter ${v < 0.6 ? 'bad' : v < 0.8 ? 'warn' : ''}`}>
                <span className={`w-${Math.round(Math.max(0, Math.min(1, v)) * 20) * 5}`} />
              </div>
            </div>
          );
        })}
      </div>
      <div className="sub-title">Findings ({report.findings.length})</div>
      {report.findings.length === 0 ? (
        <Empty>No findings.</Empty>
      ) : (
        <table className="table compact" aria-label="Quality findings">
          <thead>
            <tr>
              <th>Dimension</th>
              <th>Rule</th>
              <th>Bar</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {report.findings.map((f, i) => (
              <tr key={i}>
                <td>{f.dimension}</td>
                <td>
                  <code>{f.rule}</code>
                </td>
                <td className="num nowrap">
                  {f.bar_time ? (
                    <button type="button" className="link-button" onClick={() => onFocus(Math.floor(Date.parse(f.bar_time!) / 1000))}>
                      {time(f.bar_time).slice(0, 16)}
                    </button>
                  ) : (
                    '—'
                  )}
                </td>
                <td>{f.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function CacheCard() {
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

/** Bars as the dataset files write them: `time,open,high,low,close,volume`, oldest first, ISO-8601 UTC. */
export function barsCsv(klines: Kline[]): string {
  return toCsv(
    ['time', 'open', 'high', 'low', 'close', 'volume'],
    klines.map((k) => ({ time: new Date(k.timestamp * 1000).toISOString().replace('.000Z', 'Z'), open: k.open, high: k.high, low: k.low, close: k.close, volume: k.volume ?? '' })),
  );
}

export function MarketPage() {
  const [params, setParams] = useSearchParams();
  const symbol = params.get('symbol') ?? '';
  const timeframe = params.get('timeframe') ?? '60';
  const [draft, setDraft] = useState(symbol);
  // A new symbol in the URL (back button, a link) shows in the field too.
  useEffect(() => setDraft(symbol), [symbol]);
  const [query, setQuery] = useState('');
  const [focus, setFocus] = useState<number | null>(null);

  const search = useMutation({ mutationFn: (q: string) => api.get<SymbolMatch[]>(withQuery('/api/v1/symbols', { q })) });
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
          {report && <Quality report={report} score={bars.data?.metadata.quality_score ?? null} onFocus={setFocus} />}
        </div>
        <div>
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
                    <button
                      type="button"
                      onClick={() => {
                        const s = `${m.exchange}:${m.symbol}`;
                        setDraft(s);
                        show(s);
                      }}
                    >
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
          <CacheCard />
        </div>
      </div>
    </>
  );
}

import { CandlestickSeries, createSeriesMarkers, HistogramSeries, type IChartApi, type UTCTimestamp } from 'lightweight-charts';
import type { HistoricalAnswer, QualityReport } from '../api/types';
import { COLORS } from '../components/Chart';
import { toCsv } from '../csv';

export type Kline = HistoricalAnswer['data']['klines'][number];

/** Candles and volume on the chart, a marker on every bar a quality finding names, and the view on the focused bar. */
export function drawCandles(klines: Kline[], report: QualityReport | null, focus: number | null) {
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

/** Bars as the dataset files write them: `time,open,high,low,close,volume`, oldest first, ISO-8601 UTC. */
export function barsCsv(klines: Kline[]): string {
  return toCsv(
    ['time', 'open', 'high', 'low', 'close', 'volume'],
    klines.map((k) => ({ time: new Date(k.timestamp * 1000).toISOString().replace('.000Z', 'Z'), open: k.open, high: k.high, low: k.low, close: k.close, volume: k.volume ?? '' })),
  );
}

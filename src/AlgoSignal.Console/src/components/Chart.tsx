import { createChart, type DeepPartial, type IChartApi, type ChartOptions } from 'lightweight-charts';
import { useEffect, useRef } from 'react';

/** Colours of the console's dark theme for every chart. The attribution logo is off: it links out and injects a <style> element, which the CSP refuses; the text credit below each chart names the library instead. */
export const CHART_OPTIONS: DeepPartial<ChartOptions> = {
  autoSize: true,
  layout: {
    background: { color: '#161d27' },
    textColor: '#8593a3',
    fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', monospace",
    fontSize: 11,
    attributionLogo: false,
  },
  grid: { vertLines: { color: '#1f2935' }, horzLines: { color: '#1f2935' } },
  rightPriceScale: { borderColor: '#263141' },
  timeScale: { borderColor: '#263141', timeVisible: true, secondsVisible: false },
  crosshair: { mode: 0 },
};

export const COLORS = { up: '#3fb68b', down: '#f0616d', line: '#4c9aff', drawdown: '#f0616d', volume: 'rgba(133,147,163,0.35)' };

/** Mounts a chart in a div and hands it to `draw` whenever `deps` change; the chart lives as long as the component. */
export function Chart({ draw, deps, className, label }: { draw: (chart: IChartApi) => void | (() => void); deps: unknown[]; className?: string; label: string }) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);

  useEffect(() => {
    if (!container.current) return undefined;
    chart.current = createChart(container.current, CHART_OPTIONS);
    return () => {
      chart.current?.remove();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (!chart.current) return undefined;
    const undo = draw(chart.current);
    return () => {
      // On unmount the chart is removed first (the effect above); its series went with it.
      if (chart.current && undo) undo();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  return <div ref={container} className={`chart ${className ?? ''}`} role="img" aria-label={label} data-testid="chart" />;
}

export function ChartCredit() {
  return <div className="attribution">Charts: TradingView Lightweight Charts™ (Apache 2.0)</div>;
}

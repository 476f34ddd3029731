import { render } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

// A chart that behaves like lightweight-charts after remove(): touching its series throws.
const removed = { value: false };
vi.mock('lightweight-charts', () => ({
  createChart: () => ({
    remove: () => {
      removed.value = true;
    },
    removeSeries: () => {
      if (removed.value) throw new Error('Value is undefined');
    },
  }),
}));

const { Chart } = await import('./Chart');

describe('a chart', () => {
  it('draws, redraws, and unmounts without touching series of a removed chart', () => {
    const undo = vi.fn();
    const draw = vi.fn((chart: { removeSeries: (s: unknown) => void }) => () => {
      undo();
      chart.removeSeries({});
    });
    const { rerender, unmount } = render(<Chart label="Candles" draw={draw as never} deps={[1]} />);
    rerender(<Chart label="Candles" draw={draw as never} deps={[2]} />);
    expect(draw).toHaveBeenCalledTimes(2);
    expect(undo).toHaveBeenCalledTimes(1);
    expect(() => unmount()).not.toThrow();
    expect(removed.value).toBe(true);
  });
});

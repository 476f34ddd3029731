import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import type { StrategyDefinition } from '../api/types';
import { StrategyForm } from './StrategyForm';
import { buildBody, newDraft, numberValue, placeErrors, fieldKeys, tradingViewMessage } from './strategyForm';

function problem(errors: Record<string, string[]>) {
  return new ApiError(400, {
    title: 'One or more validation errors occurred.',
    status: 400,
    detail: 'The strategy has invalid fields; every one is listed.',
    errors,
  });
}

function change(input: HTMLElement, value: string) {
  fireEvent.change(input, { target: { value } });
}

/** The error element an input names in aria-describedby. */
function errorOf(input: HTMLElement): string {
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id.endsWith('-error'));
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

describe('the strategy form', () => {
  it('builds the request body from every field', async () => {
    const onSubmit = vi.fn<(b: StrategyDefinition) => Promise<unknown>>().mockResolvedValue(undefined);
    const user = userEvent.setup();
    render(<StrategyForm initial={newDraft()} existing={false} submitLabel="Create strategy" onSubmit={onSubmit} />);
    change(screen.getByLabelText('Name'), 'rsi-btc');
    change(screen.getByLabelText('Account of route 1'), 'paper-2');
    await user.click(screen.getByRole('button', { name: 'Add route' }));
    await user.selectOptions(screen.getByLabelText('Broker of route 2'), 'bybit');
    change(screen.getByLabelText('Account of route 2'), 'unified-1');
    change(screen.getByLabelText('Symbols'), 'binance:btcusdt, ETHUSDT');
    change(screen.getByLabelText('Timeframes'), '15 1h');
    await user.selectOptions(screen.getByLabelText('Sizing'), 'notional');
    change(screen.getByLabelText('Amount'), '1000');
    change(screen.getByLabelText('Max daily loss'), '500');
    change(screen.getByLabelText('Max positions'), '3');
    await user.selectOptions(screen.getByLabelText('Allow short'), 'false');
    await user.click(screen.getByLabelText('Only enter inside a trading window'));
    await user.click(screen.getByLabelText('fri'));
    await user.click(screen.getByRole('button', { name: 'Create strategy' }));

    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0][0]).toEqual({
      name: 'rsi-btc',
      enabled: true,
      mode: 'paper',
      routes: [
        { broker: 'paper', account: 'paper-2' },
        { broker: 'bybit', account: 'unified-1' },
      ],
      symbols: ['BINANCE:BTCUSDT', 'ETHUSDT'],
      timeframes: ['15', '1h'],
      sizing: { mode: 'notional', amount: 1000 },
      risk_multiplier: 1,
      max_positions: 3,
      max_position_quantity: null,
      max_order_notional: null,
      max_daily_loss: 500,
      max_orders_per_minute: 30,
      trading_window: { start: '09:30', end: '16:00', timezone: 'America/New_York', days: ['mon', 'tue', 'wed', 'thu'] },
      max_signal_age_seconds: 60,
      allow_short: false,
      pyramiding: 1,
    });
  });

  it('shows each validation error of a 400 next to the field it names', async () => {
    const onSubmit = vi.fn().mockRejectedValue(
      problem({
        name: ['"name" must be 1–64 letters, digits, \'-\', \'_\' or \'.\', starting with a letter or digit.'],
        max_positions: ['"max_positions" must be from 1 to 10,000.'],
        'sizing.quantity': ['fixed sizing needs "sizing.quantity" above 0 and at most 1,000,000,000,000.'],
        'routes[0].account': ['"account" must be 1–64 letters, digits, \'-\', \'_\' or \'.\'.'],
        'symbols[1]': ['each of "symbols" must look like "BTCUSDT" or "BINANCE:BTCUSDT".'],
        body: ['Something about the whole body.'],
      }),
    );
    render(<StrategyForm initial={newDraft()} existing={false} submitLabel="Create strategy" onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('button', { name: 'Create strategy' }));

    const name = screen.getByLabelText('Name');
    await waitFor(() => expect(name).toHaveAttribute('aria-invalid', 'true'));
    expect(errorOf(name)).toContain('"name" must be 1–64 letters');
    expect(errorOf(screen.getByLabelText('Max positions'))).toBe('"max_positions" must be from 1 to 10,000.');
    expect(errorOf(screen.getByLabelText('Quantity'))).toContain('"sizing.quantity" above 0');
    expect(errorOf(screen.getByLabelText('Account of route 1'))).toContain('"account" must be');
    expect(errorOf(screen.getByLabelText('Symbols'))).toContain('each of "symbols"');
    // Fields without a problem are not marked.
    expect(screen.getByLabelText('Pyramiding')).not.toHaveAttribute('aria-invalid');
    expect(errorOf(screen.getByLabelText('Pyramiding'))).toBe('');
    // What names no field is shown above the form.
    expect(screen.getByRole('alert')).toHaveTextContent('Something about the whole body.');
  });

  it('clears the errors once a later submit succeeds', async () => {
    const onSubmit = vi.fn().mockRejectedValueOnce(problem({ max_positions: ['"max_positions" must be from 1 to 10,000.'] })).mockResolvedValueOnce(undefined);
    render(<StrategyForm initial={newDraft()} existing={false} submitLabel="Create strategy" onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('button', { name: 'Create strategy' }));
    await waitFor(() => expect(screen.getByLabelText('Max positions')).toHaveAttribute('aria-invalid', 'true'));
    fireEvent.click(screen.getByRole('button', { name: 'Create strategy' }));
    await waitFor(() => expect(screen.getByLabelText('Max positions')).not.toHaveAttribute('aria-invalid'));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows an error without field errors (e.g. 409) above the form', async () => {
    const onSubmit = vi.fn().mockRejectedValue(new ApiError(409, { status: 409, detail: 'A strategy named "demo" exists.' }));
    render(<StrategyForm initial={newDraft()} existing={false} submitLabel="Create strategy" onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('button', { name: 'Create strategy' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('A strategy named "demo" exists.');
  });
});

describe('the strategy form helpers', () => {
  it('keeps numbers exact: long decimals stay text, other text is passed on for the API to judge', () => {
    expect(numberValue('5')).toBe(5);
    expect(numberValue(' 0.25 ')).toBe(0.25);
    expect(numberValue('12345678901234567.5')).toBe('12345678901234567.5');
    expect(numberValue('abc')).toBe('abc');
    expect(numberValue('')).toBe('');
  });

  it('sends empty limits as null (no limit) and no trading window as null', () => {
    const body = buildBody({ ...newDraft(), name: 'x' });
    expect(body.max_daily_loss).toBeNull();
    expect(body.trading_window).toBeNull();
    expect(body.sizing).toEqual({ mode: 'fixed', quantity: 1 });
  });

  it('places error keys under the longest field they fall under, ignoring case', () => {
    const placed = placeErrors({ 'Trading_Window.Timezone': ['a'], 'sizing.percent': ['b'], 'routes[1]': ['c'], other: ['d'] }, fieldKeys(2));
    expect(placed.byField['trading_window.timezone']).toEqual(['a']);
    expect(placed.byField['sizing.percent']).toEqual(['b']);
    expect(placed.byField['routes[1]']).toEqual(['c']);
    expect(placed.general).toEqual(['other: d']);
  });

  it('writes a TradingView message naming the strategy, with unquoted number placeholders', () => {
    const text = tradingViewMessage('rsi-btc');
    expect(text).toContain('"strategy": "rsi-btc"');
    expect(text).toContain('"price": {{close}}');
    expect(text).toContain('"action": "{{strategy.order.action}}"');
  });
});

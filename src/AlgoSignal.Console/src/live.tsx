import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { LiveAlertEvent } from './api/types';
import { sessionKey } from './session';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

interface LiveValue {
  state: LiveState;
  /** Alerts that finished while the console was open, newest first. */
  feed: LiveAlertEvent[];
}

const LiveContext = createContext<LiveValue>({ state: 'connecting', feed: [] });

const FEED_SIZE = 50;

/** Parses one server-sent event's data; a malformed one is dropped, never shown. */
export function parseEvent<T>(data: string): T | null {
  try {
    const value: unknown = JSON.parse(data);
    return value && typeof value === 'object' ? (value as T) : null;
  } catch {
    return null;
  }
}

/**
 * Subscribes to `/api/v1/stream` (Server-Sent Events) while signed in. The browser reconnects by itself
 * after a dropped connection; when the server refused the stream (the EventSource closes), it is opened
 * again with a growing delay and the session is checked, so an expired session leads to sign-in.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  const [feed, setFeed] = useState<LiveAlertEvent[]>([]);
  const retry = useRef(0);

  useEffect(() => {
    if (typeof EventSource === 'undefined') return undefined;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const open = () => {
      source = new EventSource('/api/v1/stream', { withCredentials: true });
      source.onopen = () => {
        retry.current = 0;
        setState('live');
      };
      source.onerror = () => {
        if (stopped) return;
        setState('reconnecting');
        if (source && source.readyState === EventSource.CLOSED) {
          source.close();
          const delay = Math.min(30_000, 1000 * 2 ** retry.current);
          retry.current += 1;
          void client.invalidateQueries({ queryKey: sessionKey });
          timer = setTimeout(open, delay);
        }
      };
      source.addEventListener('alert', (event) => {
        const alert = parseEvent<LiveAlertEvent>((event as MessageEvent<string>).data);
        if (!alert || typeof alert.alert_id !== 'string') return;
        setFeed((current) => [alert, ...current.filter((a) => a.alert_id !== alert.alert_id)].slice(0, FEED_SIZE));
        void client.invalidateQueries({ queryKey: ['overview'] });
        void client.invalidateQueries({ queryKey: ['alerts'] });
        void client.invalidateQueries({ queryKey: ['alert', alert.alert_id] });
      });
      source.addEventListener('kill_switch', () => {
        void client.invalidateQueries({ queryKey: ['overview'] });
        void client.invalidateQueries({ queryKey: ['kill-switch'] });
      });
      source.addEventListener('order', () => {
        void client.invalidateQueries({ queryKey: ['orders'] });
        void client.invalidateQueries({ queryKey: ['positions'] });
        void client.invalidateQueries({ queryKey: ['pnl'] });
      });
    };

    open();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      source?.close();
    };
  }, [client]);

  return <LiveContext.Provider value={{ state, feed }}>{children}</LiveContext.Provider>;
}

export function useLive(): LiveValue {
  return useContext(LiveContext);
}

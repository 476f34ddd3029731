import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ApiError, request, setAntiforgeryToken } from './api/client';
import type { SessionInfo } from './api/types';

export const sessionKey = ['session'] as const;

/** `GET /api/v1/session`: null when signed out (401). Keeps the antiforgery token in memory. */
export async function fetchSession(): Promise<SessionInfo | null> {
  try {
    const info = await request<SessionInfo>('GET', '/api/v1/session', { allowUnauthorized: true });
    setAntiforgeryToken(info.antiforgery_token ?? null);
    return info;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setAntiforgeryToken(null);
      return null;
    }
    throw error;
  }
}

export function useSession() {
  return useQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: 60_000, retry: 1 });
}

export async function signIn(apiKey: string): Promise<SessionInfo> {
  return request<SessionInfo>('POST', '/api/v1/session', { body: { api_key: apiKey }, allowUnauthorized: true });
}

export async function signOut(): Promise<void> {
  try {
    await request<void>('DELETE', '/api/v1/session', { allowUnauthorized: true });
  } finally {
    setAntiforgeryToken(null);
  }
}

export function useSignOut() {
  const client = useQueryClient();
  return async () => {
    await signOut().catch(() => undefined);
    client.clear();
    window.location.assign('/signin');
  };
}

/** Renders its children only with a session; otherwise sends the browser to `/signin?next=<here>`. */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <div className="page-loading" role="status">Checking the session…</div>;
  if (session.isError) {
    return (
      <div className="signin-wrap">
        <div className="error-box" role="alert">The session could not be checked: {session.error.message}</div>
      </div>
    );
  }
  if (!session.data) {
    const next = location.pathname + location.search;
    return <Navigate to={`/signin?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}

import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/client';
import { fetchSession, sessionKey, signIn, useSession } from '../session';

/** Only a path of this console: `//evil.example` or `https://…` would send the user elsewhere after sign-in. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/signin')) return '/';
  return next;
}

export function SignInPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const session = useSession();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(key);
      // The key leaves memory as soon as the cookie exists; the session query brings the antiforgery token.
      setKey('');
      const session = await fetchSession();
      client.setQueryData(sessionKey, session);
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? err.problem.detail ?? 'That API key is not valid.'
          : err instanceof Error
            ? err.message
            : String(err),
      );
    } finally {
      setBusy(false);
    }
  };

  // Already signed in (a bookmark of /signin, the back button): straight on.
  if (session.data && !busy) return <Navigate to={safeNext(params.get('next'))} replace />;

  return (
    <div className="signin-wrap">
      <form className="signin card" onSubmit={submit} aria-labelledby="signin-title">
        <div className="brand big">
          <span className="brand-mark" aria-hidden="true" />
          AlgoSignal
        </div>
        <h1 id="signin-title">Sign in to the console</h1>
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          name="api_key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          required
          autoFocus
        />
        <p className="hint">One of the ingress's <code>Api:Keys</code>. It starts a session held in an HttpOnly cookie; the browser never stores the key.</p>
        {error && (
          <div className="error-box" role="alert">
            {error}
          </div>
        )}
        <button type="submit" className="primary" disabled={busy || key.length === 0}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}

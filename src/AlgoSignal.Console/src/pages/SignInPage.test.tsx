import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getAntiforgeryToken, setAntiforgeryToken } from '../api/client';
import { SignInPage } from './SignInPage';

const KEY = 'key-0123456789abcdef';

describe('the sign-in page', () => {
  let signedIn: boolean;
  let fetchMock: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    signedIn = false;
    fetchMock = vi.fn((url: string, init: RequestInit) => {
      const json = (status: number, body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status }));
      if (url === '/api/v1/session' && init.method === 'POST') {
        if (JSON.parse(String(init.body)).api_key !== KEY) return json(401, { title: 'Unauthorized', detail: 'The api_key is not valid.' });
        signedIn = true;
        return json(200, { signed_in: true, expires_at: '2026-12-03T00:00:00Z' });
      }
      if (url === '/api/v1/session') {
        return signedIn ? json(200, { signed_in: true, expires_at: '2026-12-03T00:00:00Z', antiforgery_token: 'csrf-1' }) : json(401, { title: 'Not signed in' });
      }
      return json(404, {});
    });
    vi.stubGlobal('fetch', fetchMock);
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    setAntiforgeryToken(null);
    localStorage.clear();
    sessionStorage.clear();
  });

  function renderAt(url: string) {
    const router = createMemoryRouter(
      [
        { path: '/signin', element: <SignInPage /> },
        { path: '*', element: <h1>Somewhere else</h1> },
      ],
      { initialEntries: [url] },
    );
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <RouterProvider router={router} />
      </QueryClientProvider>,
    );
    return router;
  }

  it('shows the refusal of a wrong key and stays', async () => {
    renderAt('/signin?next=%2Forders');
    fireEvent.change(await screen.findByLabelText('API key'), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The api_key is not valid.');
  });

  it('signs in, keeps the antiforgery token in memory only, forgets the key and goes on to next', async () => {
    const router = renderAt('/signin?next=%2Forders%3Fstatus%3Dfilled');
    const input = await screen.findByLabelText('API key');
    fireEvent.change(input, { target: { value: KEY } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/orders'));
    expect(router.state.location.search).toBe('?status=filled');
    expect(getAntiforgeryToken()).toBe('csrf-1');
    expect(JSON.stringify({ ...localStorage })).not.toContain(KEY);
    expect(JSON.stringify({ ...sessionStorage })).not.toContain(KEY);
    expect(document.cookie).not.toContain(KEY);
    const post = fetchMock.mock.calls.find(([, init]) => init.method === 'POST');
    expect(post![1].credentials).toBe('same-origin');
  });
});

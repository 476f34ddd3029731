import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, request, setAntiforgeryToken, setUnauthorizedHandler } from './client';

function answer(status: number, body?: unknown) {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

describe('the API client', () => {
  let fetchMock: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    setAntiforgeryToken('token-123');
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    setAntiforgeryToken(null);
    setUnauthorizedHandler(null);
    window.history.replaceState(null, '', '/');
  });

  function sentHeaders(call = 0): Record<string, string> {
    return fetchMock.mock.calls[call][1].headers as Record<string, string>;
  }

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('sends the antiforgery token and same-origin credentials on %s', async (method) => {
    fetchMock.mockImplementation(() => Promise.resolve(answer(200, { ok: true })));
    await request(method, '/api/v1/kill-switch', { body: { enabled: true } });
    expect(sentHeaders()['X-CSRF-TOKEN']).toBe('token-123');
    expect(fetchMock.mock.calls[0][1].credentials).toBe('same-origin');
    expect(fetchMock.mock.calls[0][1].method).toBe(method);
  });

  it('does not send the token on GET', async () => {
    fetchMock.mockImplementation(() => Promise.resolve(answer(200, [])));
    await api.get('/api/v1/alerts');
    expect(sentHeaders()['X-CSRF-TOKEN']).toBeUndefined();
    expect(fetchMock.mock.calls[0][1].credentials).toBe('same-origin');
  });

  it('sends JSON bodies, and merge patches with their own content type', async () => {
    fetchMock.mockImplementation(() => Promise.resolve(answer(200, {})));
    await api.post('/api/v1/strategies', { name: 'a' });
    expect(sentHeaders(0)['Content-Type']).toBe('application/json');
    expect(fetchMock.mock.calls[0][1].body).toBe('{"name":"a"}');
    await api.patch('/api/v1/strategies/a', { max_daily_loss: null });
    expect(sentHeaders(1)['Content-Type']).toBe('application/merge-patch+json');
    expect(sentHeaders(1)['X-CSRF-TOKEN']).toBe('token-123');
  });

  it('sends the browser to sign-in with the current page as next on a 401', async () => {
    const redirect = vi.fn();
    setUnauthorizedHandler(redirect);
    window.history.replaceState(null, '', '/alerts?status=filled');
    fetchMock.mockImplementation(() => Promise.resolve(answer(401, { title: 'Unauthorized', status: 401 })));
    await expect(api.get('/api/v1/alerts')).rejects.toBeInstanceOf(ApiError);
    expect(redirect).toHaveBeenCalledWith('/alerts?status=filled');
  });

  it('forgets the antiforgery token on a 401', async () => {
    setUnauthorizedHandler(() => undefined);
    fetchMock.mockResolvedValueOnce(answer(401, {})).mockResolvedValueOnce(answer(200, {}));
    await expect(api.get('/api/v1/overview')).rejects.toThrow();
    await api.post('/api/v1/kill-switch', { enabled: false });
    expect(sentHeaders(1)['X-CSRF-TOKEN']).toBeUndefined();
  });

  it('the default 401 handler navigates to /signin?next=…', async () => {
    const assign = vi.fn();
    vi.stubGlobal('location', { ...window.location, pathname: '/orders', search: '?status=filled', assign });
    fetchMock.mockImplementation(() => Promise.resolve(answer(401, {})));
    await expect(api.get('/api/v1/orders')).rejects.toThrow();
    expect(assign).toHaveBeenCalledWith('/signin?next=%2Forders%3Fstatus%3Dfilled');
  });

  it('does not redirect when the caller handles the 401 itself (sign-in)', async () => {
    const redirect = vi.fn();
    setUnauthorizedHandler(redirect);
    fetchMock.mockImplementation(() => Promise.resolve(answer(401, { detail: 'The API key is not valid.' })));
    const error = await request('POST', '/api/v1/session', { body: { api_key: 'x' }, allowUnauthorized: true }).catch((e: unknown) => e);
    expect(redirect).not.toHaveBeenCalled();
    expect((error as ApiError).message).toBe('The API key is not valid.');
  });

  it('reads the validation problem of a 400 with its field errors', async () => {
    fetchMock.mockResolvedValue(
      answer(400, { title: 'One or more validation errors occurred.', status: 400, detail: 'The strategy has invalid fields; every one is listed.', errors: { max_positions: ['"max_positions" must be from 1 to 10,000.'] } }),
    );
    const error = (await api.post('/api/v1/strategies', {}).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(400);
    expect(error.fieldErrors('max_positions')).toEqual(['"max_positions" must be from 1 to 10,000.']);
    expect(error.message).toBe('The strategy has invalid fields; every one is listed.');
  });

  it('keeps a non-JSON error answer readable', async () => {
    fetchMock.mockResolvedValue(new Response('Bad Gateway\n<html>', { status: 502 }));
    const error = (await api.get('/api/v1/health').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
    expect(error.message).toBe('Bad Gateway');
  });
});

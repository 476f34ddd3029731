// The console's one way to talk to the ingress. It is a pure client of the public API (README, "Console"):
// cookies are sent by the browser (same origin), the antiforgery token is kept in this module's memory only,
// and every state-changing request carries it. A 401 sends the browser to the sign-in page.

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Record<string, string[]>;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(describe(status, problem));
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  /** The messages the API gave for one field (e.g. `sizing.quantity`, `routes[0].account`). */
  fieldErrors(field: string): string[] {
    return this.problem.errors?.[field] ?? [];
  }
}

function describe(status: number, problem: Problem): string {
  if (problem.detail) return problem.detail;
  if (problem.title) return problem.title;
  return `The server answered ${status}.`;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let antiforgeryToken: string | null = null;

/** Set from `GET /api/v1/session`; never written to any browser storage. */
export function setAntiforgeryToken(token: string | null): void {
  antiforgeryToken = token;
}

export function getAntiforgeryToken(): string | null {
  return antiforgeryToken;
}

type UnauthorizedHandler = (next: string) => void;

function defaultUnauthorized(next: string): void {
  if (window.location.pathname === '/signin') return;
  window.location.assign(`/signin?next=${encodeURIComponent(next)}`);
}

let onUnauthorized: UnauthorizedHandler = defaultUnauthorized;

/** Tests replace the redirect; the app uses the default (a full navigation to `/signin?next=…`). */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  onUnauthorized = handler ?? defaultUnauthorized;
}

export interface RequestOptions {
  body?: unknown;
  contentType?: string;
  /** For the session routes themselves: a 401 is an answer to show, not a reason to redirect. */
  allowUnauthorized?: boolean;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
  if (STATE_CHANGING.has(method.toUpperCase()) && antiforgeryToken) headers['X-CSRF-TOKEN'] = antiforgeryToken;

  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });

  if (response.status === 401 && !options.allowUnauthorized) {
    antiforgeryToken = null;
    onUnauthorized(currentLocation());
  }

  if (!response.ok) {
    throw new ApiError(response.status, await readProblem(response));
  }

  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

function currentLocation(): string {
  const { pathname, search } = window.location;
  return pathname + search;
}

async function readProblem(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => '');
  if (!text) return { status: response.status };
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') return parsed as Problem;
  } catch {
    // Not JSON (a proxy's page, say): keep the first line as the detail.
  }
  return { status: response.status, detail: text.split('\n')[0].slice(0, 300) };
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, { signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) =>
    request<T>('PATCH', path, { body, contentType: 'application/merge-patch+json' }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** Builds `path?k=v&…` leaving out empty values. */
export function withQuery(path: string, query: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

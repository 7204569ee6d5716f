// Calls to the two APIs through the dashboard's own /api/… (GET → query API, POST → command API),
// with the bearer token when one is set. Every failure comes back as a problem, never a throw.
import { getToken } from './token';
import type { Problem } from './types';

export type ApiResult<T> =
  | { ok: true; status: number; body: T; location: string | null }
  | { ok: false; status: number; problem: Problem };

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const token = getToken();
  return { accept: 'application/json', ...extra, ...(token ? { authorization: `Bearer ${token}` } : {}) };
}

const networkProblem = (error: unknown): Problem => ({
  type: 'about:blank',
  title: 'No answer',
  status: 0,
  code: 'DD_DEPENDENCY_UNAVAILABLE',
  detail: `The dashboard did not answer: ${error instanceof Error ? error.message : String(error)}`,
});

async function call<T>(path: string, init: RequestInit): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(`/api${path}`, init);
  } catch (error) {
    return { ok: false, status: 0, problem: networkProblem(error) };
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (res.ok) return { ok: true, status: res.status, body: body as T, location: res.headers.get('location') };
  const problem =
    typeof body === 'object' && body !== null && 'code' in body
      ? (body as Problem)
      : {
          type: 'about:blank',
          title: res.statusText,
          status: res.status,
          code: 'DD_INTERNAL',
          detail: text.slice(0, 300),
        };
  return { ok: false, status: res.status, problem };
}

export const getJson = <T>(path: string) => call<T>(path, { headers: headers() });

/** POST a body exactly as given (the paste-JSON mode sends the text as typed). */
export const postJson = <T>(path: string, body: string) =>
  call<T>(path, { method: 'POST', headers: headers({ 'content-type': 'application/json' }), body });

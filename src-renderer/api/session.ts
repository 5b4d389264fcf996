/**
 * Signing in and out of a server that asks for it (web mode only): `POST /auth/login` with the
 * user name and password (the host answers with an HttpOnly session cookie), `POST /auth/logout`.
 * Failures come back as plain words for the sign-in page.
 */
import type { Role } from '../../src-shared/contract/types';

export type SignInResult = { ok: true; name: string; role: Role } | { ok: false; message: string };

export interface SessionOptions {
  /** Base URL ending in '/', default: the page's own directory. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

/** "4 minutes", "1 minute", "30 seconds": how long to wait, rounded up to what a person reads. */
export function waitText(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return s === 1 ? '1 second' : `${s} seconds`;
  const m = Math.ceil(s / 60);
  return m === 1 ? '1 minute' : `${m} minutes`;
}

/**
 * What a refused sign-in means, in words: 401 a wrong name or password, 429 too many attempts
 * (with `Retry-After` in seconds when the host gives it), 403 a disabled account.
 */
export function signInFailure(status: number, retryAfter: string | null): string {
  if (status === 401) return 'That user name and password do not match';
  if (status === 429) {
    const s = retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) : null;
    return s === null
      ? 'Too many attempts: wait a few minutes and try again'
      : `Too many attempts: try again in ${waitText(s)}`;
  }
  if (status === 403) return 'This account is disabled: ask an administrator';
  return `The server could not sign you in (HTTP ${status}): try again, or ask an administrator`;
}

function baseOf(opts: SessionOptions): string {
  return opts.baseUrl ?? new URL('./', window.location.href).href;
}

/** Signs in; the session cookie is kept by the browser (same origin). */
export async function signIn(username: string, password: string, opts: SessionOptions = {}): Promise<SignInResult> {
  const doFetch = opts.fetch ?? window.fetch.bind(window);
  let res: Response;
  try {
    res = await doFetch(new URL('auth/login', baseOf(opts)).href, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  } catch (e) {
    return { ok: false, message: `Cannot reach the Eclectyc server (${e instanceof Error ? e.message : String(e)})` };
  }
  if (!res.ok) return { ok: false, message: signInFailure(res.status, res.headers.get('retry-after')) };
  try {
    const body = (await res.json()) as { ok?: unknown; value?: { name?: unknown; role?: unknown } };
    const v = body.value;
    if (body.ok === true && v && typeof v.name === 'string' && typeof v.role === 'string')
      return { ok: true, name: v.name, role: v.role as Role };
  } catch {
    // an answer that is not JSON: said below
  }
  return { ok: false, message: 'The server signed you in but its answer could not be read: reload the page' };
}

/** Ends this browser's session (the host forgets it and clears the cookie). */
export async function signOut(opts: SessionOptions = {}): Promise<void> {
  const doFetch = opts.fetch ?? window.fetch.bind(window);
  try {
    await doFetch(new URL('auth/logout', baseOf(opts)).href, { method: 'POST', credentials: 'same-origin' });
  } catch {
    // the host is gone: the session dies with it or expires; the sign-in page shows anyway
  }
}

/**
 * The HTTP side the smart-meter API clients (octopus.ts, n3rgy.ts) share: a GET with a timeout (and
 * the caller's abort), three tries with backoff on network errors and 5xx, 429 waited out as its
 * Retry-After asks (up to a bound), and refusals worded so a person can act on them (the key refused,
 * the meter not found, a body that is not the expected JSON). The API key never appears in a message:
 * any echo of it in a response is blanked before a message quotes the response.
 */
import { AppError } from '../../../src-shared/contract/errors';
import { localDayOf, dayHalfHours, dayStartUtc } from '../../../src-shared/domain/periods';

export type Json = Record<string, unknown>;

/** How hard to try; tests shorten the waits. */
export interface ApiTuning {
  /** Per request (default 30 s). */
  timeoutMs?: number;
  /** Attempts per request on network errors, 5xx and 429 (default 3). */
  tries?: number;
  /** The longest Retry-After waited for, in seconds (default 60); a longer one fails the run. */
  maxRetryAfterSec?: number;
  /** Waits between tries (injected so tests need not sleep). */
  sleep?: (ms: number) => Promise<void>;
}

export interface ApiCall {
  /** The API as a message names it, e.g. `The Octopus Energy API`. */
  service: string;
  headers: Record<string, string>;
  fetch: typeof fetch;
  signal?: AbortSignal;
  /** Strings blanked from anything a message quotes (the key, and any encoding of it sent). */
  secrets: string[];
  /** What to say after "refused the API key (HTTP 401)": where the key is set. */
  keyHint: string;
  /** The whole message for a 404. */
  notFound: string;
}

export interface ApiAnswer {
  body: Json;
  bytes: Buffer;
}

export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Seconds a `Retry-After` header asks for (delta-seconds or an HTTP date), or null when absent or unreadable. */
export function retryAfterSec(header: string | null, nowMs = Date.now()): number | null {
  if (!header) return null;
  const t = header.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const at = Date.parse(t);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** The API's own words from an error body (`detail`, `message`, `errors[0].message`), else the start of the text. */
function apiMessage(text: string): string {
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  if (isObj(body)) {
    const errors = Array.isArray(body.errors) ? body.errors : [];
    const first = isObj(errors[0]) ? errors[0].message : undefined;
    for (const m of [body.detail, body.message, first]) if (typeof m === 'string' && m.trim()) return m.trim();
  }
  return text.trim().slice(0, 120);
}

/**
 * GETs `url` and returns its JSON object body (and the bytes as received), or throws an AppError: the
 * key refused (401/403), not found (404), rate-limited beyond the bound or the tries, unavailable
 * (network, timeout, 5xx after the tries), refused (other 4xx), or a body that is not a JSON object.
 */
export async function getJson(url: string, call: ApiCall, tuning: ApiTuning = {}): Promise<ApiAnswer> {
  const tries = tuning.tries ?? 3;
  const timeoutMs = tuning.timeoutMs ?? 30_000;
  const maxWait = tuning.maxRetryAfterSec ?? 60;
  const sleep = tuning.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const clean = (s: string): string => call.secrets.reduce((t, k) => (k.length >= 4 ? t.split(k).join('…') : t), s);
  let lastError = '';
  let wait = 0;
  for (let attempt = 1; attempt <= tries; attempt++) {
    if (attempt > 1) await sleep(wait);
    call.signal?.throwIfAborted();
    wait = 1000 * 2 ** (attempt - 1);
    let res: Response;
    let bytes: Buffer;
    try {
      const timeout = AbortSignal.timeout(timeoutMs);
      res = await call.fetch(url, {
        headers: { accept: 'application/json', ...call.headers },
        signal: call.signal ? AbortSignal.any([timeout, call.signal]) : timeout,
        redirect: 'manual',
      });
      bytes = Buffer.from(await res.arrayBuffer());
    } catch (e) {
      call.signal?.throwIfAborted();
      const err = e as Error;
      lastError =
        err.name === 'TimeoutError' || err.name === 'AbortError'
          ? `no answer within ${timeoutMs / 1000} s`
          : `could not connect (${clean((err.cause as Error | undefined)?.message ?? err.message)})`;
      continue;
    }
    const text = bytes.toString('utf8');
    if (res.ok) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new AppError(
          'UNAVAILABLE',
          `${call.service} sent a response that is not JSON (it starts "${clean(text.trim().slice(0, 60))}"); expected a JSON object`,
        );
      }
      if (!isObj(body))
        throw new AppError('UNAVAILABLE', `${call.service} sent JSON that is not an object; expected a JSON object`);
      return { body, bytes };
    }
    const said = clean(apiMessage(text));
    if (res.status >= 300 && res.status < 400)
      throw new AppError(
        'BAD_INPUT',
        `${call.service} redirected the request (HTTP ${res.status} to ${clean(res.headers.get('location') ?? 'nowhere')}), which is not followed; check the source's API address`,
      );
    if (res.status === 401 || res.status === 403)
      throw new AppError(
        'BAD_INPUT',
        `${call.service} refused the API key (HTTP ${res.status}${said ? `: ${said}` : ''}). ${call.keyHint}`,
      );
    if (res.status === 404) throw new AppError('NOT_FOUND', `${call.notFound} (HTTP 404${said ? `: ${said}` : ''})`);
    if (res.status === 429) {
      const asked = retryAfterSec(res.headers.get('retry-after'));
      if (asked !== null && asked > maxWait)
        throw new AppError(
          'UNAVAILABLE',
          `${call.service} is limiting requests (HTTP 429) and asks to wait ${asked} s; the next run will try again`,
        );
      if (asked !== null) wait = asked * 1000;
      lastError = 'it is limiting requests (HTTP 429)';
      continue;
    }
    if (res.status >= 500) {
      lastError = `it had a problem (HTTP ${res.status}${said ? `: ${said}` : ''})`;
      continue;
    }
    throw new AppError(
      'BAD_INPUT',
      `${call.service} refused the request (HTTP ${res.status}${said ? `: ${said}` : ''})`,
    );
  }
  throw new AppError(
    'UNAVAILABLE',
    `${call.service} is unavailable: ${lastError} (after ${tries} attempt${tries === 1 ? '' : 's'}); the next run will try again`,
  );
}

/**
 * The last UK day of [fromDay, toDay) fetched completely, from the UTC starts of the half-hours that
 * came back: the latest reading's day when all its half-hours are there, else the day before it (the
 * API is behind, part way through that day). Null when nothing in the window came back.
 */
export function completeThrough(starts: readonly number[], fromDay: number, toDay: number): number | null {
  const lo = dayStartUtc(fromDay);
  const hi = dayStartUtc(toDay);
  let latest = -Infinity;
  for (const s of starts) if (s >= lo && s < hi && s > latest) latest = s;
  if (latest === -Infinity) return null;
  const day = localDayOf(latest);
  const dayStart = dayStartUtc(day);
  const have = new Set<number>();
  for (const s of starts) if (s >= dayStart && s <= latest) have.add(s);
  return have.size === dayHalfHours(day) ? day : day - 1;
}

/** The windows [a, b) of at most `maxDays` UK days covering [fromDay, toDay), each no longer than `maxDays` × 24 h. */
export function dayWindows(fromDay: number, toDay: number, maxDays: number): [number, number][] {
  const out: [number, number][] = [];
  for (let a = fromDay; a < toDay;) {
    let b = Math.min(toDay, a + maxDays);
    // a window over the autumn clock change is an hour longer than its days
    if (b - a === maxDays && dayStartUtc(b) - dayStartUtc(a) > maxDays * 86400) b--;
    out.push([a, b]);
    a = b;
  }
  return out;
}

/**
 * What one request may cost the server: a body size per route (413, answered before the
 * connection is closed, never a bare reset), a budget for all the JSON bodies held in memory at once
 * (503 and Retry-After beyond it), an upload cap counted while the file streams, and a cap on each
 * caller's open event streams.
 */
import type http from 'node:http';
import { Transform } from 'node:stream';
import { AppError } from '../../src-shared/contract/errors';

/** Largest /rpc body: a tariff file or a year of half-hourly prices (Octopus JSON) fits well inside. */
export const MAX_RPC_BODY = 24 * 1024 * 1024;

/** Largest /auth/login body: a name and a password. */
export const MAX_LOGIN_BODY = 8 * 1024;

/** JSON bodies held in memory at once, across all requests. */
export const DEFAULT_BODY_BUDGET = 32 * 1024 * 1024;

/** Default upload cap (`serve --max-upload`). */
export const DEFAULT_MAX_UPLOAD = 2 * 1024 ** 3;

/** Open event streams per caller (a browser tab holds one). */
export const DEFAULT_MAX_STREAMS = 8;

/** Seconds a refused-for-load client is asked to wait. */
export const BUSY_RETRY_AFTER = 2;

/**
 * Bytes still read (and dropped) after a refusal, so the client reads the answer before the
 * connection closes; a client sending more than this is cut off.
 */
const DRAIN_MAX = 64 * 1024 * 1024;

/** A body over its route's cap (413). */
export class TooLarge extends AppError {
  constructor(readonly limit: number) {
    super('BAD_INPUT', `The request body is larger than ${formatSize(limit)}, the most this server accepts here`, {
      reason: 'too-large',
      limit,
    });
  }
}

/**
 * A JSON body sent without a length (chunked): refused (411), so every body held in memory is
 * reserved whole from the budget before a byte is read — browsers and HTTP clients send the length
 * of a JSON body anyway; only file uploads, streamed to disk, may come in chunks.
 */
export class LengthRequired extends AppError {
  constructor() {
    super('BAD_INPUT', 'Send the request body with a Content-Length (JSON bodies cannot be sent in chunks)', {
      reason: 'length-required',
    });
  }
}

/** The memory budget for bodies is spent (503, try again shortly). */
export class Busy extends AppError {
  constructor() {
    super('UNAVAILABLE', 'The server is busy reading other requests; try again in a few seconds', {
      reason: 'busy',
      retryAfter: BUSY_RETRY_AFTER,
    });
  }
}

/** "24 MB", "2 GB", "8 KB": a size as a person reads it. */
export function formatSize(bytes: number): string {
  for (const [unit, n] of [
    ['GB', 1024 ** 3],
    ['MB', 1024 ** 2],
    ['KB', 1024],
  ] as const) {
    if (bytes >= n) return `${+(bytes / n).toFixed(1)} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** Reads "500MB", "2GB", "1.5 G", "800k" or a number of bytes; null when it is none of those. */
export function parseSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|m|mb|g|gb|t|tb)?\s*$/i.exec(text);
  if (!m) return null;
  const scale = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[
    (m[2]?.[0]?.toLowerCase() ?? 'b') as 'b' | 'k' | 'm' | 'g' | 't'
  ];
  const n = Math.floor(Number(m[1]) * scale);
  return n > 0 && Number.isSafeInteger(n) ? n : null;
}

/** The bytes of in-flight JSON bodies, against a fixed budget. */
export class BodyBudget {
  private used = 0;
  constructor(readonly max: number) {}
  /** Reserves `n` bytes; false (nothing reserved) when the budget cannot hold them. */
  take(n: number): boolean {
    if (this.used + n > this.max) return false;
    this.used += n;
    return true;
  }
  give(n: number): void {
    this.used = Math.max(0, this.used - n);
  }
  get inUse(): number {
    return this.used;
  }
}

/** The body's declared length, or null when it is sent in chunks (or the header is nonsense). */
export function declaredLength(req: http.IncomingMessage): number | null {
  const h = req.headers['content-length'];
  if (h === undefined || !/^\d+$/.test(h)) return null;
  return Number(h);
}

/**
 * Reads a whole body of at most `limit` bytes, reserving its size from `budget` as it arrives.
 * Resolves with the bytes and how much was reserved (give it back once the request is answered).
 * Rejects with TooLarge or Busy, leaving the rest of the body unread: answer, then discardRest().
 */
export function readBody(
  req: http.IncomingMessage,
  limit: number,
  budget: BodyBudget,
): Promise<{ bytes: Buffer; reserved: number }> {
  const declared = declaredLength(req);
  if (declared === null && req.headers['transfer-encoding'] !== undefined) return Promise.reject(new LengthRequired());
  if (declared !== null && declared > limit) return Promise.reject(new TooLarge(limit));
  // a declared length is reserved at once and read into one buffer (no copy when joining the parts)
  if (declared !== null && !budget.take(declared)) return Promise.reject(new Busy());
  let reserved = declared ?? 0;
  return new Promise((resolve, reject) => {
    const whole = declared !== null ? Buffer.allocUnsafe(declared) : null;
    const parts: Buffer[] = [];
    let size = 0;
    const fail = (e: Error): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.pause();
      budget.give(reserved);
      reserved = 0;
      reject(e);
    };
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > limit || (whole && size > whole.length)) return fail(new TooLarge(limit));
      if (whole) c.copy(whole, size - c.length);
      else if (!budget.take(c.length)) return fail(new Busy());
      else {
        reserved += c.length;
        parts.push(c);
      }
    };
    const onEnd = (): void => resolve({ bytes: whole ? whole.subarray(0, size) : Buffer.concat(parts), reserved });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', fail);
  });
}

/**
 * Reads and drops what the client is still sending after it was refused, so it reads the answer
 * instead of meeting a reset; past DRAIN_MAX bytes the connection is closed.
 */
export function discardRest(req: http.IncomingMessage): void {
  if (req.complete) return;
  let dropped = 0;
  req.removeAllListeners('data');
  req.on('data', (c: Buffer) => {
    dropped += c.length;
    if (dropped > DRAIN_MAX) req.socket.destroy();
  });
  req.resume();
}

/**
 * The upload's bytes as they arrive, failing with TooLarge past `limit`, or with BAD_INPUT when
 * the client goes away mid-file (so the store never waits on a closed connection).
 */
export function meteredUpload(req: http.IncomingMessage, limit: number): Transform & { tooLarge: boolean } {
  let bytes = 0;
  const meter = Object.assign(
    new Transform({
      transform(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        if (bytes > limit) {
          meter.tooLarge = true;
          return cb(new TooLarge(limit));
        }
        cb(null, chunk);
      },
    }),
    { tooLarge: false },
  );
  req.on('close', () => {
    if (!req.complete)
      meter.destroy(new AppError('BAD_INPUT', 'The upload was interrupted before the file was complete'));
  });
  req.pipe(meter);
  return meter;
}

/** Open event streams per caller. */
export class StreamCaps {
  private readonly open = new Map<string, number>();
  constructor(readonly max: number) {}
  /** Counts a new stream for `key`; false (nothing counted) when it has `max` open already. */
  take(key: string): boolean {
    const n = this.open.get(key) ?? 0;
    if (n >= this.max) return false;
    this.open.set(key, n + 1);
    return true;
  }
  give(key: string): void {
    const n = (this.open.get(key) ?? 1) - 1;
    if (n <= 0) this.open.delete(key);
    else this.open.set(key, n);
  }
}

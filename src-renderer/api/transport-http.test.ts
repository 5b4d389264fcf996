import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionState } from './transport';
import { createHttpTransport } from './transport-http';

/** A stand-in for the browser's EventSource: the test plays the host's side. */
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static made: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onmessage: ((m: MessageEvent<string>) => void) | null = null;
  onerror: (() => void) | null = null;
  private named = new Map<string, (() => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.made.push(this);
  }
  addEventListener(name: string, fn: () => void): void {
    this.named.set(name, [...(this.named.get(name) ?? []), fn]);
  }
  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }
  open(): void {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }
  ping(): void {
    for (const fn of this.named.get('ping') ?? []) fn();
  }
  /** The browser's own behaviour against a host that is down: error, and stay CONNECTING. */
  fail(): void {
    this.readyState = FakeEventSource.CONNECTING;
    this.onerror?.();
  }
}

function transport(fetchImpl: typeof fetch = vi.fn()) {
  const states: ConnectionState[] = [];
  const t = createHttpTransport({
    baseUrl: 'http://127.0.0.1:1/',
    fetch: fetchImpl,
    EventSource: FakeEventSource as unknown as typeof EventSource,
  });
  const off = t.onConnection((s) => states.push(s));
  return { t, states, off, latest: () => FakeEventSource.made[FakeEventSource.made.length - 1]! };
}

describe('the web transport notices a lost host and reconnects', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeEventSource.made = [];
  });
  afterEach(() => vi.useRealTimers());

  it('goes offline within seconds of the host going away, then back to connected when it returns', () => {
    const { states, latest, off } = transport();
    latest().open();
    expect(states.at(-1)).toBe('connected');

    latest().fail(); // the host stopped: the browser would retry for ever in CONNECTING
    expect(states.at(-1)).toBe('reconnecting');
    vi.advanceTimersByTime(1000);
    latest().fail();
    vi.advanceTimersByTime(2000);
    latest().fail();
    expect(states.at(-1)).toBe('offline'); // about 3 s after the host went
    expect(FakeEventSource.made.filter((s) => s.readyState !== FakeEventSource.CLOSED)).toHaveLength(0);

    vi.advanceTimersByTime(4000); // backoff doubles: the next try comes after 4 s
    expect(FakeEventSource.made).toHaveLength(4);
    latest().open();
    expect(states.at(-1)).toBe('connected');
    off();
  });

  it('counts a silent stream as lost after three missed pings, without any error from the browser', () => {
    const { states, latest, off } = transport();
    latest().open();
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(4000);
      latest().ping();
    }
    expect(states.at(-1)).toBe('connected'); // pings keep it alive
    expect(FakeEventSource.made).toHaveLength(1);
    vi.advanceTimersByTime(13_000); // no pings: half-open socket or frozen host
    expect(states.at(-1)).toBe('reconnecting');
    expect(FakeEventSource.made[0]!.readyState).toBe(FakeEventSource.CLOSED);
    vi.advanceTimersByTime(1000);
    expect(FakeEventSource.made).toHaveLength(2);
    latest().ping();
    expect(states.at(-1)).toBe('connected');
    off();
  });

  it('a call that cannot reach the host marks the connection lost and says so in words', async () => {
    const failing = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    const { t, states, latest, off } = transport(failing);
    latest().open();
    const reply = await t.invoke('meters.list', {});
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.error.code).toBe('UNAVAILABLE');
    expect(states.at(-1)).toBe('reconnecting');
    off();
  });
});

describe('the web transport and a server that asks people to sign in', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeEventSource.made = [];
  });
  afterEach(() => vi.useRealTimers());

  it('turns any 401 into one sign-in request, stops the event stream, and opens it again on resume', async () => {
    let status = 401;
    const fetchImpl = vi.fn(async () =>
      status === 401
        ? new Response('{"ok":false,"error":{"code":"UNAUTHENTICATED","message":"Sign in"}}', { status: 401 })
        : new Response('{"ok":true,"value":1}', { status: 200 }),
    ) as unknown as typeof fetch;
    const { t, latest, off } = transport(fetchImpl);
    latest().open();
    let asked = 0;
    t.onSignInNeeded?.(() => asked++);

    const r = await t.invoke('app.info', {});
    expect(r).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Sign in to continue', details: { reason: 'unauthenticated' } },
    });
    await t.invoke('meters.list', {});
    expect(asked).toBe(1); // once, however many calls were refused
    expect(latest().readyState).toBe(FakeEventSource.CLOSED);
    const made = FakeEventSource.made.length;
    vi.advanceTimersByTime(60_000);
    expect(FakeEventSource.made).toHaveLength(made); // no retries against a host that would refuse

    status = 200;
    t.resume?.();
    expect(FakeEventSource.made).toHaveLength(made + 1);
    expect(await t.invoke('app.info', {})).toEqual({ ok: true, value: 1 });
    status = 401;
    await t.invoke('app.info', {});
    expect(asked).toBe(2); // signed out again later: asked again
    off();
  });
});

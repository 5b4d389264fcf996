/**
 * Which requests the server answers at all, on every bind address: the Host header must name this
 * server (a loopback name, this machine's address, or a `--public-url`), which closes DNS rebinding —
 * a web page whose own name was re-pointed at this machine sends its own name as Host; and a POST
 * from a browser must come from one of the same origins (CSRF). Plus the headers every answer carries.
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';

/** True for 127.0.0.0/8 and ::1 (also written as IPv4-mapped IPv6). */
export function isLoopback(address: string): boolean {
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** True for a bind address that listens on every interface. */
export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '::ffff:0.0.0.0';
}

/** An address as it appears in a Host header: IPv6 in brackets, without a zone. */
function hostName(address: string): string {
  return address.includes(':') ? `[${address.replace(/%.*$/, '')}]` : address;
}

/** The names and origins a server answers to. */
export interface Allowed {
  /** Host header values (lower case), with the port unless it is the scheme's default. */
  hosts: ReadonlySet<string>;
  /** Origin header values of pages this server served. */
  origins: ReadonlySet<string>;
}

/**
 * What a server bound to `bound` answers to: the loopback names, the bound address (every
 * address of this machine for a wildcard bind), and the public URLs people use to reach it (a
 * name, or a proxy in front).
 */
export function allowedFor(bound: AddressInfo, tls: boolean, publicUrls: readonly URL[]): Allowed {
  const scheme = tls ? 'https' : 'http';
  const names = new Set(['localhost', '127.0.0.1', '[::1]']);
  if (isWildcard(bound.address)) {
    for (const list of Object.values(os.networkInterfaces()))
      for (const i of list ?? []) names.add(hostName(i.address).toLowerCase());
  } else names.add(hostName(bound.address).toLowerCase());
  const hosts = new Set<string>();
  const origins = new Set<string>();
  const defaultPort = tls ? 443 : 80;
  for (const n of names) {
    hosts.add(`${n}:${bound.port}`);
    origins.add(`${scheme}://${n}:${bound.port}`);
    if (bound.port === defaultPort) {
      hosts.add(n);
      origins.add(`${scheme}://${n}`);
    }
  }
  for (const u of publicUrls) {
    hosts.add(u.host.toLowerCase());
    origins.add(u.origin.toLowerCase());
  }
  return { hosts, origins };
}

/** Whether the request names this server in its Host header. */
export function hostAllowed(req: http.IncomingMessage, allowed: Allowed): boolean {
  const host = req.headers.host?.toLowerCase();
  return host !== undefined && allowed.hosts.has(host);
}

/**
 * Whether a state-changing request may go ahead: a browser's must come from one of this server's
 * origins (Origin, else Referer; a cross-site fetch's Sec-Fetch-Site). A request naming neither is
 * not a browser's (a script, the CLI) — unless it carries the session cookie, which only a browser
 * sends on its own.
 */
export function originAllowed(req: http.IncomingMessage, allowed: Allowed, hasSessionCookie: boolean): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  if (origin !== undefined) return allowed.origins.has(origin.toLowerCase());
  const referer = req.headers.referer;
  if (referer !== undefined) {
    try {
      return allowed.origins.has(new URL(referer).origin.toLowerCase());
    } catch {
      return false;
    }
  }
  return !hasSessionCookie;
}

/** Headers on every answer: no sniffing, no referrer, no framing; HSTS under TLS. */
export function securityHeaders(tls: boolean): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    ...(tls ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}

/** Headers of an API answer (JSON or an event stream): never cached, never run as a page. */
export function apiHeaders(tls: boolean): Record<string, string> {
  return {
    ...securityHeaders(tls),
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  };
}

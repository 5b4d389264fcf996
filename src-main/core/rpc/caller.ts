/**
 * Who is calling: the one place every host resolves its caller. Until user accounts exist (the
 * users issue), whoever runs the app on this machine — the desktop window, the CLI, a loopback
 * browser — is its admin, named in the audit log (and as who assigned a tariff or ran an analysis)
 * by their user name on this machine and the way they came in: `anna (desktop)`.
 */
import { userInfo } from 'node:os';
import type { CallContext } from '../../../src-shared/contract/api';

export type LocalHost = 'desktop' | 'cli' | 'local';

/** How each host is named beside the user. */
const HOST_NAME: Record<LocalHost, string> = { desktop: 'desktop', cli: 'command line', local: 'browser' };

/** The operating system's name for the person running the app, or null when it has none to give. */
export function osUserName(): string | null {
  try {
    const name = userInfo().username.trim();
    if (name) return name;
  } catch {
    // no entry for this uid (e.g. some containers): fall back to the environment
  }
  return (process.env.USER ?? process.env.USERNAME ?? '').trim() || null;
}

let cachedUser: string | null | undefined;

/** The actor recorded for a local caller: `anna (desktop)`; just the host when the user has no name. */
export function localActor(host: LocalHost, user: string | null = (cachedUser ??= osUserName())): string {
  return user ? `${user} (${HOST_NAME[host]})` : HOST_NAME[host];
}

/**
 * The person at this machine, through `host` (desktop window, CLI, or the loopback server's
 * browser). The desktop app and the CLI run the core in their own process, so they may hand it
 * paths on this machine (`localOnly` methods); a browser uploads files instead.
 */
export function localCaller(host: LocalHost): CallContext {
  const actor = localActor(host);
  return host === 'local' ? { role: 'admin', actor } : { role: 'admin', actor, inProcess: true };
}

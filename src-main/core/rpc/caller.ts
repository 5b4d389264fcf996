/**
 * Who is calling: the one place every host resolves its caller. Until user accounts exist (the
 * users issue), whoever runs the app on this machine — the desktop window, the CLI, a loopback
 * browser — is its admin; each host is named in the audit log.
 */
import type { CallContext } from '../../../src-shared/contract/api';

export type LocalHost = 'desktop' | 'cli' | 'local';

/**
 * The person at this machine, through `host` (desktop window, CLI, or the loopback server's
 * browser). The desktop app and the CLI run the core in their own process, so they may hand it
 * paths on this machine (`localOnly` methods); a browser uploads files instead.
 */
export function localCaller(host: LocalHost): CallContext {
  return host === 'local' ? { role: 'admin', actor: host } : { role: 'admin', actor: host, inProcess: true };
}

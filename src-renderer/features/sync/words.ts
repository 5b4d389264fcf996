/**
 * The shared server in plain words, pure: the frame's status ("Synced · 2 min ago", "12 changes
 * waiting", "Offline since 10:42 — …"), what a sync did, the state line of Settings → Shared server,
 * and a failed connect's problem put beside the field it concerns.
 */
import type { Role, SyncRunResult, SyncStatus } from '../../../src-shared/contract/types';
import { AppError, errorReason } from '../../../src-shared/contract/errors';
import { formatAgo, formatInt, formatUkDate, formatUkTime, plural } from '../../lib/format';

/**
 * The colour of the frame's status: its dot and the badge. `held`: changes made here that this
 * desktop's account will never send (a viewer's edits, an admin's kind of change on a manager's).
 */
export type SyncTone = 'ok' | 'waiting' | 'held' | 'busy' | 'offline' | 'error';

/**
 * The frame's status: a short text that fits the top bar at any width, what follows it where the bar
 * is wide, the whole sentence (tooltip, screen readers), and its tone.
 */
export interface FrameStatus {
  text: string;
  more?: string;
  full: string;
  tone: SyncTone;
}

/** "10:42" today, "27 Nov 2026 10:42" on an earlier day (UK local time). */
export function sinceText(iso: string, now: number): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return 'a while';
  const sameDay = formatUkDate(ms) === formatUkDate(now);
  return sameDay ? formatUkTime(ms) : `${formatUkDate(ms)} ${formatUkTime(ms)}`;
}

/** A sentence from the core with the app's curly apostrophes: "desktop's" → "desktop’s". */
export function curly(text: string): string {
  return text.replace(/(\w)'(\w)/g, '$1’$2');
}

/** "5 changes waiting", "1 change waiting". */
export function waitingText(n: number): string {
  return `${plural(n, 'change')} waiting`;
}

/**
 * Changes made here that this account will not send, in a line: "Receive only · 3 local changes" on
 * a viewer's desktop, "2 changes not shared (need an admin)" on a manager's; null when there are none.
 */
export function heldText(s: Pick<SyncStatus, 'heldCount' | 'waiting' | 'user'>): string | null {
  if (s.user?.role === 'viewer') {
    const local = s.heldCount + s.waiting;
    return local > 0 ? `Receive only · ${plural(local, 'local change')}` : null;
  }
  return s.heldCount > 0 ? `${plural(s.heldCount, 'change')} not shared (need an admin)` : null;
}

/** The status in the frame, or null when no shared server is set up (the frame shows nothing). */
export function frameStatus(s: SyncStatus, now: number): FrameStatus | null {
  const held = heldText(s);
  const reason = s.held === null ? null : curly(s.held);
  const last = s.lastSyncAt ? ` (last synced ${formatAgo(s.lastSyncAt, now)})` : '';
  switch (s.state) {
    case 'off':
      return null;
    case 'syncing':
      return { text: 'Syncing…', full: `Syncing with ${s.server ?? 'the shared server'}…`, tone: 'busy' };
    case 'synced':
    case 'waiting': {
      // what this account will never send is said apart from what the next sync sends
      const sends = s.user?.role === 'viewer' ? 0 : s.waiting;
      if (sends > 0) {
        const why = held ? `; ${held}${reason ? `: ${reason}` : ''}` : '';
        return {
          text: waitingText(sends),
          full: `${waitingText(sends)}: they are sent at the next sync${last}${why}`,
          tone: 'waiting',
        };
      }
      if (held) return { text: held, full: reason ? `${held}: ${reason}` : held, tone: 'held' };
      const when = s.lastSyncAt ? formatAgo(s.lastSyncAt, now) : null;
      return {
        text: when ? `Synced · ${when}` : 'Synced',
        full: when ? `Synced with the shared server ${when}` : 'Synced with the shared server',
        tone: 'ok',
      };
    }
    case 'offline': {
      const since = s.offlineSince ? sinceText(s.offlineSince, now) : null;
      const sends = s.user?.role === 'viewer' ? 0 : s.waiting;
      const text = `${since ? `Offline since ${since}` : 'Offline'}${sends > 0 ? ` · ${waitingText(sends)}` : ''}`;
      const kept = 'changes are kept and sent when the server is back';
      return { text, more: ` — ${kept}`, full: `${text} — ${kept}${held ? `; ${held}` : ''}`, tone: 'offline' };
    }
    case 'error': {
      const why = s.lastError === null ? 'the server refused the last sync' : curly(s.lastError);
      return { text: 'Sync error', more: `: ${why}`, full: `Sync error: ${why}`, tone: 'error' };
    }
  }
}

/** "2 conflicts to resolve" for the frame's badge. */
export function conflictsBadgeText(n: number): string {
  return `${plural(n, 'readings conflict')} to resolve`;
}

/**
 * What one sync did: "Sent 1,204 changes, received 35,040", or that nothing moved; its conflicts
 * apart ("2 conflicts to decide", null for none), to be shown as a warning leading to them.
 */
export function runResult(r: Pick<SyncRunResult, 'pushed' | 'pulled' | 'conflicts'>): {
  text: string;
  conflicts: string | null;
} {
  const conflicts = r.conflicts > 0 ? `${plural(r.conflicts, 'conflict')} to decide` : null;
  if (r.pushed === 0 && r.pulled === 0) return { text: 'Up to date: nothing to send or receive', conflicts };
  return { text: `Sent ${plural(r.pushed, 'change')}, received ${formatInt(r.pulled)}`, conflicts };
}

/**
 * A failed sync's reason as Settings → Shared server shows it, beside the sign-in row: the core's
 * "Signed out: sign in again in Settings → Shared server" (and "Not signed in…") say what happened
 * instead of sending the reader to the page they are on.
 */
export function failureHere(lastError: string | null): string {
  if (lastError === null) return 'The server refused the last sync.';
  if (/^signed out\b/i.test(lastError))
    return 'The server ended this desktop’s session (password changed or signed out): sign in again below.';
  if (/^not signed in\b/i.test(lastError))
    return 'This desktop is not signed in to the shared server: sign in again below.';
  return curly(lastError);
}

/** The state line of Settings → Shared server: "Synced: nothing waiting", "Offline since 10:42 · 1 change waiting". */
export function stateLine(s: SyncStatus, now: number): string {
  const f = frameStatus(s, now);
  if (!f) return 'Not connected';
  if (f.tone === 'ok') return s.lastSyncAt ? 'Synced: nothing waiting' : 'Connected, not synced yet';
  // a failure's reason, and what stays here unsent, are said whole
  if (s.state === 'error' || f.tone === 'held' || (f.tone === 'waiting' && heldText(s))) return f.full;
  return f.text;
}

/** When the last sync finished: "10:55 (5 min ago)", "27 Nov 2026 10:55 (…)", or "Not yet". */
export function lastSyncLine(s: Pick<SyncStatus, 'lastSyncAt'>, now: number): string {
  if (!s.lastSyncAt) return 'Not yet';
  return `${sinceText(s.lastSyncAt, now)} (${formatAgo(s.lastSyncAt, now)})`;
}

/** What the account's role on the server lets this desktop do, in a line. */
export function roleReach(role: Role): string {
  if (role === 'viewer')
    return 'This desktop only receives changes: its account on the server is a viewer, so edits made here stay on this computer.';
  if (role === 'manager')
    return 'This desktop sends readings, sites, meters, assignments and alerts; tariffs and shared settings need an administrator’s account.';
  return 'This desktop sends every kind of change, tariffs and shared settings included.';
}

/** The fields of the connect form that a problem can be shown beside. */
export type ConnectField = 'server' | 'username' | 'password' | 'clientName' | 'sites';

/**
 * Where a failed connect's problem goes and how it reads: an unreachable server and a bad address
 * beside the URL, a wrong name or password beside the password, the host's per-field problems
 * (INVALID_ARGS) beside their fields; anything else under the form (`form`).
 */
export function connectProblem(e: unknown): Partial<Record<ConnectField | 'form', string>> {
  if (!(e instanceof AppError)) return { form: e instanceof Error ? e.message : 'Could not connect.' };
  if (e.code === 'INVALID_ARGS' && Array.isArray(e.details)) {
    const out: Partial<Record<ConnectField | 'form', string>> = {};
    for (const d of e.details as { path?: unknown; message?: unknown }[]) {
      const key = Array.isArray(d.path) ? String(d.path[0]) : '';
      const field = (['server', 'username', 'password', 'clientName', 'sites'] as const).find((f) => f === key);
      if (!field || out[field]) continue;
      out[field] =
        field === 'server'
          ? 'That is not a web address: type it as https://sync.example.org or http://10.0.0.5:8787'
          : typeof d.message === 'string'
            ? d.message
            : 'Check this field';
    }
    return Object.keys(out).length ? out : { form: e.message };
  }
  const reason = errorReason(e.details);
  if (e.code === 'UNAVAILABLE') return { server: e.message };
  if (e.code === 'UNAUTHENTICATED' || reason === 'unauthenticated' || reason === 'bad-credentials')
    return { password: e.message };
  // the address answered, but not as a shared server does
  if (e.code === 'BAD_INPUT') return { server: e.message };
  return { form: e.message };
}

/** The URL as typed, checked before asking the host: null when it will do, else why not. */
export function serverUrlProblem(text: string): string | null {
  const t = text.trim();
  if (!t) return 'Type the shared server’s address, e.g. https://sync.example.org';
  let u: URL;
  try {
    u = new URL(t);
  } catch {
    return 'That is not a web address: type it as https://sync.example.org or http://10.0.0.5:8787';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'The address starts with https:// or http://';
  return null;
}

/** The sites a desktop keeps, in words: "All sites", "2 sites: Head office, Depot", "5 sites: A, B, C and 2 more". */
export function keptSitesText(kept: readonly string[] | null, sites: readonly { uid: string; name: string }[]): string {
  if (kept === null) return 'All sites';
  if (kept.length === 0) return 'No sites';
  const names = sites.filter((s) => kept.includes(s.uid)).map((s) => s.name);
  if (names.length === 0) return plural(kept.length, 'site');
  const more = kept.length - Math.min(names.length, 3);
  return `${plural(kept.length, 'site')}: ${names.slice(0, 3).join(', ')}${more > 0 ? ` and ${formatInt(more)} more` : ''}`;
}

/**
 * What Sync now does, for this desktop: a viewer's only fetches; the changes waiting are counted, and
 * those this account may not send are said to stay here (never promised).
 */
export function syncNowHint(s: Pick<SyncStatus, 'waiting' | 'heldCount' | 'everyMinutes' | 'user'>): string {
  const when = `It also runs when the app starts, every ${plural(s.everyMinutes, 'minute')} and after each import.`;
  if (s.user?.role === 'viewer') return `Fetches what the team changed since the last sync. ${when}`;
  const send =
    s.waiting === 0 ? 'Nothing is waiting to be sent; fetches' : `Sends the ${waitingText(s.waiting)}, then fetches`;
  const stay =
    s.heldCount > 0
      ? ` ${s.heldCount === 1 ? '1 change stays' : `${formatInt(s.heldCount)} changes stay`} here: sending ${s.heldCount === 1 ? 'it' : 'them'} needs an administrator’s account.`
      : '';
  return `${send} what the team changed since the last sync.${stay} ${when}`;
}

/** Why this desktop cannot decide readings conflicts, when its account on the server is a viewer's. */
export function serverRoleBlocks(role: Role | null | undefined): string | null {
  return role === 'viewer'
    ? 'This desktop signs in to the shared server as a viewer: it only receives changes, so a manager decides conflicts.'
    : null;
}

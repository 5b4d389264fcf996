/**
 * Words for People and access and the audit log: password checks with a strength hint, an audit
 * entry's action, details and outcome in plain words. Pure.
 */
import type { AuditRecord } from '../../../src-shared/contract/types';
import { formatBytes, formatUkDateTime, isIsoDay, isoToUkDate } from '../../lib/format';

/** The least length the contract accepts (`passwordArg`). */
export const MIN_PASSWORD = 12;

/** A hint under the password field as it is typed: how far from long enough, or how strong. */
export function passwordHint(pw: string): string {
  if (pw.length === 0) return `At least ${MIN_PASSWORD} characters; a few unrelated words are easy to remember`;
  if (pw.length < MIN_PASSWORD) {
    const more = MIN_PASSWORD - pw.length;
    return `${more} more character${more === 1 ? '' : 's'} needed (at least ${MIN_PASSWORD})`;
  }
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(pw)).length;
  if (pw.length >= 16 || (pw.length >= MIN_PASSWORD && kinds >= 3)) return 'Strong enough';
  return 'Long enough; longer is stronger';
}

/** What is wrong with a new password and its repeat, per field (empty when both are fine). */
export function passwordProblems(pw: string, again: string): { password?: string; again?: string } {
  if (pw.length < MIN_PASSWORD) return { password: `a password needs at least ${MIN_PASSWORD} characters` };
  if (pw !== again) return { again: 'the two passwords are not the same' };
  return {};
}

const ACTIONS: Record<string, string> = {
  'imports.enqueue': 'Imported files',
  'imports.dry-run': 'Checked files (dry run)',
  'imports.enqueuePaths': 'Imported files from paths',
  'imports.cancel': 'Cancelled an import',
  'imports.retry': 'Retried an import',
  'imports.cleanup': 'Cleaned up old imports',
  upload: 'Uploaded a file',
  'files.upload': 'Uploaded a file',
  'aggregation.run': 'Ran the roll-up',
  'aggregation.rebuild': 'Rebuilt the roll-ups',
  'settings.update': 'Changed settings',
  'sites.create': 'Added a site',
  'sites.update': 'Changed a site',
  'sites.addClosure': 'Added a site closure',
  'sites.removeClosure': 'Removed a site closure',
  'meters.update': 'Changed a meter',
  'meters.merge': 'Merged meters',
  'register.import': 'Imported a site and meter register',
  'sites.acceptSuggestions': 'Took up sites found in meter files',
  'tariffs.save': 'Saved a tariff',
  'tariffs.import': 'Imported tariffs',
  'tariffs.importPrices': 'Imported half-hourly prices',
  'tariffs.delete': 'Deleted a tariff',
  'tariffs.assign': 'Assigned a tariff',
  'tariffs.unassign': 'Removed a tariff assignment',
  'alerts.saveRule': 'Saved an alert rule',
  'alerts.deleteRule': 'Deleted an alert rule',
  'alerts.importRules': 'Imported alert rules',
  'alerts.ack': 'Acknowledged an alert',
  'alerts.resolve': 'Resolved an alert',
  'alerts.snooze': 'Snoozed an alert',
  'alerts.check': 'Checked alerts now',
  'carbon.fetch': 'Fetched grid carbon',
  'carbon.refresh': 'Refreshed grid carbon',
  'carbon.setFactor': 'Changed a carbon factor',
  'weather.import': 'Imported weather',
  'weather.fetch': 'Fetched weather',
  'switching.analyse': 'Compared tariffs',
  'switching.runAll': 'Compared tariffs for every meter',
  'notify.test': 'Sent a test notification',
  'users.create': 'Added a user',
  'users.update': 'Changed a user',
  'users.remove': 'Removed a user',
  'tokens.create': 'Made an API token',
  'tokens.revoke': 'Revoked an API token',
  'auth.login': 'Signed in',
  'auth.logout': 'Signed out',
};

/** An action in words: "Added a user"; an action not known here reads "tariffs: import prices". */
export function actionText(action: string): string {
  const known = ACTIONS[action];
  if (known) return known;
  const dot = action.indexOf('.');
  if (dot < 0) return action;
  const verb = action
    .slice(dot + 1)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[-_]/g, ' ')
    .toLowerCase();
  return `${action.slice(0, dot)}: ${verb}`;
}

/** The actions a person can filter on, in words, A to Z. */
export function actionChoices(): { value: string; label: string }[] {
  return Object.entries(ACTIONS)
    .map(([value, label]) => ({ value, label }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

function valueText(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'string') {
    // dates and times as people in the UK write them
    if (isIsoDay(v)) return isoToUkDate(v);
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v) && !Number.isNaN(Date.parse(v))) return formatUkDateTime(v);
    return v.length > 60 ? `${v.slice(0, 57)}…` : v;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    if (v.length <= 3 && v.every((x) => typeof x === 'string' || typeof x === 'number'))
      return v.map((x) => valueText(x) ?? '').join(', ');
    return `${v.length} items`;
  }
  return '…';
}

/** Identifiers and checksums that say nothing to a person reading the log. */
const TECHNICAL = new Set(['sha256', 'batchId', 'fileId', 'fileIds']);

/**
 * An entry's details in a line: "username: ana · role: viewer" (at most `max` parts, then "+ N
 * more"); identifiers and checksums left out, sizes in KB/MB.
 */
export function detailsText(details: AuditRecord['details'], max = 4): string {
  if (details === null || details === undefined) return '—';
  if (typeof details !== 'object' || Array.isArray(details)) return valueText(details) ?? '—';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(details as Record<string, unknown>)) {
    if (TECHNICAL.has(k)) continue;
    const t = k === 'bytes' && typeof v === 'number' ? formatBytes(v) : valueText(v);
    if (t !== null) parts.push(`${k}: ${t}`);
  }
  if (parts.length === 0) return '—';
  return parts.length > max ? `${parts.slice(0, max).join(' · ')} + ${parts.length - max} more` : parts.join(' · ');
}

const OUTCOMES: Record<string, string> = {
  ok: 'OK',
  FORBIDDEN: 'Refused: their role does not allow it',
  UNAUTHENTICATED: 'Refused: not signed in',
  INVALID_ARGS: 'Refused: the values were not valid',
  BAD_INPUT: 'Failed: a file or value could not be used',
  NOT_FOUND: 'Failed: not found',
  CONFLICT: 'Refused: it clashed with stored data',
  UNAVAILABLE: 'Failed: a service could not be reached',
  INTERNAL: 'Failed: an unexpected error',
  UNKNOWN_METHOD: 'Refused: no such action',
};

/** An outcome in words: "OK", or what the error code means. */
export function outcomeText(outcome: string): string {
  return OUTCOMES[outcome] ?? `Failed (${outcome})`;
}

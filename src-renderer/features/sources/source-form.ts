/**
 * The add/edit form of a data source: a draft whose fields follow the kind, secrets that are kept,
 * replaced or cleared (never shown), the form's own checks by the names the core gives its problems
 * (`config.path`, `secrets.password`…), and the `sources.save` arguments. Pure.
 */
import type { Args } from '../../../src-shared/contract/api';
import type { SourceKind, SourceSummary } from '../../../src-shared/contract/types';
import { KEEP_SECRET as KEEP, secretArg, secretWillBeSet, type Secret, type SecretName } from '../../lib/secrets';

/** The secrets each kind uses, in the order the form shows them. */
export const KIND_SECRETS: Record<SourceKind, readonly SecretName[]> = {
  folder: [],
  sftp: ['password', 'privateKey', 'passphrase'],
  octopus: ['apiKey'],
  n3rgy: ['apiKey'],
};

export interface SourceDraft {
  kind: SourceKind;
  name: string;
  every: string;
  enabled: boolean;
  // watched folder
  path: string;
  recursive: boolean;
  doneFolder: string;
  failedFolder: string;
  // SFTP
  host: string;
  port: string;
  username: string;
  remotePath: string;
  hostKey: string;
  afterImport: 'keep' | 'delete' | 'move';
  moveTo: string;
  // files (folder, SFTP)
  pattern: string;
  fileMeter: string;
  // APIs
  fuel: 'electricity' | 'gas';
  meter: string;
  serial: string;
  from: string;
  gasUnit: 'kWh' | 'm3';
  baseUrl: string;
  secrets: Record<SecretName, Secret>;
}

export function newDraft(kind: SourceKind = 'folder'): SourceDraft {
  return {
    kind,
    name: '',
    every: '60',
    enabled: true,
    path: '',
    recursive: false,
    doneFolder: '',
    failedFolder: '',
    host: '',
    port: '',
    username: '',
    remotePath: '',
    hostKey: '',
    afterImport: 'keep',
    moveTo: '',
    pattern: '',
    fileMeter: '',
    fuel: 'electricity',
    meter: '',
    serial: '',
    from: '',
    gasUnit: 'kWh',
    baseUrl: '',
    secrets: { password: KEEP, privateKey: KEEP, passphrase: KEEP, apiKey: KEEP },
  };
}

/** The form for a stored source. */
export function draftOf(s: SourceSummary): SourceDraft {
  const c = s.config as Record<string, unknown>;
  const text = (k: string): string => (typeof c[k] === 'string' || typeof c[k] === 'number' ? String(c[k]) : '');
  const d = newDraft(s.kind);
  return {
    ...d,
    name: s.name,
    every: String(s.everyMinutes),
    enabled: s.enabled,
    ...(s.kind === 'folder'
      ? {
          path: text('path'),
          recursive: c.recursive === true,
          doneFolder: text('doneFolder'),
          failedFolder: text('failedFolder'),
        }
      : {}),
    ...(s.kind === 'sftp'
      ? {
          host: text('host'),
          port: text('port'),
          username: text('username'),
          remotePath: text('path'),
          hostKey: text('hostKey'),
          afterImport: (c.afterImport as SourceDraft['afterImport'] | undefined) ?? 'keep',
          moveTo: text('moveTo'),
        }
      : {}),
    ...(s.kind === 'folder' || s.kind === 'sftp' ? { pattern: text('pattern'), fileMeter: text('meter') } : {}),
    ...(s.kind === 'octopus' || s.kind === 'n3rgy'
      ? {
          fuel: c.fuel === 'gas' ? 'gas' : 'electricity',
          meter: text('meter'),
          serial: text('serial'),
          from: text('from'),
          gasUnit: c.gasUnit === 'm3' ? 'm3' : 'kWh',
          baseUrl: text('baseUrl'),
        }
      : {}),
  };
}

/** Whether a secret will be set once saved: typed now, or stored and not cleared. */
export function willBeSet(d: SourceDraft, name: SecretName, stored: readonly string[]): boolean {
  return secretWillBeSet(d.secrets[name], stored.includes(name));
}

const HOST_KEY = /^SHA256:[A-Za-z0-9+/]{43}=?$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const isAbsolute = (p: string): boolean => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');

type SaveArgs = Args<'sources.save'>;

/**
 * The arguments for `sources.save`, or the form's messages by the field names the core uses. `stored`
 * names the secrets the source has now (none for a new one).
 */
export function sourceArgs(
  d: SourceDraft,
  id: number | null,
  stored: readonly string[] = [],
): { ok: true; args: SaveArgs } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const t = (v: string): string => v.trim();
  if (!t(d.name)) errors.name = 'Give the feed a name, e.g. DC drop';
  const every = Number(t(d.every));
  if (!/^\d+$/.test(t(d.every)) || every < 5 || every > 10080)
    errors.everyMinutes = 'Between 5 minutes and a week (10080 minutes)';
  let config: SaveArgs['config'];
  const files = {
    ...(t(d.pattern) ? { pattern: t(d.pattern) } : {}),
    ...(t(d.fileMeter) ? { meter: t(d.fileMeter) } : {}),
  };
  if (d.kind === 'folder') {
    if (!t(d.path)) errors['config.path'] = 'Give the folder the files land in, as a full path';
    else if (!isAbsolute(t(d.path)))
      errors['config.path'] = 'Give the full path, e.g. /srv/dc-drop or \\\\server\\share';
    for (const k of ['doneFolder', 'failedFolder'] as const)
      if (t(d[k]) && !isAbsolute(t(d[k]))) errors[`config.${k}`] = 'Give the full path';
    config = {
      kind: 'folder',
      path: t(d.path),
      ...(d.recursive ? { recursive: true } : {}),
      doneFolder: t(d.doneFolder) || null,
      failedFolder: t(d.failedFolder) || null,
      ...files,
    };
  } else if (d.kind === 'sftp') {
    if (!t(d.host)) errors['config.host'] = 'Give the SFTP server’s name or address';
    if (t(d.port) && (!/^\d+$/.test(t(d.port)) || Number(t(d.port)) < 1 || Number(t(d.port)) > 65535))
      errors['config.port'] = 'Give a port number (usually 22)';
    if (!t(d.username)) errors['config.username'] = 'Give the user name to sign in with';
    if (!t(d.remotePath)) errors['config.path'] = 'Give the folder on the server, e.g. /outbox';
    if (t(d.hostKey) && !HOST_KEY.test(t(d.hostKey)))
      errors['config.hostKey'] = 'A fingerprint looks like SHA256: and 43 letters, digits, + or /';
    if (d.afterImport === 'move' && !t(d.moveTo))
      errors['config.moveTo'] = 'Give the folder on the server to move files to';
    if (!willBeSet(d, 'password', stored) && !willBeSet(d, 'privateKey', stored))
      errors['secrets.password'] = 'Set a password or a private key to sign in with';
    config = {
      kind: 'sftp',
      host: t(d.host),
      ...(t(d.port) ? { port: Number(t(d.port)) } : {}),
      username: t(d.username),
      path: t(d.remotePath),
      hostKey: t(d.hostKey) || null,
      afterImport: d.afterImport,
      moveTo: d.afterImport === 'move' ? t(d.moveTo) : null,
      ...files,
    };
  } else {
    if (!t(d.meter)) errors['config.meter'] = d.fuel === 'gas' ? 'Give the meter’s MPRN' : 'Give the meter’s MPAN';
    if (d.kind === 'octopus' && !t(d.serial)) errors['config.serial'] = 'Give the meter’s serial number (on the bill)';
    if (t(d.from) && !ISO_DAY.test(t(d.from))) errors['config.from'] = 'Give a date as DD/MM/YYYY';
    if (!willBeSet(d, 'apiKey', stored)) errors['secrets.apiKey'] = 'Set the API key';
    const common = {
      fuel: d.fuel,
      meter: t(d.meter),
      ...(t(d.from) ? { from: t(d.from) } : {}),
      ...(t(d.baseUrl) ? { baseUrl: t(d.baseUrl) } : {}),
    };
    config =
      d.kind === 'octopus'
        ? { kind: 'octopus', ...common, serial: t(d.serial), ...(d.fuel === 'gas' ? { gasUnit: d.gasUnit } : {}) }
        : { kind: 'n3rgy', ...common };
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  const secrets: NonNullable<SaveArgs['secrets']> = {};
  for (const n of KIND_SECRETS[d.kind]) {
    const v = secretArg(d.secrets[n], n === 'privateKey');
    if (v !== undefined) secrets[n] = v;
  }
  return {
    ok: true,
    args: {
      ...(id !== null ? { id } : {}),
      name: t(d.name),
      config,
      everyMinutes: every,
      enabled: d.enabled,
      ...(Object.keys(secrets).length ? { secrets } : {}),
    },
  };
}

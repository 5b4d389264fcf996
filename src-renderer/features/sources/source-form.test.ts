import { describe, expect, it } from 'vitest';
import type { SourceSummary } from '../../../src-shared/contract/types';
import { draftOf, newDraft, sourceArgs } from './source-form';

const stored = (more: Partial<SourceSummary>): SourceSummary => ({
  id: 3,
  name: 'DC server',
  kind: 'sftp',
  config: { kind: 'sftp', host: 'sftp.dc.example', username: 'dc', path: '/out', hostKey: null, afterImport: 'delete' },
  secretsSet: ['password'],
  everyMinutes: 30,
  enabled: true,
  status: 'ok',
  lastRunAt: null,
  lastOkAt: null,
  nextRunAt: null,
  lastError: null,
  lastReceivedAt: null,
  cursor: null,
  meters: [],
  ...more,
});

describe('the data source form', () => {
  it('asks for what each kind needs, by the names the core uses', () => {
    const folder = sourceArgs({ ...newDraft('folder'), every: '2' }, null);
    expect(folder).toEqual({
      ok: false,
      errors: {
        name: 'Give the feed a name, e.g. DC drop',
        everyMinutes: 'Between 5 minutes and a week (10080 minutes)',
        'config.path': 'Give the folder the files land in, as a full path',
      },
    });
    const sftp = sourceArgs(
      { ...newDraft('sftp'), name: 'S', afterImport: 'move', hostKey: 'abc', port: '70000' },
      null,
    );
    expect(sftp.ok ? null : Object.keys(sftp.errors).sort()).toEqual([
      'config.host',
      'config.hostKey',
      'config.moveTo',
      'config.path',
      'config.port',
      'config.username',
      'secrets.password',
    ]);
    const api = sourceArgs({ ...newDraft('octopus'), name: 'O', from: '31/02' }, null);
    expect(api.ok ? null : api.errors).toEqual({
      'config.meter': 'Give the meter’s MPAN',
      'config.serial': 'Give the meter’s serial number (on the bill)',
      'config.from': 'Give a date as DD/MM/YYYY',
      'secrets.apiKey': 'Set the API key',
    });
  });

  it('keeps, replaces or clears secrets, never sending one that was not typed', () => {
    const s = stored({});
    const d = draftOf(s);
    expect(d).toMatchObject({
      kind: 'sftp',
      host: 'sftp.dc.example',
      remotePath: '/out',
      afterImport: 'delete',
      every: '30',
    });
    const kept = sourceArgs(d, s.id, s.secretsSet);
    expect(kept).toEqual({
      ok: true,
      args: {
        id: 3,
        name: 'DC server',
        config: {
          kind: 'sftp',
          host: 'sftp.dc.example',
          username: 'dc',
          path: '/out',
          hostKey: null,
          afterImport: 'delete',
          moveTo: null,
        },
        everyMinutes: 30,
        enabled: true,
      },
    });
    // clearing the only way to sign in is refused; replacing it with a key is fine
    const cleared = { ...d, secrets: { ...d.secrets, password: { mode: 'clear' as const } } };
    expect(sourceArgs(cleared, s.id, s.secretsSet)).toEqual({
      ok: false,
      errors: { 'secrets.password': 'Set a password or a private key to sign in with' },
    });
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n';
    const swapped = sourceArgs(
      { ...cleared, secrets: { ...cleared.secrets, privateKey: { mode: 'replace', text: key } } },
      s.id,
      s.secretsSet,
    );
    expect(swapped.ok && swapped.args.secrets).toEqual({ password: null, privateKey: key });
  });

  it('turns a watched folder into its settings', () => {
    const r = sourceArgs(
      {
        ...newDraft('folder'),
        name: ' DC drop ',
        path: '/srv/drop',
        pattern: '*.csv',
        doneFolder: '/srv/done',
        recursive: true,
      },
      null,
    );
    expect(r).toEqual({
      ok: true,
      args: {
        name: 'DC drop',
        config: {
          kind: 'folder',
          path: '/srv/drop',
          recursive: true,
          doneFolder: '/srv/done',
          failedFolder: null,
          pattern: '*.csv',
        },
        everyMinutes: 60,
        enabled: true,
      },
    });
  });
});

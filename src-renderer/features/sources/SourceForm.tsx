/**
 * Adding or changing a data feed: the kind first (a new feed only), then the fields that kind needs,
 * secrets as write-only fields (Set, Change, Clear — a stored secret is never shown), and each
 * problem beside its field, whether the form or the core found it.
 */
import { useState, type ReactNode } from 'react';
import type { SourceKind, SourceSummary } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { DateField } from '../../components/DateField';
import { CheckField, Field, TextField } from '../../components/Field';
import { Form, FormActions, FormProblems, useFormSubmit } from '../../components/Form';
import { SecretFields } from '../../components/SecretField';
import { Segmented } from '../../components/Segmented';
import { useAppStore } from '../../stores/app';
import { KIND_SECRETS, draftOf, newDraft, sourceArgs, type SourceDraft } from './source-form';
import { KIND_LABEL } from './words';

const KINDS: SourceKind[] = ['folder', 'sftp', 'octopus', 'n3rgy'];

export function SourceForm({
  source,
  onSaved,
  onCancel,
}: {
  /** The feed being changed, or null for a new one. */
  source: SourceSummary | null;
  onSaved: (s: SourceSummary) => void;
  onCancel: () => void;
}) {
  const [d, setD] = useState<SourceDraft>(() => (source ? draftOf(source) : newDraft()));
  const { busy, errors, submit } = useFormSubmit('Could not save the data feed');
  const set = (patch: Partial<SourceDraft>) => setD((x) => ({ ...x, ...patch }));
  const stored = source?.secretsSet ?? [];

  const save = () => {
    const r = sourceArgs(d, source?.id ?? null, stored);
    return submit(r.ok ? {} : r.errors, async () => {
      if (!r.ok) return;
      const saved = await getClient().call('sources.save', r.args);
      useAppStore.getState().toast({
        kind: 'success',
        title: source ? `Data feed “${saved.name}” saved` : `Data feed “${saved.name}” added`,
        message: source ? undefined : 'It runs now, then on its schedule.',
      });
      onSaved(saved);
    });
  };

  /** A text field bound to a draft key, with the core's error for `path`. */
  const text = (
    key: keyof SourceDraft,
    path: string,
    label: string,
    more: { placeholder?: string; hint?: string; mono?: boolean; narrow?: boolean } = {},
  ): ReactNode => (
    <TextField
      id={`source-${key}`}
      label={label}
      value={d[key] as string}
      onChange={(v) => set({ [key]: v } as Partial<SourceDraft>)}
      error={errors[path]}
      {...more}
    />
  );

  const known = new Set([
    'name',
    'everyMinutes',
    'enabled',
    ...[
      'path',
      'doneFolder',
      'failedFolder',
      'pattern',
      'meter',
      'host',
      'port',
      'username',
      'hostKey',
      'moveTo',
      'serial',
      'from',
      'baseUrl',
    ].map((k) => `config.${k}`),
    ...KIND_SECRETS[d.kind].map((n) => `secrets.${n}`),
  ]);
  const files = d.kind === 'folder' || d.kind === 'sftp';

  return (
    <Form
      className="card card-pad form source-form"
      aria-labelledby="source-form-title"
      onSubmit={save}
      data-testid="source-form"
    >
      <h2 id="source-form-title">{source ? `Change “${source.name}”` : 'Add a data feed'}</h2>
      <FormProblems errors={errors} fields={known} />
      {!source && (
        <div className="field">
          <span className="field-label" id="source-kind-label">
            Where the data comes from
          </span>
          <Segmented
            labelledBy="source-kind-label"
            options={KINDS.map((k) => ({ value: k, label: KIND_LABEL[k] }))}
            value={d.kind}
            onChange={(kind) => setD((x) => ({ ...newDraft(kind), name: x.name, every: x.every }))}
            testId="source-kind"
          />
        </div>
      )}
      <div className="form-row">
        {text('name', 'name', 'Name', { placeholder: 'e.g. DC drop' })}
        <Field
          id="source-every"
          label="Runs every"
          error={errors.everyMinutes}
          hint={
            d.kind === 'folder'
              ? 'Minutes between runs (5 at least). It also runs when files land in the folder.'
              : 'Minutes between runs (5 at least).'
          }
        >
          {(c) => (
            <span className="input-with-unit">
              <input
                {...c}
                className="input input-narrow"
                inputMode="numeric"
                value={d.every}
                onChange={(e) => set({ every: e.currentTarget.value })}
                data-testid="source-every"
              />
              <span className="muted">minutes</span>
            </span>
          )}
        </Field>
        <CheckField
          label="On"
          text="Runs on its schedule"
          checked={d.enabled}
          onChange={(enabled) => set({ enabled })}
          testId="source-enabled"
        />
      </div>

      {d.kind === 'folder' && (
        <>
          <div className="form-row">
            {text('path', 'config.path', 'Folder', {
              placeholder: '/srv/energy/dc-drop or \\\\server\\share\\dc-drop',
              hint: 'A folder on the computer running the app (a shared drive is fine), as a full path.',
              mono: true,
            })}
          </div>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={d.recursive}
              onChange={(e) => set({ recursive: e.currentTarget.checked })}
              data-testid="source-recursive"
            />
            Look in its subfolders too
          </label>
          <div className="form-row">
            {text('doneFolder', 'config.doneFolder', 'Move imported files to (optional)', { mono: true })}
            {text('failedFolder', 'config.failedFolder', 'Move files that failed to (optional)', { mono: true })}
          </div>
        </>
      )}

      {d.kind === 'sftp' && (
        <>
          <div className="form-row">
            {text('host', 'config.host', 'Server', { placeholder: 'sftp.datacollector.example' })}
            {text('port', 'config.port', 'Port', { placeholder: '22', narrow: true })}
            {text('username', 'config.username', 'User name')}
            {text('remotePath', 'config.path', 'Folder on the server', { placeholder: '/outbox', mono: true })}
          </div>
          <div className="form-row">
            {text('hostKey', 'config.hostKey', 'Host key fingerprint', {
              placeholder: 'SHA256:… (pinned at the first run when left empty)',
              hint:
                'Ask the data collector for it (ssh-keygen -l prints it). Left empty, the key the server offers at the ' +
                'first run is pinned, and a server offering another key is refused from then on.',
              mono: true,
            })}
          </div>
          <div className="form-row">
            <Field id="source-after" label="After a successful import">
              {(c) => (
                <select
                  {...c}
                  className="input"
                  value={d.afterImport}
                  onChange={(e) => set({ afterImport: e.currentTarget.value as SourceDraft['afterImport'] })}
                  data-testid="source-after"
                >
                  <option value="keep">Leave the file on the server</option>
                  <option value="delete">Delete it from the server</option>
                  <option value="move">Move it to another folder on the server</option>
                </select>
              )}
            </Field>
            {d.afterImport === 'move' &&
              text('moveTo', 'config.moveTo', 'Move to', { placeholder: '/outbox/imported', mono: true })}
          </div>
        </>
      )}

      {files && (
        <div className="form-row">
          {text('pattern', 'config.pattern', 'File names (optional)', {
            placeholder: '*.csv',
            hint: '* stands for any characters, ? for one; capitals do not matter. Empty: every file.',
            mono: true,
          })}
          {text('fileMeter', 'config.meter', 'Meter for files without a meter column (optional)', { mono: true })}
        </div>
      )}

      {(d.kind === 'octopus' || d.kind === 'n3rgy') && (
        <>
          <div className="form-row">
            <Field id="source-fuel" label="Fuel">
              {(c) => (
                <select
                  {...c}
                  className="input"
                  value={d.fuel}
                  onChange={(e) => set({ fuel: e.currentTarget.value as SourceDraft['fuel'] })}
                  data-testid="source-fuel"
                >
                  <option value="electricity">Electricity</option>
                  <option value="gas">Gas</option>
                </select>
              )}
            </Field>
            {text('meter', 'config.meter', d.fuel === 'gas' ? 'MPRN' : 'MPAN', { mono: true })}
            {d.kind === 'octopus' && text('serial', 'config.serial', 'Meter serial number', { mono: true })}
            {d.kind === 'octopus' && d.fuel === 'gas' && (
              <Field id="source-gas-unit" label="Gas readings in" hint="SMETS2 meters report m³, SMETS1 kWh.">
                {(c) => (
                  <select
                    {...c}
                    className="input"
                    value={d.gasUnit}
                    onChange={(e) => set({ gasUnit: e.currentTarget.value as SourceDraft['gasUnit'] })}
                  >
                    <option value="kWh">kWh</option>
                    <option value="m3">m³</option>
                  </select>
                )}
              </Field>
            )}
          </div>
          <div className="form-row">
            <Field
              id="source-from"
              label="Fetch from (optional)"
              error={errors['config.from']}
              hint="The first day the first run asks for; 13 months back when empty."
            >
              {(c) => <DateField {...c} value={d.from} onChange={(from) => set({ from })} />}
            </Field>
            {text('baseUrl', 'config.baseUrl', 'API address (optional)', {
              placeholder: d.kind === 'octopus' ? 'https://api.octopus.energy' : 'https://api-v2.data.n3rgy.com',
              mono: true,
            })}
          </div>
        </>
      )}

      {KIND_SECRETS[d.kind].length > 0 && (
        <>
          <h3 className="form-section-title">{d.kind === 'sftp' ? 'Signing in' : 'API key'}</h3>
          <SecretFields
            names={KIND_SECRETS[d.kind]}
            idPrefix="source-secret"
            secrets={d.secrets}
            stored={stored}
            errors={errors}
            onChange={(n, secret) => setD((x) => ({ ...x, secrets: { ...x.secrets, [n]: secret } }))}
          />
        </>
      )}

      <FormActions
        busy={busy}
        label={source ? 'Save changes' : 'Add data feed'}
        onCancel={onCancel}
        testId="source-save"
      />
    </Form>
  );
}

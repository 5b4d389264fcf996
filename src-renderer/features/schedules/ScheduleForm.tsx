/**
 * Adding or changing a schedule: what it makes (a report, a CSV export or an email digest, and for
 * which meter, site or the portfolio), when it runs (UK time), and where it goes (a folder, email
 * recipients, or an SFTP server with write-only sign-in secrets and its pinned host key). Each
 * problem stands beside its field, whether the form or the core found it.
 */
import { useState, type ReactNode } from 'react';
import type { ScheduleSummary } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { CheckField, Field, TextField } from '../../components/Field';
import { Form, FormActions, FormProblems, useFormSubmit } from '../../components/Form';
import { MeterPicker, SitePicker } from '../../components/Pickers';
import { SecretFields } from '../../components/SecretField';
import { Segmented } from '../../components/Segmented';
import { fieldErrors } from '../../lib/query';
import { useAppStore } from '../../stores/app';
import { useScopeLists } from './ScheduleBits';
import {
  SFTP_SECRETS,
  cadenceHint,
  draftOf,
  newDraft,
  placeErrors,
  repeatError,
  scheduleArgs,
  splitRecipients,
  withWhat,
  type ScheduleDraft,
} from './schedule-form';
import { RANGE_LABEL, TABLE_LABEL, WEEKDAYS, cadenceText } from './words';

export function ScheduleForm({
  schedule,
  onSaved,
  onCancel,
}: {
  /** The schedule being changed, or null for a new one. */
  schedule: ScheduleSummary | null;
  onSaved: (s: ScheduleSummary) => void;
  onCancel: () => void;
}) {
  const [d, setD] = useState<ScheduleDraft>(() => (schedule ? draftOf(schedule) : newDraft()));
  const { busy, errors, setErrors, submit } = useFormSubmit('Could not save the schedule');
  const set = (patch: Partial<ScheduleDraft>) => setD((x) => ({ ...x, ...patch }));
  /** A change to what it makes: the cadence follows (a monthly digest runs monthly…). */
  const setWhat = (patch: Partial<ScheduleDraft>) => setD((x) => withWhat(x, patch));
  const stored = schedule?.secretsSet ?? [];
  const { sites, meters } = useScopeLists();

  const save = () => {
    const r = scheduleArgs(d, schedule?.id ?? null, stored);
    return submit(r.ok ? {} : r.errors, async () => {
      if (!r.ok) return;
      try {
        const saved = await getClient().call('schedules.save', r.args);
        useAppStore.getState().toast({
          kind: 'success',
          title: schedule ? `Schedule “${saved.name}” saved` : `Schedule “${saved.name}” added`,
          message: saved.enabled ? `${cadenceText(saved.cadence)}, UK time.` : 'It is switched off for now.',
        });
        onSaved(saved);
      } catch (e) {
        const f = fieldErrors(e);
        if (Object.keys(f).length) setErrors(placeErrors(f, d));
        else throw e;
      }
    });
  };

  /** A text field bound to a draft key, with the core's error for `path`. */
  const text = (
    key: 'name' | 'day' | 'at' | 'path' | 'host' | 'port' | 'username' | 'remotePath',
    path: string,
    label: string,
    more: { placeholder?: string; hint?: string; mono?: boolean; narrow?: boolean } = {},
  ): ReactNode => (
    <TextField
      id={`schedule-${key}`}
      label={label}
      value={d[key] as string}
      onChange={(v) => set({ [key]: v } as Partial<ScheduleDraft>)}
      error={errors[path]}
      {...more}
    />
  );

  /** A choice of a few, as a row of buttons under a label. */
  const choice = <T extends string>(
    id: string,
    label: string,
    options: readonly (readonly [T, string])[],
    value: T,
    onChange: (v: T) => void,
    hint?: string | null,
    error?: string | null,
  ): ReactNode => (
    <div className="field">
      <span className="field-label" id={`${id}-label`}>
        {label}
      </span>
      <Segmented
        labelledBy={`${id}-label`}
        options={options.map(([v, l]) => ({ value: v, label: l }))}
        value={value}
        onChange={onChange}
        testId={id}
      />
      {hint && <p className="field-hint muted small">{hint}</p>}
      {error && (
        <span className="field-error" role="alert" data-testid={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );

  const known = new Set([
    'name',
    'enabled',
    'what.scope.siteId',
    'what.scope.meter',
    'cadence.every',
    'cadence.at',
    'cadence.day',
    'cadence.weekday',
    'destination.kind',
    'destination.path',
    'destination.to',
    ...d.to.map((_, i) => `destination.to.${i}`),
    'destination.host',
    'destination.port',
    'destination.username',
    ...SFTP_SECRETS.map((n) => `secrets.${n}`),
  ]);
  const setRecipient = (i: number, v: string) => set({ to: d.to.map((x, j) => (j === i ? v : x)) });

  return (
    <Form
      className="card card-pad form schedule-form"
      aria-labelledby="schedule-form-title"
      onSubmit={save}
      data-testid="schedule-form"
    >
      <h2 id="schedule-form-title">{schedule ? `Change “${schedule.name}”` : 'New schedule'}</h2>
      <FormProblems errors={errors} fields={known} />
      <div className="form-row">
        {text('name', 'name', 'Name', { placeholder: 'e.g. Monthly pack for finance' })}
        <CheckField
          label="On"
          text="Runs on its schedule"
          checked={d.enabled}
          onChange={(enabled) => set({ enabled })}
          testId="schedule-enabled-field"
        />
      </div>

      <h3 className="form-section-title">What it makes</h3>
      <div className="form-row">
        {choice(
          'schedule-kind',
          'Kind',
          [
            ['report', 'Report'],
            ['export', 'CSV export'],
            ['digest', 'Email digest'],
          ],
          d.kind,
          // a digest is an email
          (kind) => setWhat(kind === 'digest' ? { kind, dest: 'email' } : { kind }),
        )}
        {choice(
          'schedule-scope',
          'Covering',
          [
            ['all', 'Portfolio'],
            ['site', 'A site'],
            ['meter', 'A meter'],
          ],
          d.scope,
          (scope) => set({ scope }),
        )}
        {d.scope === 'site' && (
          <SitePicker
            id="schedule-site"
            label="Site"
            error={errors['what.scope.siteId']}
            options={sites}
            value={d.siteId}
            onChange={(siteId) => set({ siteId })}
            testId="schedule-site"
          />
        )}
        {d.scope === 'meter' && (
          <MeterPicker
            id="schedule-meter"
            label="Meter"
            error={errors['what.scope.meter']}
            options={meters}
            value={d.meter}
            onChange={(meter) => set({ meter })}
            testId="schedule-meter"
          />
        )}
      </div>
      {d.kind === 'report' && (
        <div className="form-row">
          {choice(
            'schedule-report-period',
            'Report',
            [
              ['month', 'Monthly'],
              ['year', 'Annual (SECR)'],
            ],
            d.reportPeriod,
            (reportPeriod) => setWhat({ reportPeriod }),
          )}
          {choice(
            'schedule-format',
            'As',
            [
              ['pdf', 'PDF'],
              ['html', 'HTML'],
            ],
            d.format,
            (format) => set({ format }),
          )}
          <p className="muted small schedule-note">
            {d.reportPeriod === 'month'
              ? 'Each run reports on the last whole calendar month before it.'
              : 'Each run reports on the last whole calendar year before it.'}
          </p>
        </div>
      )}
      {d.kind === 'export' && (
        <div className="form-row">
          <Field id="schedule-table" label="Table">
            {(c) => (
              <select
                {...c}
                className="input"
                value={d.table}
                onChange={(e) => set({ table: e.currentTarget.value as ScheduleDraft['table'] })}
                data-testid="schedule-table"
              >
                {Object.entries(TABLE_LABEL).map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="schedule-range" label="Period covered" hint="Counted back from the day it runs (UK days).">
            {(c) => (
              <select
                {...c}
                className="input"
                value={d.range}
                onChange={(e) => setWhat({ range: e.currentTarget.value as ScheduleDraft['range'] })}
                data-testid="schedule-range"
              >
                {Object.entries(RANGE_LABEL).map(([v, l]) => (
                  <option key={v} value={v}>
                    {l.charAt(0).toUpperCase() + l.slice(1)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {d.table === 'readings' &&
            choice(
              'schedule-layout',
              'Layout',
              [
                ['long', 'Long'],
                ['wide', 'Wide'],
              ],
              d.layout,
              (layout) => set({ layout }),
              d.layout === 'long' ? 'A row a half-hour.' : 'A row a meter-day, a column a half-hour.',
            )}
        </div>
      )}
      {d.kind === 'digest' && (
        <div className="form-row">
          {choice(
            'schedule-digest-period',
            'Digest',
            [
              ['week', 'Weekly'],
              ['month', 'Monthly'],
            ],
            d.digestPeriod,
            (digestPeriod) => setWhat({ digestPeriod }),
          )}
          <p className="muted small schedule-note">
            The headline figures of the last whole {d.digestPeriod === 'week' ? 'week (Monday to Sunday)' : 'month'} in
            the email, with the report attached.
          </p>
        </div>
      )}

      <h3 className="form-section-title">When it runs</h3>
      <div className="form-row">
        {choice(
          'schedule-every',
          'Every',
          [
            ['daily', 'Day'],
            ['weekly', 'Week'],
            ['monthly', 'Month'],
          ],
          d.every,
          (every) => set({ every }),
          cadenceHint(d),
          errors['cadence.every'] ?? repeatError(d),
        )}
        {d.every === 'weekly' && (
          <Field id="schedule-weekday" label="On" error={errors['cadence.weekday']}>
            {(c) => (
              <select
                {...c}
                className="input"
                value={d.weekday}
                onChange={(e) => set({ weekday: Number(e.currentTarget.value) })}
                data-testid="schedule-weekday"
              >
                {WEEKDAYS.map((w, i) => (
                  <option key={w} value={i + 1}>
                    {w}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {d.every === 'monthly' &&
          text('day', 'cadence.day', 'On day', { narrow: true, hint: '1 to 28, so that every month has it.' })}
        {text('at', 'cadence.at', 'At (UK time)', {
          narrow: true,
          placeholder: '07:00',
          hint: 'HH:MM on the UK clock (GMT in winter, BST in summer).',
        })}
      </div>

      <h3 className="form-section-title">Where it goes</h3>
      {choice(
        'schedule-dest',
        'Deliver to',
        [
          ['folder', 'A folder'],
          ['email', 'Email'],
          ['sftp', 'An SFTP server'],
        ],
        d.dest,
        (dest) => set({ dest }),
      )}
      {errors['destination.kind'] && (
        <p className="field-error" role="alert" data-testid="schedule-dest-error">
          {errors['destination.kind']}
        </p>
      )}
      {d.dest === 'folder' && (
        <div className="form-row">
          {text('path', 'destination.path', 'Folder', {
            placeholder: '/srv/energy/reports or \\\\server\\share\\reports',
            hint: 'A folder on the computer running the app (a shared drive is fine), as a full path.',
            mono: true,
          })}
        </div>
      )}
      {d.dest === 'email' && (
        <fieldset className="schedule-recipients" data-testid="schedule-recipients">
          <legend className="field-label">Recipients</legend>
          {errors['destination.to'] && (
            <p className="field-error" role="alert" data-testid="schedule-to-error">
              {errors['destination.to']}
            </p>
          )}
          {d.to.map((x, i) => (
            <Field
              key={i}
              id={`schedule-to-${i}`}
              label={<span className="sr-only">{`Recipient ${i + 1}`}</span>}
              error={errors[`destination.to.${i}`]}
            >
              {(c) => (
                <span className="schedule-recipient">
                  <input
                    {...c}
                    type="email"
                    className="input"
                    value={x}
                    placeholder="name@example.org"
                    autoComplete="off"
                    spellCheck={false}
                    onChange={(e) => setRecipient(i, e.currentTarget.value)}
                    onBlur={(e) => {
                      const split = splitRecipients(e.currentTarget.value);
                      if (split.length > 1) set({ to: [...d.to.slice(0, i), ...split, ...d.to.slice(i + 1)] });
                    }}
                    data-testid={`schedule-to-${i}`}
                  />
                  {d.to.length > 1 && (
                    <button
                      type="button"
                      className="btn btn-quiet btn-small"
                      aria-label={`Remove recipient ${i + 1}`}
                      onClick={() => set({ to: d.to.filter((_, j) => j !== i) })}
                    >
                      Remove
                    </button>
                  )}
                </span>
              )}
            </Field>
          ))}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => set({ to: [...d.to, ''] })}
            disabled={d.to.length >= 50}
            data-testid="schedule-to-add"
          >
            Add a recipient
          </button>
          <p className="muted small">Sent over the SMTP settings of the alerts (Settings › Notifications).</p>
        </fieldset>
      )}
      {d.dest === 'sftp' && (
        <>
          <div className="form-row">
            {text('host', 'destination.host', 'Server', { placeholder: 'sftp.bureau.example' })}
            {text('port', 'destination.port', 'Port', { placeholder: '22', narrow: true })}
            {text('username', 'destination.username', 'User name')}
            {text('remotePath', 'destination.path', 'Folder on the server', { placeholder: '/inbox', mono: true })}
          </div>
          <h3 className="form-section-title">Signing in</h3>
          <SecretFields
            names={SFTP_SECRETS}
            idPrefix="schedule-secret"
            secrets={d.secrets}
            stored={stored}
            errors={errors}
            onChange={(n, secret) => setD((x) => ({ ...x, secrets: { ...x.secrets, [n]: secret } }))}
          />
          <HostKey
            pinned={schedule?.hostKey ?? null}
            forget={d.forgetHostKey}
            onForget={(forgetHostKey) => set({ forgetHostKey })}
          />
        </>
      )}

      <FormActions
        busy={busy}
        label={schedule ? 'Save changes' : 'Add schedule'}
        onCancel={onCancel}
        testId="schedule-save"
      />
    </Form>
  );
}

/** The SFTP server's pinned host key: its fingerprint and Forget key (the next delivery pins the one offered). */
function HostKey({
  pinned,
  forget,
  onForget,
}: {
  pinned: string | null;
  forget: boolean;
  onForget: (forget: boolean) => void;
}) {
  return (
    <div className="field schedule-hostkey" data-testid="schedule-hostkey">
      <span className="field-label">Server’s host key</span>
      {!pinned ? (
        <p className="muted small">
          Not pinned yet: the key the server offers at the first delivery is pinned, and a server offering another key
          is refused from then on.
        </p>
      ) : forget ? (
        <span className="secret-state">
          <span className="warn">Forgotten when you save: the next delivery pins the key the server offers.</span>
          <button type="button" className="btn btn-quiet btn-small" onClick={() => onForget(false)}>
            Undo
          </button>
        </span>
      ) : (
        <span className="secret-state">
          <span className="mono small">{pinned}</span>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => onForget(true)}
            data-testid="schedule-forget-key"
          >
            Forget key
          </button>
        </span>
      )}
    </div>
  );
}

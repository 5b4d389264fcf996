/**
 * Settings → Notifications: where alerts are sent (email through an SMTP server, Slack, a signed
 * webhook, the desktop's notifications), when not (quiet hours), a daily digest, a limit per hour
 * and the app's address for links. Secrets show masked and are replaced or removed, never shown;
 * each channel has "Send a test" that says what happened.
 */
import { useEffect, useState, type ComponentProps, type ReactNode } from 'react';
import type { AlertChannel, NotifyTestResult, Settings } from '../../../src-shared/contract/types';
import { errorMessage } from '../../api/client';
import { getClient } from '../../api/instance';
import { useCan } from '../../components/Can';
import { Field } from '../../components/Field';
import { Form, useFormSubmit } from '../../components/Form';
import { Spinner } from '../../components/States';
import { useAppStore } from '../../stores/app';
import '../../styles/notify.css';
import { notifyArgs, notifyDirty, notifyDraft, type NotifyDraft, type Secret } from './notify-form';

export function NotificationsCard({ initial, readOnly }: { initial: Settings; readOnly: boolean }) {
  const [saved, setSaved] = useState(initial);
  const [d, setD] = useState<NotifyDraft>(() => notifyDraft(initial));
  const { busy, errors, setErrors, submit } = useFormSubmit('Could not save the notification settings');
  const host = useAppStore((s) => s.info?.host);
  const set = (patch: Partial<NotifyDraft>) => setD((x) => ({ ...x, ...patch }));
  /** A field's value, its change and its error (by the settings key the core names it by). */
  const bind = <K extends keyof NotifyDraft>(key: K, setting: string) => ({
    value: d[key],
    onChange: (v: NotifyDraft[K]) => set({ [key]: v } as Partial<NotifyDraft>),
    error: errors[setting],
    readOnly,
  });

  useEffect(() => {
    setSaved(initial);
    setD(notifyDraft(initial));
  }, [initial]);

  const save = () => {
    const r = notifyArgs(saved, d);
    return submit(r.ok ? {} : r.errors, async () => {
      if (!r.ok) return;
      const next = await getClient().call('settings.update', r.args);
      setSaved(next);
      setD(notifyDraft(next));
      useAppStore.getState().toast({ kind: 'success', title: 'Notification settings saved' });
    });
  };
  const dirty = notifyDirty(saved, d);

  return (
    <Form
      className="card card-pad form notify-card"
      aria-labelledby="notify-title"
      onSubmit={save}
      data-testid="notify-card"
    >
      <h2 id="notify-title">Notifications</h2>
      <p className="muted small">
        Where alerts are sent. Each rule chooses its channels on the Alerts page; save here first, then send a test.
      </p>
      {readOnly && <p className="callout callout-warn small">Only an administrator can change these settings.</p>}

      <h3 className="form-section-title">Email</h3>
      <SecretField
        id="notify-smtp"
        label="SMTP server"
        stored={saved['notify.email.smtpUrl']}
        {...bind('smtpUrl', 'notify.email.smtpUrl')}
        placeholder="smtps://user:password@mail.example.org:465"
        hint="The mail server as a URL with its user and password. The password is never shown again."
      />
      <div className="form-row">
        <TextField
          id="notify-from"
          label="From"
          {...bind('from', 'notify.email.from')}
          placeholder="Eclectyc Energy <alerts@example.org>"
        />
        <TextField
          id="notify-to"
          label="To"
          {...bind('to', 'notify.email.to')}
          placeholder="anna@example.org, facilities@example.org"
          hint="Addresses separated by commas."
        />
      </div>
      <TestButton channel="email" disabled={!saved['notify.email.smtpUrl'] || dirty} />

      <h3 className="form-section-title">Slack</h3>
      <SecretField
        id="notify-slack"
        label="Slack webhook"
        stored={saved['notify.slack.webhookUrl']}
        {...bind('slackUrl', 'notify.slack.webhookUrl')}
        placeholder="https://hooks.slack.com/services/T000/B000/XXXX"
        hint="An incoming webhook from your Slack workspace’s app settings. Its secret part is never shown again."
      />
      <TestButton channel="slack" disabled={!saved['notify.slack.webhookUrl'] || dirty} />

      <h3 className="form-section-title">Webhook</h3>
      <TextField
        id="notify-webhook"
        label="Webhook URL"
        {...bind('webhookUrl', 'notify.webhook.url')}
        placeholder="https://example.org/hooks/energy"
        hint="Each alert is sent here as JSON (format: docs/notifications.md)."
        wide
      />
      <SecretField
        id="notify-secret"
        label="Signing secret"
        stored={saved['notify.webhook.secretSet'] ? '•••••••• (set)' : null}
        {...bind('webhookSecret', 'notify.webhook.secret')}
        placeholder="a long random text"
        hint="Optional. Each message is signed with it (HMAC-SHA256) so the receiver can tell it came from this app."
        password
      />
      <TestButton channel="webhook" disabled={!saved['notify.webhook.url'] || dirty} />

      <h3 className="form-section-title">Desktop notifications</h3>
      <p className="muted small">
        {host === 'desktop'
          ? 'Alerts whose rules choose “Desktop notification” appear as system notifications.'
          : 'In a browser, these alerts appear as messages in the corner of the window while the app is open.'}
      </p>
      <TestButton channel="tray" disabled={dirty} />

      <h3 className="form-section-title">When to send</h3>
      <div className="form-row">
        <Field
          id="notify-quiet-from"
          label="Quiet hours"
          error={errors['notify.quietHours']}
          hint="UK local time, 24-hour clock (HH:MM). Messages wait until quiet hours end. Leave both empty for none."
        >
          {(c) => (
            <span className="input-with-unit">
              <TimeInput
                {...c}
                placeholder="e.g. 22:00"
                value={d.quietFrom}
                disabled={readOnly}
                onChange={(quietFrom) => set({ quietFrom })}
              />
              <span className="muted">to</span>
              <TimeInput
                aria-label="Quiet hours end"
                placeholder="e.g. 07:00"
                value={d.quietTo}
                disabled={readOnly}
                onChange={(quietTo) => set({ quietTo })}
              />
            </span>
          )}
        </Field>
        <Field
          id="notify-digest"
          label="Daily digest"
          error={errors['notify.digestAt']}
          hint="Off: each alert is sent on its own. At a time: the day’s alerts go out together then."
        >
          {(c) => (
            <span className="input-with-unit">
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={d.digestAt !== ''}
                  disabled={readOnly}
                  onChange={(e) => set({ digestAt: e.currentTarget.checked ? '08:00' : '' })}
                  data-testid="notify-digest-on"
                />
                At
              </label>
              <TimeInput
                {...c}
                placeholder="e.g. 08:00"
                value={d.digestAt}
                disabled={readOnly || d.digestAt === ''}
                onChange={(digestAt) => set({ digestAt })}
              />
            </span>
          )}
        </Field>
        <Field
          id="notify-rate"
          label="At most"
          error={errors['notify.rateLimitPerHour']}
          hint="Per channel. Alerts beyond it wait and go out together in one message."
        >
          {(c) => (
            <span className="input-with-unit">
              <input
                {...c}
                className="input input-narrow"
                inputMode="numeric"
                value={d.rateLimit}
                disabled={readOnly}
                onChange={(e) => set({ rateLimit: e.currentTarget.value })}
              />
              <span className="muted">messages an hour</span>
            </span>
          )}
        </Field>
      </div>
      {host !== 'desktop' && (
        <TextField
          id="notify-app-url"
          label="App address"
          {...bind('appUrl', 'notify.appUrl')}
          placeholder="http://energy.example.org:8080"
          hint="Where people open this app, so messages can link to the alert."
          wide
        />
      )}
      <div className="form-actions">
        <button
          type="submit"
          className="btn btn-primary"
          disabled={busy || readOnly || !dirty}
          data-testid="notify-save"
        >
          {busy ? 'Saving…' : 'Save notification settings'}
        </button>
        {dirty && !busy && (
          <button
            type="button"
            className="btn btn-quiet"
            onClick={() => {
              setD(notifyDraft(saved));
              setErrors({});
            }}
          >
            Undo changes
          </button>
        )}
      </div>
    </Form>
  );
}

/** A time of day typed as HH:MM (24-hour, as UK settings are written), never the browser's own time picker. */
function TimeInput({
  onChange,
  ...p
}: Omit<ComponentProps<'input'>, 'onChange' | 'value'> & { value: string; onChange: (v: string) => void }) {
  return (
    <input
      {...p}
      className="input input-narrow"
      inputMode="numeric"
      maxLength={5}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}

function TextField(p: {
  id: string;
  label: string;
  error: string | undefined;
  value: string;
  onChange: (v: string) => void;
  readOnly: boolean;
  placeholder: string;
  hint?: string;
  wide?: boolean;
}) {
  return (
    <Field id={p.id} label={p.label} error={p.error} {...(p.hint ? { hint: p.hint } : {})}>
      {(c) => (
        <input
          {...c}
          className={p.wide ? 'input input-wide' : 'input'}
          spellCheck={false}
          placeholder={p.placeholder}
          value={p.value}
          disabled={p.readOnly}
          onChange={(e) => p.onChange(e.currentTarget.value)}
        />
      )}
    </Field>
  );
}

/**
 * A secret: the stored value masked (as the core sends it) with "Replace" and "Remove"; replacing
 * shows an empty input for the new value.
 */
function SecretField(p: {
  id: string;
  label: string;
  error: string | undefined;
  /** The stored value as shown (masked), or null when none is stored. */
  stored: string | null;
  value: Secret;
  onChange: (s: Secret) => void;
  readOnly: boolean;
  placeholder: string;
  hint: string;
  /** A password input (the secret has no shape worth showing while typed). */
  password?: boolean;
}) {
  const typing = p.value.mode === 'replace' || (p.value.mode === 'keep' && !p.stored);
  const hint =
    p.value.mode === 'remove'
      ? 'It will be removed when you save.'
      : typing && p.stored
        ? `Replacing the stored value. ${p.hint}`
        : p.hint;
  return (
    <Field id={p.id} label={p.label} error={p.error} hint={hint}>
      {(c) => (
        <span className="input-with-unit secret-field">
          {typing ? (
            <input
              {...c}
              className="input input-wide"
              type={p.password ? 'password' : 'text'}
              autoComplete="off"
              spellCheck={false}
              placeholder={p.placeholder}
              value={p.value.mode === 'replace' ? p.value.text : ''}
              disabled={p.readOnly}
              onChange={(e) => p.onChange({ mode: 'replace', text: e.currentTarget.value })}
            />
          ) : (
            <input
              {...c}
              className="input input-wide secret-masked"
              readOnly
              value={p.value.mode === 'remove' ? '(removed on save)' : (p.stored ?? '')}
            />
          )}
          {p.stored && !p.readOnly && (
            <>
              {p.value.mode === 'keep' ? (
                <>
                  <button
                    type="button"
                    className="btn btn-quiet"
                    onClick={() => p.onChange({ mode: 'replace', text: '' })}
                  >
                    Replace
                  </button>
                  <button type="button" className="btn btn-quiet" onClick={() => p.onChange({ mode: 'remove' })}>
                    Remove
                  </button>
                </>
              ) : (
                <button type="button" className="btn btn-quiet" onClick={() => p.onChange({ mode: 'keep' })}>
                  Keep the stored one
                </button>
              )}
            </>
          )}
        </span>
      )}
    </Field>
  );
}

const TEST_LABEL: Record<AlertChannel, string> = {
  tray: 'Send a test notification',
  email: 'Send a test email',
  slack: 'Send a test to Slack',
  webhook: 'Send a test to the webhook',
};

/** "Send a test" on a channel, with what happened beside it (the saved settings are used). */
function TestButton({ channel, disabled }: { channel: AlertChannel; disabled: boolean }) {
  const can = useCan();
  const [state, setState] = useState<{ busy: boolean; result: NotifyTestResult | null; error: string | null }>({
    busy: false,
    result: null,
    error: null,
  });
  let outcome: ReactNode = null;
  if (state.busy) outcome = <Spinner inline label="Sending…" />;
  else if (state.result)
    outcome = (
      <span className={state.result.ok ? 'ok-text' : 'error-message'} data-ok={state.result.ok}>
        {state.result.message}
      </span>
    );
  else if (state.error) outcome = <span className="error-message">{state.error}</span>;
  if (!can('notify.test')) return null;
  return (
    <div className="notify-test">
      <button
        type="button"
        className="btn btn-small"
        disabled={disabled || state.busy}
        title={disabled ? 'Save the settings first' : undefined}
        data-testid={`notify-test-${channel}`}
        onClick={async () => {
          setState({ busy: true, result: null, error: null });
          try {
            setState({ busy: false, result: await getClient().call('notify.test', { channel }), error: null });
          } catch (e) {
            setState({ busy: false, result: null, error: errorMessage(e) });
          }
        }}
      >
        {TEST_LABEL[channel]}
      </button>
      <span className="notify-test-result" aria-live="polite" data-testid={`notify-test-${channel}-result`}>
        {outcome}
      </span>
    </div>
  );
}

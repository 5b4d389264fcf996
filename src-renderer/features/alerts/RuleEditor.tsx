/**
 * The rule editor: the kind first, then whom it watches (a meter, each meter of a site, or all),
 * the kind's own parameters with their units, severity, channels and whether it is on. The core's
 * problems with a refused rule show beside the fields they name.
 */
import { useState } from 'react';
import {
  ALERT_KINDS,
  type AlertChannel,
  type AlertRule,
  type MeterSummary,
  type SiteSummary,
} from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { Field } from '../../components/Field';
import { MeterPicker, SitePicker } from '../../components/Pickers';
import { Form } from '../../components/Form';
import { Segmented } from '../../components/Segmented';
import { useAppStore } from '../../stores/app';
import {
  paramFields,
  changeKind,
  draftOfRule,
  newDraft,
  problemsByField,
  ruleOfDraft,
  ruleProblems,
  slugOf,
  type RuleDraft,
} from './rule-form';
import { KIND_LABELS, ruleSummary } from '../../../src-shared/domain/alert-rules';
import { CHANNEL_LABEL, SEVERITY_LABEL, scopesOf, type Scope } from './words';

const SCOPE_LABEL: Record<Scope, string> = { meter: 'One meter', site: 'Each meter of a site', all: 'All meters' };
const CHANNELS: AlertChannel[] = ['tray', 'email', 'slack', 'webhook'];

export function RuleEditor({
  rule,
  meters,
  sites,
  onSaved,
  onCancel,
}: {
  /** The rule being changed, or null for a new one. */
  rule: AlertRule | null;
  meters: readonly MeterSummary[];
  sites: readonly SiteSummary[];
  onSaved: (r: AlertRule) => void;
  onCancel: () => void;
}) {
  const [d, setD] = useState<RuleDraft>(() => (rule ? draftOfRule(rule) : newDraft()));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<RuleDraft>) => setD((x) => ({ ...x, ...patch }));
  const setParam = (name: string, value: string) => setD((x) => ({ ...x, params: { ...x.params, [name]: value } }));
  const scopes = scopesOf(d.kind);
  const fields = paramFields(d.kind);
  const system = d.kind === 'import-failed' || d.kind === 'health';
  const grid = d.kind === 'carbon-intensity-below' || d.kind === 'carbon-intensity-above';

  const save = async () => {
    const r = ruleOfDraft(d);
    if (!r.ok) {
      setErrors(r.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const saved = await getClient().call('alerts.saveRule', {
        rule: r.rule,
        ...(rule && rule.id !== r.rule.id ? { previousId: rule.id } : {}),
      });
      useAppStore
        .getState()
        .toast({ kind: 'success', title: rule ? 'Rule saved' : 'Rule created', message: ruleSummary(saved) });
      onSaved(saved);
    } catch (e) {
      const problems = ruleProblems(e);
      if (problems) setErrors(problemsByField(problems));
      else useAppStore.getState().toastError('Could not save the rule', e);
    } finally {
      setBusy(false);
    }
  };

  const known = new Set([
    'id',
    'name',
    'kind',
    'meter',
    'site',
    'severity',
    'channels',
    'enabled',
    ...fields.map((f) => f.name),
  ]);
  const other = Object.entries(errors).filter(([k]) => !known.has(k));

  return (
    <Form
      className="card card-pad form rule-editor"
      aria-labelledby="rule-editor-title"
      onSubmit={save}
      data-testid="rule-editor"
    >
      <h2 id="rule-editor-title">{rule ? `Change rule “${rule.name || rule.id}”` : 'New rule'}</h2>
      {other.length > 0 && (
        <div className="callout callout-error" role="alert" data-testid="rule-errors">
          {other.map(([k, m]) => (
            <div key={k}>{k ? `${k}: ${m}` : m}</div>
          ))}
        </div>
      )}
      <div className="form-row">
        <Field id="rule-kind" label="When" error={errors.kind}>
          {(c) => (
            <select
              {...c}
              className="input"
              value={d.kind}
              onChange={(e) => setD(changeKind(d, e.currentTarget.value as RuleDraft['kind']))}
            >
              {ALERT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABELS[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="rule-name" label="Name (optional)" error={errors.name}>
          {(c) => (
            <input
              {...c}
              className="input"
              value={d.name}
              placeholder="e.g. School out-of-hours use"
              onChange={(e) => set({ name: e.currentTarget.value })}
            />
          )}
        </Field>
        <Field
          id="rule-id"
          label="Id"
          error={errors.id}
          hint="How rule files name it, e.g. school-daily-use. Made from the name when left empty."
        >
          {(c) => (
            <input
              {...c}
              className="input"
              value={d.id}
              placeholder={slugOf(d.name) || undefined}
              spellCheck={false}
              maxLength={64}
              onChange={(e) => set({ id: e.currentTarget.value })}
            />
          )}
        </Field>
      </div>
      {!system && (
        <div className="form-row">
          <div className="field">
            <span className="field-label" id="rule-scope-label">
              Applies to
            </span>
            <Segmented
              labelledBy="rule-scope-label"
              small
              options={scopes.map((s) => ({
                value: s,
                label: grid ? (s === 'all' ? 'Great Britain' : 'A site’s region') : SCOPE_LABEL[s],
              }))}
              value={d.scope}
              onChange={(scope) => set({ scope })}
              testId="rule-scope"
            />
          </div>
          {d.scope === 'meter' && (
            <MeterPicker
              id="rule-meter"
              label="Meter"
              error={errors.meter}
              options={meters}
              value={d.meter}
              onChange={(meter) => set({ meter })}
            />
          )}
          {d.scope === 'site' && (
            <SitePicker
              id="rule-site"
              label="Site"
              error={errors.site}
              options={sites}
              value={d.site}
              onChange={(site) => set({ site })}
            />
          )}
        </div>
      )}
      {fields.length > 0 && (
        <div className="form-row">
          {fields.map((f) => (
            <Field
              key={f.name}
              id={`rule-${f.name}`}
              label={f.label}
              error={errors[f.name]}
              {...(f.hint ? { hint: f.hint } : {})}
            >
              {(c) =>
                f.type === 'choice' ? (
                  <select
                    {...c}
                    className="input"
                    value={d.params[f.name] ?? ''}
                    onChange={(e) => setParam(f.name, e.currentTarget.value)}
                  >
                    {f.optional && f.initial === '' && <option value="">Any</option>}
                    {f.options!.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                ) : (
                  <span className="input-with-unit">
                    {f.unit === '£' && <span className="muted">£</span>}
                    <input
                      {...c}
                      className={f.type === 'text' ? 'input' : 'input input-narrow'}
                      inputMode={f.type === 'text' ? 'text' : f.type === 'whole' ? 'numeric' : 'decimal'}
                      value={d.params[f.name] ?? ''}
                      placeholder={f.placeholder ?? (f.optional ? 'optional' : undefined)}
                      onChange={(e) => setParam(f.name, e.currentTarget.value)}
                    />
                    {f.unit && f.unit !== '£' && <span className="muted">{f.unit}</span>}
                  </span>
                )
              }
            </Field>
          ))}
        </div>
      )}
      <div className="form-row">
        <div className="field">
          <span className="field-label" id="rule-severity-label">
            Severity
          </span>
          <Segmented
            labelledBy="rule-severity-label"
            small
            options={(['info', 'warning', 'critical'] as const).map((s) => ({ value: s, label: SEVERITY_LABEL[s] }))}
            value={d.severity}
            onChange={(severity) => set({ severity })}
          />
        </div>
        <fieldset
          className="field rule-channels"
          aria-describedby={errors.channels ? 'rule-channels-error' : undefined}
        >
          <legend className="field-label">Send to</legend>
          <div className="radio-row">
            {CHANNELS.map((ch) => (
              <label key={ch} className="checkbox">
                <input
                  type="checkbox"
                  checked={d.channels.includes(ch)}
                  onChange={(e) =>
                    set({
                      channels: e.currentTarget.checked ? [...d.channels, ch] : d.channels.filter((x) => x !== ch),
                    })
                  }
                />
                {CHANNEL_LABEL[ch]}
              </label>
            ))}
          </div>
          {errors.channels && (
            <span id="rule-channels-error" className="field-error" role="alert">
              {errors.channels}
            </span>
          )}
        </fieldset>
        <label className="checkbox rule-enabled">
          <input type="checkbox" checked={d.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} />
          Rule is on
        </label>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="rule-save">
          {busy ? 'Saving…' : rule ? 'Save rule' : 'Create rule'}
        </button>
        <button type="button" className="btn btn-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Form>
  );
}

/**
 * The rule editor's form: each kind's parameters as fields (label, unit, kind of input), a rule as
 * the form's text and back, with the form's own checks, and a refused save's problems by field. Pure.
 */
import type {
  AlertChannel,
  AlertKind,
  AlertRule,
  AlertRuleProblem,
  AlertSeverity,
} from '../../../src-shared/contract/types';
import { AppError } from '../../../src-shared/contract/errors';
import { KIND_PARAMS as RULE_PARAMS } from '../../../src-shared/domain/alert-rules';
import { scopesOf, type Scope } from './words';

/** One parameter of a kind, as the form asks for it. */
export interface ParamField {
  /** Its name in the rule (`kwh`, `consecutive`…). */
  name: string;
  label: string;
  /** The unit shown after the input. */
  unit?: string;
  /** number: a figure; percent: a 0–1 share typed as a percentage; whole: a whole number; choice: one of options. */
  type: 'number' | 'percent' | 'whole' | 'choice' | 'text';
  options?: readonly { value: string; label: string }[];
  /** Shown in a new rule's field. */
  initial: string;
  /** Shown in an empty text field. */
  placeholder?: string;
  /** May be left empty. */
  optional?: boolean;
  hint?: string;
}

/** What an enum parameter's values say in the form. */
const OPTION_WORDS: Record<string, string> = {
  'previous-4-weeks': 'the previous 4 weeks',
  'last-year': 'the same week last year',
  above: 'Unusually high',
  below: 'Unusually low',
  both: 'High or low',
  day: 'a day',
  month: 'a month',
  warn: 'Warns or fails',
  fail: 'Fails',
  database: 'Database',
  disk: 'Free disk space',
  queue: 'Import queue',
  'stuck-jobs': 'Stuck imports',
  'failed-imports': 'Failed imports',
  rollup: 'Roll-ups',
  carbon: 'Grid carbon intensity',
  'stale-meters': 'Meters without recent data',
  updates: 'Updates',
};

/** A few parameters need a line of explanation under them. */
const HINTS: Record<string, string> = {
  'halfhour-kw-above:kw': 'Demand is a half-hour’s kWh × 2.',
  'out-of-hours-share-above:share':
    'Use outside the site’s opening hours, at weekends and on holidays, over a week (Monday to Sunday).',
  'exception:direction':
    'Against the same weekday over the previous 8 weeks: outside the larger of 3 standard deviations and 10 %.',
  'data-missing:halfHours': 'Give either or both.',
  'capacity-share-above:share': 'A month’s highest half-hour demand against the meter’s agreed capacity (kVA).',
  'health:check': 'Any check, or one as the Health page lists it.',
};

/** A percentage for a 0–1 share: 0.3 → "30", 0.125 → "12.5". */
const percentText = (v: number): string => String(Math.round(v * 100 * 1e6) / 1e6);

/**
 * A kind's parameters as the form asks for them, made from the rules' own definitions
 * (src-shared/domain/alert-rules.ts): "Daily use above (kWh)" is the label "Daily use above" with
 * "kWh" after the input.
 */
export function paramFields(kind: AlertKind): ParamField[] {
  return RULE_PARAMS[kind].map((p): ParamField => {
    const m = /^(.*?)\s*\(([^)]*)\)$/.exec(p.label);
    const label = m ? m[1]! : p.label;
    const paren = m?.[2];
    const hint = HINTS[`${kind}:${p.name}`];
    const base = { name: p.name, label, optional: !p.required, ...(hint ? { hint } : {}) };
    const initial = p.default === undefined ? '' : String(p.default);
    switch (p.spec.type) {
      case 'number':
        return { ...base, type: p.spec.integer ? 'whole' : 'number', unit: paren ?? p.spec.unit, initial };
      case 'share':
        return {
          ...base,
          type: 'percent',
          unit: paren ? `% ${paren.replace(/^share /, '')}` : '%',
          initial: typeof p.default === 'number' ? percentText(p.default) : '',
        };
      case 'enum':
        return {
          ...base,
          type: 'choice',
          options: p.spec.values.map((v) => ({ value: v, label: OPTION_WORDS[v] ?? v })),
          initial,
        };
      case 'text':
        return { ...base, type: 'text', initial, ...(paren ? { placeholder: paren } : {}) };
    }
  });
}

/** The editor's state: every input as typed. */
export interface RuleDraft {
  id: string;
  name: string;
  kind: AlertKind;
  scope: Scope;
  meter: string;
  /** A site's id as text ('' when none is chosen). */
  site: string;
  severity: AlertSeverity;
  channels: AlertChannel[];
  enabled: boolean;
  params: Record<string, string>;
}

/** A new rule of a kind, with the kind's usual parameters. */
export function newDraft(kind: AlertKind = 'daily-kwh-above'): RuleDraft {
  return {
    id: '',
    name: '',
    kind,
    scope: scopesOf(kind)[0]!,
    meter: '',
    site: '',
    severity: 'warning',
    channels: ['tray'],
    enabled: true,
    params: Object.fromEntries(paramFields(kind).map((f) => [f.name, f.initial])),
  };
}

/** The draft with another kind: the new kind's parameters, its scope kept where it may have it. */
export function changeKind(d: RuleDraft, kind: AlertKind): RuleDraft {
  const fresh = newDraft(kind);
  return {
    ...d,
    kind,
    scope: scopesOf(kind).includes(d.scope) ? d.scope : fresh.scope,
    params: Object.fromEntries(paramFields(kind).map((f) => [f.name, d.params[f.name] ?? f.initial])),
  };
}

/** A saved rule as the form shows it. */
export function draftOfRule(rule: AlertRule): RuleDraft {
  const params: Record<string, string> = {};
  for (const f of paramFields(rule.kind)) {
    const v = rule[f.name];
    params[f.name] =
      v === undefined || v === null ? '' : f.type === 'percent' && typeof v === 'number' ? percentText(v) : String(v);
  }
  return {
    id: rule.id,
    name: rule.name ?? '',
    kind: rule.kind,
    scope: rule.meter ? 'meter' : rule.site !== undefined ? 'site' : 'all',
    meter: rule.meter ?? '',
    site: rule.site !== undefined ? String(rule.site) : '',
    severity: rule.severity,
    channels: [...rule.channels],
    enabled: rule.enabled,
    params,
  };
}

const FIGURE = /^-?\d+(\.\d+)?$/;

/** A rule id made from its name: "School out-of-hours use" → "school-out-of-hours-use". */
export function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
}

/**
 * The rule to save from the form, or a message per field (named as the rule names it) for what the
 * form itself can tell is wrong; the core checks the rest.
 */
export function ruleOfDraft(
  d: RuleDraft,
): { ok: true; rule: Record<string, unknown> } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const rule: Record<string, unknown> = {
    id: d.id.trim() || slugOf(d.name),
    kind: d.kind,
    severity: d.severity,
    channels: d.channels,
    enabled: d.enabled,
  };
  if (!rule.id) errors.id = 'Give the rule a name or a short id, e.g. school-daily-use';
  if (d.name.trim()) rule.name = d.name.trim();
  if (d.scope === 'meter') {
    if (!d.meter) errors.meter = 'Choose a meter';
    rule.meter = d.meter;
  } else if (d.scope === 'site') {
    if (!d.site) errors.site = 'Choose a site';
    rule.site = Number(d.site);
  } else rule.all = true;
  for (const f of paramFields(d.kind)) {
    const text = (d.params[f.name] ?? '').trim().replace(/,/g, '');
    if (text === '') {
      if (!f.optional) errors[f.name] = f.type === 'choice' ? 'Choose one' : 'Enter a number';
      continue;
    }
    if (f.type === 'choice' || f.type === 'text') {
      rule[f.name] = text;
      continue;
    }
    if (!FIGURE.test(text)) {
      errors[f.name] = f.type === 'whole' ? 'Enter a whole number, e.g. 4' : 'Enter a number, e.g. 500';
      continue;
    }
    const n = Number(text);
    if (f.type === 'whole' && !Number.isInteger(n)) errors[f.name] = 'Enter a whole number, e.g. 4';
    else if (f.type === 'percent' && (n <= 0 || n > 100)) errors[f.name] = 'Enter a percentage from 1 to 100';
    else rule[f.name] = f.type === 'percent' ? Math.round(n * 1e4) / 1e6 : n;
  }
  if (d.kind === 'data-missing' && !errors.days && rule.days === undefined && rule.halfHours === undefined)
    errors.days = 'Give a number of days, of half-hours, or both';
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, rule };
}

/** A refused rule's problems (INVALID_ARGS details `{ problems }`), or null when the error is something else. */
export function ruleProblems(e: unknown): AlertRuleProblem[] | null {
  if (!(e instanceof AppError) || e.code !== 'INVALID_ARGS') return null;
  const d = e.details as { problems?: unknown } | undefined;
  return Array.isArray(d?.problems) ? (d.problems as AlertRuleProblem[]) : null;
}

/** Problems as a message per field ('' for those naming none); the first message for a field wins. */
export function problemsByField(problems: readonly AlertRuleProblem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of problems) {
    const key = p.field ?? '';
    if (!(key in out)) out[key] = p.message;
  }
  return out;
}

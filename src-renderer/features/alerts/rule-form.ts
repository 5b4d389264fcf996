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
import { CO2 } from '../../lib/format';
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
  /** May be left empty. */
  optional?: boolean;
  hint?: string;
}

const COMPARE = [
  { value: 'previous-4-weeks', label: 'the previous 4 weeks' },
  { value: 'last-year', label: 'the same week last year' },
] as const;
const DIRECTION = [
  { value: 'above', label: 'Unusually high' },
  { value: 'below', label: 'Unusually low' },
  { value: 'both', label: 'High or low' },
] as const;
const PER = [
  { value: 'day', label: 'a day' },
  { value: 'month', label: 'a month' },
] as const;
const LEVEL = [
  { value: 'warn', label: 'Warns or fails' },
  { value: 'fail', label: 'Fails' },
] as const;

const carbon: ParamField[] = [
  { name: 'gco2', label: 'Carbon intensity', unit: `g${CO2}/kWh`, type: 'number', initial: '' },
  {
    name: 'halfHours',
    label: 'For at least',
    unit: 'half-hours in a row',
    type: 'whole',
    initial: '4',
    hint: 'How long the forecast must stay past the limit (4 half-hours = 2 hours).',
  },
];

/** Each kind's parameters, in the order the form shows them. */
export const KIND_PARAMS: Record<AlertKind, readonly ParamField[]> = {
  'daily-kwh-above': [{ name: 'kwh', label: 'A day’s use above', unit: 'kWh', type: 'number', initial: '' }],
  'halfhour-kw-above': [
    { name: 'kw', label: 'Demand above', unit: 'kW', type: 'number', initial: '' },
    {
      name: 'consecutive',
      label: 'For at least',
      unit: 'half-hours in a row',
      type: 'whole',
      initial: '1',
      hint: 'Demand is a half-hour’s kWh × 2.',
    },
  ],
  'out-of-hours-share-above': [
    {
      name: 'share',
      label: 'Out-of-hours share above',
      unit: '% of a week’s use',
      type: 'percent',
      initial: '',
      hint: 'Use outside the site’s opening hours, at weekends and on holidays, over a week (Monday to Sunday).',
    },
  ],
  'baseload-increase': [
    { name: 'percent', label: 'Baseload up more than', unit: '%', type: 'number', initial: '20' },
    { name: 'compare', label: 'Compared with', type: 'choice', options: COMPARE, initial: 'previous-4-weeks' },
  ],
  exception: [
    {
      name: 'direction',
      label: 'A day’s use',
      type: 'choice',
      options: DIRECTION,
      initial: 'above',
      hint: 'Against the same weekday over the previous 8 weeks: outside the larger of 3 standard deviations and 10 %.',
    },
  ],
  'data-missing': [
    { name: 'days', label: 'No readings for', unit: 'days', type: 'whole', initial: '2', optional: true },
    {
      name: 'halfHours',
      label: 'Or a day missing',
      unit: 'half-hours or more',
      type: 'whole',
      initial: '',
      optional: true,
      hint: 'Give either or both.',
    },
  ],
  'zero-run': [{ name: 'halfHours', label: 'Zero use for', unit: 'half-hours in a row', type: 'whole', initial: '4' }],
  'cost-above': [
    { name: 'gbp', label: 'Cost above', unit: '£', type: 'number', initial: '' },
    { name: 'per', label: 'Per', type: 'choice', options: PER, initial: 'day' },
  ],
  'capacity-share-above': [
    {
      name: 'share',
      label: 'Peak demand above',
      unit: '% of agreed capacity',
      type: 'percent',
      initial: '90',
      hint: 'A month’s highest half-hour demand against the meter’s agreed capacity (kVA).',
    },
  ],
  'import-failed': [],
  health: [
    {
      name: 'check',
      label: 'Check',
      type: 'text',
      initial: '',
      optional: true,
      hint: 'Empty: any check. Otherwise a check’s name as the Health page lists it.',
    },
    { name: 'level', label: 'When it', type: 'choice', options: LEVEL, initial: 'fail' },
  ],
  'carbon-intensity-below': carbon,
  'carbon-intensity-above': carbon,
};

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
    params: Object.fromEntries(KIND_PARAMS[kind].map((f) => [f.name, f.initial])),
  };
}

/** The draft with another kind: the new kind's parameters, its scope kept where it may have it. */
export function changeKind(d: RuleDraft, kind: AlertKind): RuleDraft {
  const fresh = newDraft(kind);
  return {
    ...d,
    kind,
    scope: scopesOf(kind).includes(d.scope) ? d.scope : fresh.scope,
    params: Object.fromEntries(KIND_PARAMS[kind].map((f) => [f.name, d.params[f.name] ?? f.initial])),
  };
}

/** A percentage for a 0–1 share: 0.3 → "30", 0.125 → "12.5". */
const percentText = (v: number): string => String(Math.round(v * 100 * 1e6) / 1e6);

/** A saved rule as the form shows it. */
export function draftOfRule(rule: AlertRule): RuleDraft {
  const params: Record<string, string> = {};
  for (const f of KIND_PARAMS[rule.kind]) {
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
  for (const f of KIND_PARAMS[d.kind]) {
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

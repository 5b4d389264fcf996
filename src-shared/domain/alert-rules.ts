/**
 * Alert rules as people write them (docs/alerts.md): one flat object per rule — `id`, `kind`, a
 * scope (`meter`, `site` or `"all": true`), `severity`, `channels`, and the kind's parameters by
 * name. Checked field by field so a rule file's problems can be listed by rule and field, and put in
 * one canonical form (common spellings of parameters accepted, stored under one name). Shared by
 * the core (rule files, alerts.saveRule) and the renderer (the rule editor, words for each rule).
 */
import {
  ALERT_KINDS,
  HEALTH_CHECKS,
  type AlertChannel,
  type AlertKind,
  type AlertRule,
  type AlertRuleProblem,
  type AlertSeverity,
} from '../contract/types';
import { parseMeterId } from './meter-id';

export const SEVERITIES: readonly AlertSeverity[] = ['info', 'warning', 'critical'];
export const CHANNELS: readonly AlertChannel[] = ['tray', 'email', 'slack', 'webhook'];
/** Kinds about the system rather than a meter's readings: always for everything. */
export const SYSTEM_KINDS: readonly AlertKind[] = ['import-failed', 'health'];
export const CARBON_KINDS: readonly AlertKind[] = ['carbon-intensity-below', 'carbon-intensity-above'];

type ParamType =
  | { type: 'number'; min?: number; max?: number; integer?: boolean; unit: string }
  | { type: 'share' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'text'; max: number };

interface ParamSpec {
  name: string;
  label: string;
  /** Other spellings accepted in a rule file. */
  aliases?: readonly string[];
  required?: boolean;
  default?: number | string;
  spec: ParamType;
}

const positive = (unit: string, integer = false): ParamType => ({ type: 'number', min: 0, unit, integer });
const count = (unit: string): ParamType => ({ type: 'number', min: 1, max: 100_000, integer: true, unit });

/** Each kind's parameters: name, words, accepted spellings, default. */
export const KIND_PARAMS: Record<AlertKind, readonly ParamSpec[]> = {
  'daily-kwh-above': [{ name: 'kwh', label: 'Daily use above (kWh)', required: true, spec: positive('kWh') }],
  'halfhour-kw-above': [
    { name: 'kw', label: 'Demand above (kW)', required: true, spec: positive('kW') },
    {
      name: 'consecutive',
      label: 'For at least (consecutive half-hours)',
      aliases: ['halfHours', 'n', 'count'],
      default: 1,
      spec: count('half-hours'),
    },
  ],
  'out-of-hours-share-above': [
    { name: 'share', label: 'Out-of-hours share above', aliases: ['percent'], required: true, spec: { type: 'share' } },
  ],
  'baseload-increase': [
    { name: 'percent', label: 'Baseload up by more than (%)', required: true, spec: positive('%') },
    {
      name: 'compare',
      label: 'Compared with',
      aliases: ['vs', 'against'],
      default: 'previous-4-weeks',
      spec: { type: 'enum', values: ['previous-4-weeks', 'last-year'] },
    },
  ],
  exception: [
    {
      name: 'direction',
      label: 'Days that are',
      default: 'both',
      spec: { type: 'enum', values: ['above', 'below', 'both'] },
    },
  ],
  'data-missing': [
    { name: 'days', label: 'No reading for (days)', spec: count('days') },
    { name: 'halfHours', label: 'Or a gap of at least (half-hours)', aliases: ['gap'], spec: count('half-hours') },
  ],
  'zero-run': [
    {
      name: 'halfHours',
      label: 'Zero readings for at least (half-hours)',
      aliases: ['consecutive', 'n'],
      default: 4,
      spec: count('half-hours'),
    },
  ],
  'cost-above': [
    {
      name: 'gbp',
      label: 'Cost above (£)',
      aliases: ['pounds', 'amount', 'cost'],
      required: true,
      spec: positive('£'),
    },
    {
      name: 'per',
      label: 'Per',
      aliases: ['period'],
      default: 'day',
      spec: { type: 'enum', values: ['day', 'month'] },
    },
  ],
  'capacity-share-above': [
    {
      name: 'share',
      label: 'Peak above (share of capacity)',
      aliases: ['percent'],
      required: true,
      spec: { type: 'share' },
    },
  ],
  'import-failed': [],
  health: [
    { name: 'check', label: 'Check', spec: { type: 'enum', values: HEALTH_CHECKS } },
    {
      name: 'level',
      label: 'When it turns',
      aliases: ['status'],
      default: 'warn',
      spec: { type: 'enum', values: ['warn', 'fail'] },
    },
  ],
  'carbon-intensity-below': [
    {
      name: 'gco2',
      label: 'Forecast at or under (gCO₂/kWh)',
      aliases: ['intensity', 'gco2PerKwh', 'threshold'],
      required: true,
      spec: positive('gCO₂/kWh'),
    },
    {
      name: 'halfHours',
      label: 'For at least (consecutive half-hours)',
      aliases: ['consecutive', 'window'],
      default: 1,
      spec: count('half-hours'),
    },
  ],
  'carbon-intensity-above': [
    {
      name: 'gco2',
      label: 'Forecast at or over (gCO₂/kWh)',
      aliases: ['intensity', 'gco2PerKwh', 'threshold'],
      required: true,
      spec: positive('gCO₂/kWh'),
    },
    {
      name: 'halfHours',
      label: 'For at least (consecutive half-hours)',
      aliases: ['consecutive', 'window'],
      default: 1,
      spec: count('half-hours'),
    },
  ],
};

/** What each kind watches, in words. */
export const KIND_LABELS: Record<AlertKind, string> = {
  'daily-kwh-above': 'Daily use above a limit',
  'halfhour-kw-above': 'Half-hourly demand above a limit',
  'out-of-hours-share-above': 'Out-of-hours share above a limit (weekly)',
  'baseload-increase': 'Baseload increase (weekly)',
  exception: 'Unusual day (exception band)',
  'data-missing': 'Data missing',
  'zero-run': 'Run of zero readings',
  'cost-above': 'Cost above a limit',
  'capacity-share-above': 'Peak demand near agreed capacity (monthly)',
  'import-failed': 'Import failed',
  health: 'System health',
  'carbon-intensity-below': 'Low-carbon window ahead',
  'carbon-intensity-above': 'High-carbon window ahead',
};

const COMMON = new Set(['id', 'kind', 'name', 'meter', 'site', 'all', 'severity', 'channels', 'enabled']);

/** The ordinal in words for problem messages: 1st, 2nd, 3rd, 4th… */
export function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
}

const describe = (v: unknown): string =>
  v === null ? 'null' : typeof v === 'string' ? `"${v.length > 40 ? v.slice(0, 40) + '…' : v}"` : JSON.stringify(v);

/**
 * Checks one rule; returns the canonical rule, or the problems (each naming its field). `index` is
 * the rule's place in its file (0-based).
 */
export function parseRule(raw: unknown, index = 0): { rule: AlertRule | null; problems: AlertRuleProblem[] } {
  const problems: AlertRuleProblem[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      rule: null,
      problems: [{ index, rule: null, field: null, message: 'Expected a rule as an object { "id": …, "kind": … }' }],
    };
  }
  const o = raw as Record<string, unknown>;
  const id = typeof o.id === 'string' ? o.id.trim() : typeof o.id === 'number' ? String(o.id) : null;
  const bad = (field: string | null, message: string) => problems.push({ index, rule: id, field, message });

  if (id === null || id === '') bad('id', 'Expected an id, e.g. "r1" (letters, digits, - _ .)');
  else if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(id))
    bad('id', `Expected an id of letters, digits, "-", "_" or "." (at most 64), not ${describe(o.id)}`);

  const kind = o.kind as AlertKind;
  const knownKind = typeof o.kind === 'string' && (ALERT_KINDS as readonly string[]).includes(o.kind);
  if (!knownKind)
    bad('kind', `Expected one of ${ALERT_KINDS.join(', ')}${o.kind === undefined ? '' : `, not ${describe(o.kind)}`}`);

  // scope: exactly one of meter, site, all
  const scopes = (['meter', 'site', 'all'] as const).filter(
    (k) => o[k] !== undefined && o[k] !== null && o[k] !== false,
  );
  let meter: string | undefined;
  let site: number | undefined;
  let all = false;
  if (scopes.length > 1) bad(scopes[1]!, `Give one of "meter", "site" or "all": true, not ${scopes.join(' and ')}`);
  else if (scopes.length === 0) {
    if (knownKind && (SYSTEM_KINDS.includes(kind) || CARBON_KINDS.includes(kind))) all = true;
    else bad('meter', 'Expected "meter": "MPAN or MPRN", "site": site id, or "all": true');
  } else if (scopes[0] === 'meter') {
    if (typeof o.meter !== 'string' && typeof o.meter !== 'number')
      bad('meter', "Expected the meter's MPAN or MPRN as text");
    else {
      const parsed = parseMeterId(String(o.meter));
      if (parsed.ok) meter = parsed.id;
      else bad('meter', parsed.reason);
    }
  } else if (scopes[0] === 'site') {
    if (typeof o.site !== 'number' || !Number.isInteger(o.site) || o.site < 1)
      bad('site', `Expected a site's id (a whole number, see "eclectyc sites list"), not ${describe(o.site)}`);
    else site = o.site;
  } else if (o.all !== true) bad('all', `Expected "all": true, not ${describe(o.all)}`);
  else all = true;
  if (knownKind && SYSTEM_KINDS.includes(kind) && (meter !== undefined || site !== undefined))
    bad(
      meter !== undefined ? 'meter' : 'site',
      `${kind === 'health' ? 'A' : 'An'} ${kind} rule watches the whole system: give "all": true`,
    );
  if (knownKind && CARBON_KINDS.includes(kind) && meter !== undefined)
    bad('meter', `A ${kind} rule watches the grid's forecast: give "site" (its region) or "all": true (national)`);

  const severity = (o.severity ?? 'warning') as AlertSeverity;
  if (!SEVERITIES.includes(severity))
    bad('severity', `Expected one of ${SEVERITIES.join(', ')}, not ${describe(o.severity)}`);

  let channels: AlertChannel[] = ['tray'];
  if (o.channels !== undefined) {
    if (!Array.isArray(o.channels)) bad('channels', 'Expected a list of channels, e.g. ["tray", "email"]');
    else {
      const unknown = o.channels.filter((c) => !CHANNELS.includes(c as AlertChannel));
      if (unknown.length > 0)
        bad('channels', `Expected channels among ${CHANNELS.join(', ')}, not ${unknown.map(describe).join(', ')}`);
      channels = [...new Set(o.channels as AlertChannel[])];
    }
  }
  if (o.enabled !== undefined && typeof o.enabled !== 'boolean') bad('enabled', 'Expected true or false');
  if (o.name !== undefined && (typeof o.name !== 'string' || o.name.length > 120))
    bad('name', 'Expected a name of at most 120 characters');

  const params: Record<string, number | string> = {};
  if (knownKind) {
    const specs = KIND_PARAMS[kind];
    const claimed = new Set<string>();
    for (const p of specs) {
      const names = [p.name, ...(p.aliases ?? [])].filter((n) => o[n] !== undefined && o[n] !== null);
      names.forEach((n) => claimed.add(n));
      if (names.length > 1) {
        bad(names[1]!, `"${names[0]}" and "${names[1]}" are the same setting: give one`);
        continue;
      }
      const field = names[0];
      if (field === undefined) {
        if (p.required) bad(p.name, `Expected "${p.name}" (${p.label.toLowerCase()})`);
        else if (p.default !== undefined) params[p.name] = p.default;
        continue;
      }
      const v = o[field];
      const s = p.spec;
      if (s.type === 'number') {
        if (typeof v !== 'number' || !Number.isFinite(v))
          bad(field, `Expected a number (${s.unit}), not ${describe(v)}`);
        else if (s.integer && !Number.isInteger(v)) bad(field, `Expected a whole number of ${s.unit}, not ${v}`);
        else if (s.min !== undefined && (s.min === 0 ? v <= 0 : v < s.min))
          bad(field, `Expected ${s.min === 0 ? 'more than 0' : `at least ${s.min}`} ${s.unit}, not ${v}`);
        else if (s.max !== undefined && v > s.max) bad(field, `Expected at most ${s.max} ${s.unit}, not ${v}`);
        else params[p.name] = v;
      } else if (s.type === 'share') {
        // a share 0–1, or a percentage (above 1, up to 100) as people often write it
        if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 100)
          bad(field, `Expected a share between 0 and 1 (e.g. 0.4 for 40 %), not ${describe(v)}`);
        else params[p.name] = field === 'percent' || v > 1 ? v / 100 : v;
      } else if (s.type === 'enum') {
        if (typeof v !== 'string' || !s.values.includes(v))
          bad(field, `Expected one of ${s.values.join(', ')}, not ${describe(v)}`);
        else params[p.name] = v;
      } else if (typeof v !== 'string' || v.trim() === '' || v.length > s.max) bad(field, 'Expected a short name');
      else params[p.name] = v.trim();
    }
    if (kind === 'data-missing' && params.days === undefined && params.halfHours === undefined && !problems.length)
      bad('days', 'Expected "days" (no reading for N days) or "halfHours" (a gap of at least N half-hours), or both');
    for (const k of Object.keys(o))
      if (!COMMON.has(k) && !claimed.has(k)) {
        const known = specs.map((p) => p.name);
        bad(k, `Unknown setting for ${kind}${known.length ? `: expected ${known.join(', ')}` : ': it takes none'}`);
      }
  }
  if (problems.length > 0) return { rule: null, problems };
  const rule: AlertRule = {
    id: id!,
    kind,
    ...(typeof o.name === 'string' && o.name.trim() ? { name: o.name.trim() } : {}),
    ...(meter !== undefined ? { meter } : site !== undefined ? { site } : all ? { all: true as const } : {}),
    ...params,
    severity,
    channels,
    enabled: o.enabled !== false,
  };
  return { rule, problems };
}

/**
 * A rule file's text: `{ "rules": [ … ] }` (or a bare list). Returns every rule, or every problem
 * (rule ids must be unique in a file).
 */
export function parseRuleFile(text: string): { rules: AlertRule[]; problems: AlertRuleProblem[] } {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    let where = '';
    if (m) {
      const before = text.slice(0, Number(m[1]));
      const line = before.split('\n').length;
      where = ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
    }
    return {
      rules: [],
      problems: [
        { index: -1, rule: null, field: null, message: `The file is not valid JSON${where}: ${(e as Error).message}` },
      ],
    };
  }
  const list = Array.isArray(data) ? data : (data as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(list))
    return {
      rules: [],
      problems: [{ index: -1, rule: null, field: 'rules', message: 'Expected { "rules": [ … ] }: a list of rules' }],
    };
  const rules: AlertRule[] = [];
  const problems: AlertRuleProblem[] = [];
  const seen = new Map<string, number>();
  list.forEach((raw, i) => {
    const r = parseRule(raw, i);
    problems.push(...r.problems);
    const id = (raw as { id?: unknown } | null)?.id;
    if (typeof id === 'string' || typeof id === 'number') {
      const first = seen.get(String(id).trim());
      if (first !== undefined)
        problems.push({
          index: i,
          rule: String(id).trim(),
          field: 'id',
          message: `The id "${String(id).trim()}" is already used by the ${ordinal(first + 1)} rule in the file`,
        });
      else seen.set(String(id).trim(), i);
    }
    if (r.rule) rules.push(r.rule);
  });
  return { rules: problems.length ? [] : rules, problems };
}

/** A problem in words: "Rule r2 (2nd in the file), field kwh: …". */
export function problemText(p: AlertRuleProblem): string {
  const where =
    p.index < 0
      ? ''
      : `Rule ${p.rule ? `${p.rule} (${ordinal(p.index + 1)} in the file)` : `${ordinal(p.index + 1)} in the file`}`;
  const field = p.field ? `${where ? ', ' : ''}field ${p.field}` : '';
  return `${where}${field}${where || field ? ': ' : ''}${p.message}`;
}

/** The kind's parameters of a rule (those of KIND_PARAMS, in order). */
export function ruleParams(rule: AlertRule): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const p of KIND_PARAMS[rule.kind]) {
    const v = rule[p.name];
    if (typeof v === 'number' || typeof v === 'string') out[p.name] = v;
  }
  return out;
}

const n = (x: unknown): string =>
  typeof x === 'number' ? x.toLocaleString('en-GB', { maximumFractionDigits: 3 }) : '?';
const pct = (x: unknown): string => (typeof x === 'number' ? `${Math.round(x * 1000) / 10} %` : '?');

/** The rule's condition in words: "Daily use above 500 kWh". */
export function ruleSummary(rule: AlertRule): string {
  const r = rule as Record<string, unknown>;
  switch (rule.kind) {
    case 'daily-kwh-above':
      return `Daily use above ${n(r.kwh)} kWh`;
    case 'halfhour-kw-above':
      return `Demand above ${n(r.kw)} kW${Number(r.consecutive) > 1 ? ` for ${n(r.consecutive)} half-hours in a row` : ''}`;
    case 'out-of-hours-share-above':
      return `Out-of-hours share above ${pct(r.share)} in a week`;
    case 'baseload-increase':
      return `Baseload up more than ${n(r.percent)} % on ${r.compare === 'last-year' ? 'the same week last year' : 'the previous 4 weeks'}`;
    case 'exception':
      return `A day ${r.direction === 'above' ? 'above' : r.direction === 'below' ? 'below' : 'outside'} its usual band`;
    case 'data-missing':
      return [
        r.days !== undefined ? `no reading for ${n(r.days)} ${r.days === 1 ? 'day' : 'days'}` : null,
        r.halfHours !== undefined ? `a gap of ${n(r.halfHours)} half-hours or more` : null,
      ]
        .filter(Boolean)
        .join(', or ')
        .replace(/^./, (c) => c.toUpperCase());
    case 'zero-run':
      return `${n(r.halfHours)} or more zero readings in a row`;
    case 'cost-above':
      return `Cost above £${n(r.gbp)} a ${r.per === 'month' ? 'month' : 'day'}`;
    case 'capacity-share-above':
      return `Peak demand above ${pct(r.share)} of agreed capacity in a month`;
    case 'import-failed':
      return 'An import fails';
    case 'health':
      return `${typeof r.check === 'string' ? `The ${r.check} check` : 'A health check'} turns ${r.level === 'fail' ? 'fail' : 'warn or fail'}`;
    case 'carbon-intensity-below':
      return `Grid carbon forecast at or under ${n(r.gco2)} gCO₂/kWh${Number(r.halfHours) > 1 ? ` for ${n(r.halfHours)} half-hours` : ''}`;
    case 'carbon-intensity-above':
      return `Grid carbon forecast at or over ${n(r.gco2)} gCO₂/kWh${Number(r.halfHours) > 1 ? ` for ${n(r.halfHours)} half-hours` : ''}`;
  }
}

/**
 * Alert rules and alerts (docs/alerts.md). Rules are judged after every import's roll-up (the
 * meters it changed), on a 15-minute schedule (and on demand: alerts.check), when a health check
 * changes state and when an import fails. Each finding is one alert per rule, subject and period
 * (a unique index), so re-imports, restarts and repeated checks never raise it twice; an open alert
 * whose condition no longer holds for a period that was looked at again is resolved automatically.
 * New alerts are handed to the delivery service (tray, email, Slack, webhook).
 */
import type Database from 'better-sqlite3';
import { AppError } from '../../../src-shared/contract/errors';
import type {
  Alert,
  AlertChannel,
  AlertCheckResult,
  AlertCounts,
  AlertKind,
  AlertRule,
  AlertRuleImportResult,
  AlertSeverity,
  AlertStatus,
} from '../../../src-shared/contract/types';
import { parseRule, parseRuleFile, ruleParams } from '../../../src-shared/domain/alert-rules';
import { isoUtc } from '../../../src-shared/domain/london-time';
import {
  dateOfDay,
  dayFromDate,
  isoDay,
  localDayOf,
  MONTH_ABBR,
  MONTH_NAMES,
  nextPeriodStart,
  parsePeriod,
  periodLabel,
} from '../../../src-shared/domain/periods';
import type { AnalyticsService } from '../analytics/analytics-service';
import { dailyFactsIn, dayClasses, rangeDays } from '../analytics/compute';
import type { Clock } from '../clock';
import type { EventBus, Logger } from '../events';
import type { MeterService } from '../meters/meter-service';
import type { ReadingsStore } from '../readings/store';
import type { CostService } from '../tariffs/costing';
import {
  baseloadIncrease,
  capacityShareAbove,
  costPeriods,
  dailyKwhAbove,
  dayText,
  exceptionDays,
  halfHourKwAbove,
  isoMinute,
  links,
  num,
  outOfHoursShareAbove,
  gapFindings,
  runsIn,
  spanText,
  zeroFindings,
  str,
  whenText,
  type Finding,
  type Judgement,
  type MeterDays,
  type Runs,
} from './evaluate';

/** Hands new alerts to their channels (the delivery service). */
export interface AlertDeliverer {
  enqueue(alerts: Alert[]): void;
}

/** How often rules are judged in the background. */
export const CHECK_MINUTES = 15;
/** Failed imports looked at by a check (older failures were reported when they happened). */
const IMPORT_LOOKBACK_S = 7 * 86400;
/** How far ahead carbon forecasts are looked at, and how far back for a window already under way. */
const CARBON_AHEAD_S = 48 * 3600;
const CARBON_BEHIND_S = 24 * 3600;

type RuleRow = {
  id: string;
  kind: string;
  name: string | null;
  meter: string | null;
  site_id: number | null;
  params: string;
  severity: AlertSeverity;
  channels: string;
  enabled: number;
};

type AlertRow = {
  id: number;
  rule_id: string;
  kind: string;
  subject: string;
  period: string;
  severity: AlertSeverity;
  status: AlertStatus;
  fired_at: number;
  message: string;
  value: number | null;
  threshold: number | null;
  unit: string | null;
  link: string | null;
  meter_id: number | null;
  site_id: number | null;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  note: string | null;
  resolved_at: number | null;
  resolved_by: string | null;
  snoozed_until: number | null;
  channels: string;
};

/** What an evaluation covers (docs/alerts.md, "When rules are judged"). */
interface RunOptions {
  at?: number;
  kinds?: AlertKind[];
  meterIds?: Set<number>;
  /** The meters whose readings changed since the last evaluation (after a roll-up). */
  changedOnly?: boolean;
  dataOnly?: boolean;
  scheduled?: boolean;
}

/** A subject's findings from one rule, with what was looked at. */
interface Outcome {
  rule: AlertRule;
  subject: string;
  meterId: number | null;
  siteId: number | null;
  judgement: Judgement;
}

const iso = (s: number | null): string | null => (s === null ? null : isoUtc(s));

const shortDay = (day: number): string => `${dateOfDay(day).d} ${MONTH_ABBR[dateOfDay(day).m - 1]}`;

/** A period in words: "Mon 6 Jan 2025", "Week 2, 2025 (6–12 Jan)", "January 2025", "from Mon 6 Jan 2025 10:30". */
export function periodWords(period: string): string {
  let d: number | null;
  if ((d = parsePeriod('day', period)) !== null) return dayText(d);
  if ((d = parsePeriod('week', period)) !== null) {
    const [y, w] = period.split('-W');
    return `Week ${Number(w)}, ${y} (${shortDay(d)} – ${shortDay(d + 6)})`;
  }
  if ((d = parsePeriod('month', period)) !== null) {
    const { y, m } = dateOfDay(d);
    return `${MONTH_NAMES[m - 1]} ${y}`;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$/.test(period)) return `From ${whenText(Date.parse(period) / 1000)}`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z\/\.\.$/.test(period))
    return `Since ${whenText(Date.parse(period.slice(0, -3)) / 1000)}`;
  if (/^job-\d+$/.test(period)) return `Import job ${period.slice(4)}`;
  return period;
}

export class AlertService {
  private busy: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private deliverer: AlertDeliverer | null = null;
  /** The readings, day and rules of the last check of every meter (a scheduled check may skip unchanged work). */
  private lastWhole = '';
  private readonly unsubscribe: () => void;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly readings: ReadingsStore,
    private readonly meters: MeterService,
    private readonly analytics: Pick<AnalyticsService, 'analysed'>,
    private readonly costing: Pick<CostService, 'cost'>,
    private readonly clock: Clock,
    private readonly events: EventBus,
    private readonly log: Logger,
  ) {
    this.unsubscribe = events.subscribe((e) => {
      if (this.stopped) return;
      if (e.event === 'aggregation.completed' && e.payload.run.status === 'done') void this.afterChange();
      else if (e.event === 'imports.updated' && e.payload.job.status === 'failed' && !e.payload.job.dryRun)
        void this.run({ kinds: ['import-failed'] });
      else if (e.event === 'health.changed' && e.payload.changes.length > 0) void this.run({ kinds: ['health'] });
    });
  }

  /** Where new alerts go (the delivery service); without one they only reach the inbox and the tray event. */
  deliverTo(d: AlertDeliverer): void {
    this.deliverer = d;
  }

  private now(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  // ------------------------------------------------------------------ rules

  rules(): AlertRule[] {
    return (this.sqlite.prepare('SELECT * FROM alert_rules ORDER BY id').all() as RuleRow[]).map(toRule);
  }

  rule(id: string): AlertRule {
    const r = this.sqlite.prepare('SELECT * FROM alert_rules WHERE id = ?').get(id) as RuleRow | undefined;
    if (!r) throw new AppError('NOT_FOUND', `No alert rule "${id}"`);
    return toRule(r);
  }

  /**
   * Checks a rule's site exists. A meter need not be known yet: rules are often set up before the
   * data collector's first file arrives (its MPAN's check digit was checked with the rule).
   */
  private checkScope(rule: AlertRule, index: number): { field: string; message: string; index: number } | null {
    if (rule.site !== undefined) {
      const known = this.sqlite.prepare('SELECT 1 FROM sites WHERE id = ?').get(rule.site);
      if (!known) return { index, field: 'site', message: `No site ${rule.site}: see "eclectyc sites list"` };
    }
    return null;
  }

  /** Creates or replaces one rule (renaming it from `previousId`). */
  saveRule(raw: Record<string, unknown>, previousId?: string): AlertRule {
    const { rule, problems } = parseRule(raw);
    const scope = rule ? this.checkScope(rule, 0) : null;
    if (!rule || scope) {
      const all = scope ? [{ ...scope, rule: rule!.id }] : problems;
      throw new AppError(
        'INVALID_ARGS',
        all.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('; '),
        {
          problems: all,
        },
      );
    }
    this.sqlite.transaction(() => {
      if (previousId !== undefined && previousId !== rule.id) {
        const prev = this.sqlite.prepare('SELECT kind, generation FROM alert_rules WHERE id = ?').get(previousId) as
          { kind: string; generation: number } | undefined;
        if (!prev) throw new AppError('NOT_FOUND', `No alert rule "${previousId}" to rename`);
        const taken = this.sqlite.prepare('SELECT 1 FROM alert_rules WHERE id = ?').get(rule.id)
          ? `A rule "${rule.id}" already exists: choose another id`
          : this.sqlite.prepare('SELECT 1 FROM alerts WHERE rule_id = ? LIMIT 1').get(rule.id)
            ? `Alerts of an earlier rule "${rule.id}" are kept under that id: choose another id`
            : null;
        if (taken)
          throw new AppError('CONFLICT', taken, {
            problems: [{ index: 0, rule: rule.id, field: 'id', message: taken }],
          });
        this.sqlite.prepare('DELETE FROM alert_rules WHERE id = ?').run(previousId);
        this.sqlite.prepare('UPDATE alerts SET rule_id = ? WHERE rule_id = ?').run(rule.id, previousId);
        this.upsert(rule, prev);
      } else this.upsert(rule);
    })();
    this.scheduleSoon();
    return this.rule(rule.id);
  }

  /**
   * Creates or replaces a rule. Its generation (part of every alert's identity) carries on while
   * the rule keeps its kind; a new kind, or an id whose earlier rule was removed, starts a new one,
   * so the earlier alerts stay as history and the rule's findings are raised afresh. `previous`: the
   * rule as it was under the id it is being renamed from.
   */
  private upsert(rule: AlertRule, previous?: { kind: string; generation: number }): 'created' | 'updated' {
    const now = this.now();
    const row =
      previous ??
      (this.sqlite.prepare('SELECT kind, generation FROM alert_rules WHERE id = ?').get(rule.id) as
        { kind: string; generation: number } | undefined);
    const generation = row
      ? row.kind === rule.kind
        ? row.generation
        : row.generation + 1
      : 1 +
        (this.sqlite
          .prepare('SELECT coalesce(max(rule_generation), 0) FROM alerts WHERE rule_id = ?')
          .pluck()
          .get(rule.id) as number);
    if (row && row.generation !== generation)
      this.sqlite
        .prepare(
          `UPDATE alerts SET status = 'resolved', resolved_at = ?, resolved_by = 'rule changed',
             note = coalesce(note, 'The rule now watches for something else') WHERE rule_id = ? AND status != 'resolved'`,
        )
        .run(now, rule.id);
    this.sqlite
      .prepare(
        `INSERT INTO alert_rules (id, kind, name, meter, site_id, params, severity, channels, enabled, generation,
           created_at, updated_at)
         VALUES (@id, @kind, @name, @meter, @site, @params, @severity, @channels, @enabled, @generation, @now, @now)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, meter = excluded.meter,
           site_id = excluded.site_id, params = excluded.params, severity = excluded.severity,
           channels = excluded.channels, enabled = excluded.enabled, generation = excluded.generation,
           updated_at = excluded.updated_at`,
      )
      .run({
        id: rule.id,
        kind: rule.kind,
        name: rule.name ?? null,
        meter: rule.meter ?? null,
        site: rule.site ?? null,
        params: JSON.stringify(ruleParams(rule)),
        severity: rule.severity,
        channels: JSON.stringify(rule.channels),
        enabled: rule.enabled ? 1 : 0,
        generation,
        now,
      });
    return row && !previous ? 'updated' : 'created';
  }

  /** Removes a rule; its open alerts are resolved (the history stays). */
  deleteRule(id: string, actor: string): { removed: boolean } {
    const removed = this.sqlite.transaction(() => {
      const n = this.sqlite.prepare('DELETE FROM alert_rules WHERE id = ?').run(id).changes;
      if (n > 0)
        this.sqlite
          .prepare(
            "UPDATE alerts SET status = 'resolved', resolved_at = ?, resolved_by = ?, note = coalesce(note, 'The rule was removed') WHERE rule_id = ? AND status != 'resolved'",
          )
          .run(this.now(), actor, id);
      return n > 0;
    })();
    if (removed) this.changed([]);
    return { removed };
  }

  /** A rule file, all or nothing. */
  importRules(text: string, opts: { replace?: boolean; dryRun?: boolean } = {}): AlertRuleImportResult {
    const parsed = parseRuleFile(text);
    const problems = [...parsed.problems];
    parsed.rules.forEach((r, i) => {
      const p = this.checkScope(r, i);
      if (p) problems.push({ ...p, rule: r.id });
    });
    if (problems.length > 0)
      throw new AppError(
        'INVALID_ARGS',
        `The rule file has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was changed`,
        { problems },
      );
    const existing = new Set(this.rules().map((r) => r.id));
    const inFile = new Set(parsed.rules.map((r) => r.id));
    const result: AlertRuleImportResult = {
      created: parsed.rules.filter((r) => !existing.has(r.id)).length,
      updated: parsed.rules.filter((r) => existing.has(r.id)).length,
      removed: opts.replace ? [...existing].filter((id) => !inFile.has(id)).length : 0,
      rules: parsed.rules,
    };
    if (opts.dryRun) return result;
    this.sqlite.transaction(() => {
      for (const r of parsed.rules) this.upsert(r);
      if (opts.replace)
        for (const id of existing)
          if (!inFile.has(id)) {
            this.sqlite.prepare('DELETE FROM alert_rules WHERE id = ?').run(id);
            this.sqlite
              .prepare(
                "UPDATE alerts SET status = 'resolved', resolved_at = ?, resolved_by = 'rule file', note = coalesce(note, 'The rule was removed') WHERE rule_id = ? AND status != 'resolved'",
              )
              .run(this.now(), id);
          }
    })();
    this.scheduleSoon();
    return { ...result, rules: this.rules().filter((r) => inFile.has(r.id)) };
  }

  // ------------------------------------------------------------------ alerts

  list(
    f: {
      status?: AlertStatus;
      severity?: AlertSeverity;
      rule?: string;
      kind?: string;
      meter?: string;
      siteId?: number;
      includeSnoozed?: boolean;
      limit?: number;
    } = {},
  ): Alert[] {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, v: unknown): void => {
      where.push(sql);
      args.push(v);
    };
    if (f.status) add('a.status = ?', f.status);
    if (f.severity) add('a.severity = ?', f.severity);
    if (f.rule) add('a.rule_id = ?', f.rule);
    if (f.kind) add('a.kind = ?', f.kind);
    if (f.meter) add('a.subject = ?', f.meter.replace(/\s+/g, ''));
    if (f.siteId) add('a.site_id = ?', f.siteId);
    if (!f.includeSnoozed) add('(a.snoozed_until IS NULL OR a.snoozed_until <= ?)', this.now());
    const rows = this.sqlite
      .prepare(
        `SELECT a.* FROM alerts a ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.fired_at DESC, a.id DESC LIMIT ?`,
      )
      .all(...args, f.limit ?? 500) as AlertRow[];
    const labels = new Map<string, string>();
    return rows.map((r) => this.toAlert(r, labels));
  }

  get(id: number): Alert {
    const r = this.sqlite.prepare('SELECT * FROM alerts WHERE id = ?').get(id) as AlertRow | undefined;
    if (!r) throw new AppError('NOT_FOUND', `No alert ${id}`);
    return this.toAlert(r);
  }

  /** The alert for a delivery retried after a restart (null when it is gone). */
  find(id: number): Alert | null {
    const r = this.sqlite.prepare('SELECT * FROM alerts WHERE id = ?').get(id) as AlertRow | undefined;
    return r ? this.toAlert(r) : null;
  }

  /**
   * Open alerts (not acknowledged, resolved or snoozed, as the inbox counts them) per meter id, and per
   * site id: a meter's alerts count at the site the meter is on now, a site's own alerts at that site.
   */
  openCounts(): { byMeter: Map<number, number>; bySite: Map<number, number> } {
    const rows = this.sqlite
      .prepare(
        `SELECT a.meter_id, CASE WHEN a.meter_id IS NULL THEN a.site_id ELSE m.site_id END, count(*)
         FROM alerts a LEFT JOIN meters m ON m.id = a.meter_id
         WHERE a.status = 'open' AND (a.snoozed_until IS NULL OR a.snoozed_until <= ?) GROUP BY 1, 2`,
      )
      .raw()
      .all(this.now()) as [number | null, number | null, number][];
    const byMeter = new Map<number, number>();
    const bySite = new Map<number, number>();
    for (const [meter, site, n] of rows) {
      if (meter !== null) byMeter.set(meter, (byMeter.get(meter) ?? 0) + n);
      if (site !== null) bySite.set(site, (bySite.get(site) ?? 0) + n);
    }
    return { byMeter, bySite };
  }

  counts(): AlertCounts {
    const now = this.now();
    const rows = this.sqlite
      .prepare(
        `SELECT status, severity, (snoozed_until IS NOT NULL AND snoozed_until > ?) AS snoozed, count(*) AS n
         FROM alerts WHERE status != 'resolved' GROUP BY 1, 2, 3`,
      )
      .all(now) as { status: AlertStatus; severity: AlertSeverity; snoozed: number; n: number }[];
    const checked = this.sqlite.prepare("SELECT value FROM settings WHERE key = 'alertsCheckedAt'").pluck().get() as
      string | undefined;
    const c: AlertCounts = {
      open: 0,
      acknowledged: 0,
      snoozed: 0,
      bySeverity: { info: 0, warning: 0, critical: 0 },
      lastCheckAt: checked === undefined ? null : iso(Number(checked)),
    };
    for (const r of rows) {
      if (r.snoozed) c.snoozed += r.n;
      else if (r.status === 'acknowledged') c.acknowledged += r.n;
      else {
        c.open += r.n;
        c.bySeverity[r.severity] += r.n;
      }
    }
    return c;
  }

  ack(id: number, actor: string, note?: string): Alert {
    const a = this.get(id);
    if (a.status === 'resolved') throw new AppError('CONFLICT', `Alert ${id} is already resolved`);
    if (a.status === 'acknowledged')
      throw new AppError(
        'CONFLICT',
        `Alert ${id} was acknowledged by ${a.acknowledgedBy ?? 'someone'} at ${a.acknowledgedAt ?? 'an earlier time'}`,
      );
    this.sqlite
      .prepare(
        "UPDATE alerts SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?, note = coalesce(?, note) WHERE id = ?",
      )
      .run(this.now(), actor, note ?? null, id);
    this.changed([]);
    return this.get(id);
  }

  resolve(id: number, actor: string, note?: string): Alert {
    const a = this.get(id);
    if (a.status === 'resolved') throw new AppError('CONFLICT', `Alert ${id} is already resolved`);
    this.sqlite
      .prepare(
        "UPDATE alerts SET status = 'resolved', resolved_at = ?, resolved_by = ?, note = coalesce(?, note) WHERE id = ?",
      )
      .run(this.now(), actor, note ?? null, id);
    this.changed([]);
    return this.get(id);
  }

  /** Snoozes until the start of a UK local day (null: wake now). */
  snooze(id: number, until: string | null): Alert {
    const a = this.get(id);
    if (a.status === 'resolved') throw new AppError('CONFLICT', `Alert ${id} is resolved: there is nothing to snooze`);
    let at: number | null = null;
    if (until !== null) {
      const day = localDayOf(Date.parse(until) / 1000);
      const start = /^\d{4}-\d{2}-\d{2}$/.test(until.trim())
        ? localStartOf(until.trim())
        : Math.floor(Date.parse(until) / 1000);
      if (start <= this.now()) throw new AppError('INVALID_ARGS', `Snooze until a day after today, not ${isoDay(day)}`);
      at = start;
    }
    this.sqlite.prepare('UPDATE alerts SET snoozed_until = ? WHERE id = ?').run(at, id);
    this.changed([]);
    return this.get(id);
  }

  private toAlert(r: AlertRow, labels?: Map<string, string>): Alert {
    const key = `${r.meter_id}|${r.site_id}|${r.kind}|${r.subject}`;
    let subjectLabel = labels?.get(key);
    if (subjectLabel === undefined) {
      subjectLabel = this.subjectLabel(r);
      labels?.set(key, subjectLabel);
    }
    return {
      id: r.id,
      rule: r.rule_id,
      kind: r.kind as AlertKind,
      subject: r.subject,
      subjectLabel,
      severity: r.severity,
      status: r.status,
      firedAt: iso(r.fired_at)!,
      period: r.period,
      periodLabel: periodWords(r.period),
      message: r.message,
      value: r.value,
      threshold: r.threshold,
      unit: r.unit,
      link: r.link,
      meter: r.meter_id !== null ? r.subject : null,
      siteId: r.site_id,
      acknowledgedAt: iso(r.acknowledged_at),
      acknowledgedBy: r.acknowledged_by,
      note: r.note,
      resolvedAt: iso(r.resolved_at),
      resolvedBy: r.resolved_by,
      snoozedUntil: iso(r.snoozed_until),
      channels: JSON.parse(r.channels) as AlertChannel[],
    };
  }

  private subjectLabel(r: AlertRow): string {
    if (r.meter_id !== null) {
      const m = this.sqlite
        .prepare('SELECT m.label, s.name AS site FROM meters m LEFT JOIN sites s ON s.id = m.site_id WHERE m.id = ?')
        .get(r.meter_id) as { label: string | null; site: string | null } | undefined;
      const extra = [m?.label, m?.site].filter((x) => x).join(', ');
      return extra ? `${r.subject} · ${extra}` : r.subject;
    }
    if (r.kind === 'health') return `Health check: ${r.subject}`;
    if (r.kind === 'import-failed') return `Import of ${r.subject}`;
    if (r.subject === 'national') return 'GB grid (national)';
    if (r.site_id !== null) {
      const s = this.sqlite.prepare('SELECT name FROM sites WHERE id = ?').pluck().get(r.site_id) as string | undefined;
      return s ? `Grid at ${s}` : r.subject;
    }
    return r.subject;
  }

  /**
   * Resolves the open alerts of `meterIds` about periods (a day, week, month or run of half-hours) that no
   * longer hold any reading: a roll-back or a deletion took them, so the condition cannot hold. Alerts about
   * missing data stay: no readings is what they are about. Returns how many were resolved.
   */
  private resolveWithoutReadings(meterIds: number[]): number {
    const open = this.sqlite.prepare(
      "SELECT id, period FROM alerts WHERE meter_id = ? AND status != 'resolved' AND kind != 'data-missing'",
    );
    const resolve = this.sqlite.prepare(
      "UPDATE alerts SET status = 'resolved', resolved_at = ?, resolved_by = NULL WHERE id = ?",
    );
    let resolved = 0;
    this.sqlite.transaction(() => {
      for (const meterId of meterIds)
        for (const a of open.all(meterId) as { id: number; period: string }[]) {
          const days = periodDays(a.period);
          if (!days || this.readings.dayCounts(meterId, days[0], days[1]).days > 0) continue;
          resolve.run(this.now(), a.id);
          resolved++;
        }
    })();
    if (resolved > 0) this.changed([]);
    return resolved;
  }

  /** Tells renderers the counts changed (and which alerts fired now). */
  private changed(fired: Alert[]): void {
    this.events.emit('alerts.changed', { counts: this.counts(), fired });
  }

  // ------------------------------------------------------------------ evaluation

  /** Starts the 15-minute schedule (a first check straight away). */
  start(): void {
    this.stopped = false;
    const tick = (): void => {
      this.timer = setTimeout(tick, CHECK_MINUTES * 60 * 1000);
      this.timer.unref();
      void this.run({ scheduled: true });
    };
    tick();
  }

  /** Stops the schedule and waits for a check in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.unsubscribe();
    await this.idle();
  }

  /** Resolves when no evaluation is running or queued. */
  async idle(): Promise<void> {
    for (let b = this.busy; ; b = this.busy) {
      await b;
      if (b === this.busy) return;
    }
  }

  private scheduleSoon(): void {
    if (!this.stopped && this.timer) void this.run({});
  }

  /** Every enabled rule, every meter, as at `at` (default now). */
  check(at?: string): Promise<AlertCheckResult> {
    return this.run({ at: at === undefined ? undefined : Math.floor(Date.parse(at) / 1000) });
  }

  /** After a roll-up: the meters whose readings changed since the last evaluation. */
  private afterChange(): Promise<AlertCheckResult> {
    return this.run({ changedOnly: true, dataOnly: true });
  }

  private run(o: RunOptions): Promise<AlertCheckResult> {
    const job = this.busy.then(() => this.evaluate(o));
    this.busy = job.catch((e: unknown) => this.log.error('alert check failed', e));
    return job;
  }

  private async evaluate(o: RunOptions): Promise<AlertCheckResult> {
    const at = o.at ?? this.now();
    // the readings' change sequence first: meters changed after it are judged again next time
    const seq = this.readings.currentSeq();
    if (o.changedOnly) {
      const since = Number(
        this.sqlite.prepare("SELECT value FROM settings WHERE key = 'alertsSeq'").pluck().get() ?? '0',
      );
      o = { ...o, meterIds: new Set(this.readings.changedSince(since).map((c) => c.meterId)) };
    }
    let rules = this.rules().filter((r) => r.enabled && (!o.kinds || o.kinds.includes(r.kind)));
    if (o.dataOnly) rules = rules.filter((r) => !SYSTEM_KINDS_SET.has(r.kind) && !CARBON_SET.has(r.kind));
    const outcomes: Outcome[] = [];
    let meterRules = rules.filter((r) => !SYSTEM_KINDS_SET.has(r.kind) && !CARBON_SET.has(r.kind));
    // a scheduled check with the same readings, rules and day as the last whole check: only what the
    // clock alone changes (no reading for N days) can have moved
    const stamp = `${seq}|${localDayOf(at)}|${JSON.stringify(meterRules)}|${this.settingsFingerprint()}`;
    if (o.scheduled && stamp === this.lastWhole)
      meterRules = meterRules
        .filter((r) => r.kind === 'data-missing' && r.days !== undefined)
        // gaps between readings have not moved: only the time since the last reading has
        .map(({ halfHours: _gaps, ...r }) => r as AlertRule);
    else if (!o.meterIds && !o.kinds) this.lastWhole = stamp;
    if (meterRules.length > 0 && (!o.meterIds || o.meterIds.size > 0))
      await this.judgeMeters(meterRules, at, o.meterIds ?? null, outcomes);
    for (const r of rules) {
      if (r.kind === 'import-failed') outcomes.push(...this.judgeImports(r, at));
      else if (r.kind === 'health') outcomes.push(...this.judgeHealth(r));
      else if (CARBON_SET.has(r.kind)) outcomes.push(this.judgeCarbon(r, at));
    }
    const result = this.apply(outcomes, at, !o.kinds && !o.meterIds ? meterRules : []);
    // readings taken away since (a roll-back, a deletion): alerts about periods left without any resolve
    if (o.changedOnly && o.meterIds) result.resolved += this.resolveWithoutReadings([...o.meterIds]);
    if (!o.kinds && !o.meterIds)
      this.sqlite
        .prepare(
          "INSERT INTO settings (key, value) VALUES ('alertsCheckedAt', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .run(String(this.now()));
    if (!o.kinds || o.dataOnly)
      this.sqlite
        .prepare(
          "INSERT INTO settings (key, value) VALUES ('alertsSeq', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .run(String(seq));
    return { ...result, rules: rules.length };
  }

  /**
   * The start of the meter's last reading before `at`: its latest reading when that is earlier,
   * else found in the days from `to` (the day `at` falls in) or, failing that, in `v`.
   */
  private lastBefore(
    meterId: number,
    last: number,
    at: number,
    to: number,
    v: MeterDays['v'],
    cal: MeterDays['cal'],
  ): number {
    if (last < at) return last;
    const today = this.readings.readDays(meterId, to, localDayOf(at) + 1);
    const days = rangeDays(to, localDayOf(at) + 1);
    let found = NaN;
    for (let i = 0; i < today.days.length; i++)
      for (let k = today.offsets[i]!; k < today.offsets[i + 1]!; k++) {
        const ts = days.start[today.days[i]! - to]! + (k - today.offsets[i]!) * 1800;
        if (ts < at && today.values[k] === today.values[k]) found = ts;
      }
    return found === found ? found : lastValueTs(v, cal);
  }

  /**
   * What else a meter rule's findings depend on besides readings and rules: sites and their hours,
   * closures, meters' sites and capacities, tariffs and their assignments. A scheduled check skips
   * the meter rules only while this and the readings are unchanged.
   */
  private settingsFingerprint(): string {
    return JSON.stringify(
      this.sqlite
        .prepare(
          `SELECT (SELECT count(*) || ':' || coalesce(sum(id * 7 + coalesce(site_id, 0) * 13 + coalesce(capacity_kva, 0)), 0) FROM meters),
                  (SELECT group_concat(id || coalesce(opening_hours, '') || generation, '|') FROM sites),
                  (SELECT count(*) || ':' || coalesce(sum(from_day + to_day * 3 + site_id), 0) FROM site_closures),
                  (SELECT count(*) || ':' || coalesce(max(updated_at), 0) FROM tariffs),
                  (SELECT count(*) || ':' || coalesce(sum(length(spec) + valid_from), 0) FROM tariff_versions),
                  (SELECT count(*) || ':' || coalesce(sum(pence), 0) FROM tariff_prices),
                  (SELECT count(*) || ':' || coalesce(max(assigned_at), 0) || ':' || coalesce(sum(from_day), 0)
                     FROM tariff_assignments)`,
        )
        .raw()
        .get(),
    );
  }

  /** Reads each watched meter's days once and judges every rule that watches it. */
  private async judgeMeters(rules: AlertRule[], at: number, only: Set<number> | null, out: Outcome[]): Promise<void> {
    const rows = this.meters.analysisRows();
    const spans = this.readings.spans();
    const atDay = localDayOf(at);
    // days over by `at`: before the local day it falls in
    let n = 0;
    for (const row of rows) {
      if (only && !only.has(row.id)) continue;
      const watching = rules.filter(
        (r) => r.all || r.meter === row.identifier || (r.site !== undefined && r.site === row.siteId),
      );
      if (watching.length === 0) continue;
      const span = this.readings.valueSpan(row.id);
      if (!span || !spans.has(row.id)) continue;
      // every day of its data that is over by `at`
      const from = localDayOf(span.first);
      const to = Math.min(atDay, localDayOf(span.last) + 1);
      if (to <= from) continue;
      // "no reading for N days" alone needs only the latest reading
      const lastOnly = span.last < at && watching.every((r) => r.kind === 'data-missing' && r.halfHours === undefined);
      const v = lastOnly ? EMPTY_DAYS : this.readings.readDays(row.id, from, to);
      const cal = rangeDays(from, lastOnly ? from : to);
      const am = lastOnly ? null : this.analytics.analysed(row);
      const f = dailyFactsIn(v, cal, am ? dayClasses(cal, am.classing) : [], am?.classing.generation ?? false);
      const m: MeterDays = {
        identifier: row.identifier,
        capacityKva: row.capacityKva,
        v,
        f,
        cal,
        from,
        to,
        at,
        firstTs: span.first,
        lastTs: this.lastBefore(row.id, span.last, at, to, v, cal),
      };
      let runs: Runs | null = null;
      const runsOf = (): Runs => (runs ??= runsIn(m));
      for (const rule of watching) {
        const j = this.judgeMeter(rule, m, runsOf);
        if (j) out.push({ rule, subject: row.identifier, meterId: row.id, siteId: row.siteId, judgement: j });
      }
      // let the host breathe between meters (the desktop's main process answers the window meanwhile)
      if (++n % 25 === 0) await new Promise((r) => setImmediate(r));
    }
  }

  private judgeMeter(rule: AlertRule, m: MeterDays, runs: () => Runs): Judgement | null {
    switch (rule.kind) {
      case 'daily-kwh-above':
        return dailyKwhAbove(m, num(rule, 'kwh'));
      case 'halfhour-kw-above':
        return halfHourKwAbove(m, num(rule, 'kw'), num(rule, 'consecutive', 1));
      case 'out-of-hours-share-above':
        return outOfHoursShareAbove(m, num(rule, 'share'));
      case 'baseload-increase':
        return baseloadIncrease(
          m,
          num(rule, 'percent'),
          str<'previous-4-weeks' | 'last-year'>(rule, 'compare', 'previous-4-weeks'),
        );
      case 'exception':
        return exceptionDays(m, str<'above' | 'below' | 'both'>(rule, 'direction', 'both'));
      case 'capacity-share-above':
        return capacityShareAbove(m, num(rule, 'share'));
      case 'zero-run':
        return { findings: zeroFindings(m, runs(), num(rule, 'halfHours', 4)), checked: () => true };
      case 'data-missing':
        return judgeMissing(rule, m, runs);
      case 'cost-above':
        return this.judgeCost(rule, m);
      default:
        return null;
    }
  }

  /** cost-above: each day's or month's cost on the meter's tariffs (meters without a tariff are skipped). */
  private judgeCost(rule: AlertRule, m: MeterDays): Judgement | null {
    const gbp = num(rule, 'gbp');
    const per = str<'day' | 'month'>(rule, 'per', 'day');
    const findings: Finding[] = [];
    const checked = new Set<string>();
    for (const p of costPeriods(m.from, m.to, per)) {
      // days without readings are not priced as a day of standing charges
      let present = 0;
      for (let d = p.a; d < p.b; d++) present += m.f.present[d - m.f.fromDay]!;
      if (present === 0) continue;
      let pounds: number;
      try {
        pounds = this.costing.cost(m.identifier, p.a, p.b).totalPence / 100;
      } catch (e) {
        if (e instanceof AppError && (e.code === 'NOT_FOUND' || e.code === 'BAD_INPUT')) return null;
        throw e;
      }
      checked.add(p.period);
      if (!(pounds > gbp)) continue;
      const x = Math.round(pounds * 100) / 100;
      findings.push({
        period: p.period,
        day: p.a,
        message: `Cost £${x.toFixed(2)} ${per === 'month' ? `in the month${p.b - p.a < 28 ? ' so far' : ''}` : 'in the day'} (VAT included), above the limit of £${gbp.toFixed(2)}`,
        value: x,
        threshold: gbp,
        unit: '£',
        link: per === 'month' ? links.analysis(m.identifier, p.a, p.b) : links.day(m.identifier, p.a),
      });
    }
    return { findings, checked: (p) => checked.has(p) };
  }

  /** import-failed: imports that failed for good in the week before `at` (one subject per file). */
  private judgeImports(rule: AlertRule, at: number): Outcome[] {
    const since = Math.min(at, this.now()) - IMPORT_LOOKBACK_S;
    const jobs = this.sqlite
      .prepare(
        "SELECT id, file_name, status, last_error, finished_at FROM import_jobs WHERE dry_run = 0 AND finished_at >= ? AND status IN ('failed', 'done')",
      )
      .all(since) as {
      id: number;
      file_name: string;
      status: string;
      last_error: string | null;
      finished_at: number;
    }[];
    // a job retried to success resolves its alert
    return jobs.map((j) => ({
      rule,
      subject: j.file_name,
      meterId: null,
      siteId: null,
      judgement: {
        findings:
          j.status === 'failed'
            ? [
                {
                  period: `job-${j.id}`,
                  day: localDayOf(j.finished_at),
                  message: `${j.file_name} could not be imported: ${j.last_error ?? 'the import failed'}`,
                  value: null,
                  threshold: null,
                  unit: null,
                  link: '#/imports',
                },
              ]
            : [],
        checked: (p: string) => p === `job-${j.id}`,
      },
    }));
  }

  /** health: checks whose latest state is at or beyond the rule's level. */
  private judgeHealth(rule: AlertRule): Outcome[] {
    const level = str<'warn' | 'fail'>(rule, 'level', 'warn');
    const check = typeof rule.check === 'string' ? rule.check : null;
    const latest = this.sqlite
      .prepare(
        'SELECT h."check" AS name, h.status, h.detail, h.at FROM health_history h WHERE h.id = (SELECT max(id) FROM health_history WHERE "check" = h."check")',
      )
      .all() as { name: string; status: 'ok' | 'warn' | 'fail'; detail: string; at: number }[];
    return latest
      .filter((c) => check === null || c.name === check)
      .map((c) => {
        const hit = c.status === 'fail' || (c.status === 'warn' && level === 'warn');
        return {
          rule,
          subject: c.name,
          meterId: null,
          siteId: null,
          judgement: {
            findings: hit
              ? [
                  {
                    period: isoMinute(c.at),
                    day: localDayOf(c.at),
                    message: `${c.name} is ${c.status === 'fail' ? 'failing' : 'warning'}: ${c.detail}`,
                    value: null,
                    threshold: null,
                    unit: null,
                    link: '#/health',
                  },
                ]
              : [],
            checked: () => true,
          },
        };
      });
  }

  /** carbon-intensity-below/-above: forecast windows in the next 48 hours at or beyond the limit. */
  private judgeCarbon(rule: AlertRule, at: number): Outcome {
    const gco2 = num(rule, 'gco2');
    const minLen = num(rule, 'halfHours', 1);
    const below = rule.kind === 'carbon-intensity-below';
    const region =
      rule.site !== undefined
        ? ((this.sqlite.prepare('SELECT region_id FROM sites WHERE id = ?').pluck().get(rule.site) as number | null) ??
          null)
        : null;
    // from a day back, so a window already under way keeps its first half-hour (its period)
    const from = Math.floor(at / 1800) * 1800 - CARBON_BEHIND_S;
    const until = Math.ceil(at / 1800) * 1800 + CARBON_AHEAD_S;
    const rows = (
      region !== null
        ? this.sqlite
            .prepare(
              'SELECT ts, forecast AS g FROM carbon_regional WHERE region_id = ? AND ts >= ? AND ts < ? ORDER BY ts',
            )
            .all(region, from, until)
        : this.sqlite
            .prepare(
              'SELECT ts, coalesce(forecast, actual) AS g FROM carbon_national WHERE ts >= ? AND ts < ? ORDER BY ts',
            )
            .all(from, until)
    ) as { ts: number; g: number | null }[];
    const findings: Finding[] = [];
    let run: { ts: number; g: number }[] = [];
    const close = (): void => {
      const end = run.length ? run[run.length - 1]!.ts + 1800 : 0;
      // a window over by `at` is not news (and its open alert resolves)
      if (run.length >= minLen && end > at) {
        const start = run[0]!.ts;
        const lo = Math.min(...run.map((x) => x.g));
        const hi = Math.max(...run.map((x) => x.g));
        const mean = Math.round(run.reduce((s, x) => s + x.g, 0) / run.length);
        findings.push({
          period: isoMinute(start),
          day: localDayOf(start),
          message:
            `${below ? 'A good time to use power' : 'A time to avoid heavy use'}: ${whenText(start)} to ` +
            `${whenText(end).split(' ').pop()}, forecast ${lo === hi ? lo : `${lo}–${hi}`} gCO₂/kWh ` +
            `(${below ? 'at or under' : 'at or over'} ${gco2})`,
          value: mean,
          threshold: gco2,
          unit: 'gCO₂/kWh',
          link: '#/carbon',
        });
      }
      run = [];
    };
    for (const r of rows) {
      const ok = r.g !== null && (below ? r.g <= gco2 : r.g >= gco2);
      const contiguous = run.length === 0 || r.ts === run[run.length - 1]!.ts + 1800;
      if (!ok || !contiguous) close();
      if (ok) run.push({ ts: r.ts, g: r.g! });
    }
    close();
    return {
      rule,
      subject: region !== null ? `region-${region}` : 'national',
      meterId: null,
      siteId: rule.site ?? null,
      judgement: {
        findings,
        // every window starting in the hours looked at: one that has ended or no longer holds resolves
        checked: (p) => /^\d{4}-.*Z$/.test(p) && Date.parse(p) / 1000 >= from,
      },
    };
  }

  /**
   * Writes the outcomes: new findings open alerts, held ones are refreshed (never sent again),
   * automatically resolved ones that hold again reopen, and open alerts of checked periods that no
   * longer hold are resolved. Carbon windows that have passed are resolved too.
   */
  private apply(outcomes: Outcome[], at: number, wholeRules: AlertRule[]): Omit<AlertCheckResult, 'rules'> {
    const now = this.now();
    const fired: number[] = [];
    let resolved = 0;
    let unchanged = 0;
    const generation = new Map(
      this.sqlite.prepare('SELECT id, generation FROM alert_rules').raw().all() as [string, number][],
    );
    const find = this.sqlite.prepare(
      'SELECT * FROM alerts WHERE rule_id = ? AND rule_generation = ? AND subject = ? AND period = ?',
    );
    const insert = this.sqlite.prepare(
      `INSERT INTO alerts (rule_id, rule_generation, kind, subject, period, severity, status, fired_at, message, value,
         threshold, unit, link, meter_id, site_id, channels)
       VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const refresh = this.sqlite.prepare(
      'UPDATE alerts SET message = ?, value = ?, threshold = ?, unit = ?, link = ?, severity = ? WHERE id = ?',
    );
    const reopen = this.sqlite.prepare("UPDATE alerts SET status = 'open', resolved_at = NULL WHERE id = ?");
    const openOf = this.sqlite.prepare(
      "SELECT id, period FROM alerts WHERE rule_id = ? AND rule_generation = ? AND subject = ? AND status != 'resolved'",
    );
    const autoResolve = this.sqlite.prepare(
      "UPDATE alerts SET status = 'resolved', resolved_at = ?, resolved_by = NULL WHERE id = ?",
    );
    this.sqlite.transaction(() => {
      for (const o of outcomes) {
        const gen = generation.get(o.rule.id) ?? 1;
        const found = new Set<string>();
        for (const f of o.judgement.findings) {
          found.add(f.period);
          const row = find.get(o.rule.id, gen, o.subject, f.period) as AlertRow | undefined;
          if (!row) {
            const id = Number(
              insert.run(
                o.rule.id,
                gen,
                o.rule.kind,
                o.subject,
                f.period,
                o.rule.severity,
                now,
                f.message,
                f.value,
                f.threshold,
                f.unit,
                f.link,
                o.meterId,
                o.siteId,
                JSON.stringify(o.rule.channels),
              ).lastInsertRowid,
            );
            fired.push(id);
            continue;
          }
          if (row.status !== 'resolved' || row.resolved_by === null) unchanged++;
          // rewritten only when the figures moved (a re-import changed the day) or the rule's severity did
          if (
            row.message !== f.message ||
            row.value !== f.value ||
            row.threshold !== f.threshold ||
            row.link !== f.link ||
            row.severity !== o.rule.severity
          )
            refresh.run(f.message, f.value, f.threshold, f.unit, f.link, o.rule.severity, row.id);
          if (row.status === 'resolved' && row.resolved_by === null) reopen.run(row.id);
        }
        for (const r of openOf.all(o.rule.id, gen, o.subject) as { id: number; period: string }[]) {
          if (found.has(r.period) || !o.judgement.checked(r.period)) continue;
          autoResolve.run(now, r.id);
          resolved++;
        }
      }
      // a whole check: meter alerts of a rule that no longer watches their meter (its scope changed,
      // the meter left the site) resolve
      const rows = wholeRules.length > 0 ? this.meters.analysisRows() : [];
      for (const rule of wholeRules) {
        const watched = new Set(
          rows
            .filter(
              (m) => rule.all || rule.meter === m.identifier || (rule.site !== undefined && rule.site === m.siteId),
            )
            .map((m) => m.identifier),
        );
        const open = this.sqlite
          .prepare("SELECT id, subject FROM alerts WHERE rule_id = ? AND meter_id IS NOT NULL AND status != 'resolved'")
          .all(rule.id) as { id: number; subject: string }[];
        for (const a of open)
          if (!watched.has(a.subject)) {
            autoResolve.run(now, a.id);
            resolved++;
          }
      }
      // carbon windows that have passed
      resolved += this.sqlite
        .prepare(
          "UPDATE alerts SET status = 'resolved', resolved_at = ?, resolved_by = NULL WHERE kind IN ('carbon-intensity-below', 'carbon-intensity-above') AND status != 'resolved' AND period < ?",
        )
        .run(now, isoMinute(at - 24 * 3600)).changes;
    })();
    const labels = new Map<string, string>();
    const byId = this.sqlite.prepare('SELECT * FROM alerts WHERE id = ?');
    const alerts = fired.map((id) => this.toAlert(byId.get(id) as AlertRow, labels));
    if (alerts.length > 0) {
      const named = alerts.slice(0, 5).map((a) => `${a.rule} ${a.subject} ${a.period}`);
      const more = alerts.length > 5 ? `; and ${alerts.length - 5} more` : '';
      this.log.info(`${alerts.length} alert(s) fired: ${named.join('; ')}${more}`);
      this.deliverer?.enqueue(alerts);
    }
    if (alerts.length > 0 || resolved > 0) this.changed(alerts);
    return { at: iso(at)!, fired: alerts, resolved, unchanged };
  }
}

/** The UK local days [from, to) an alert's period covers: a day, an ISO week, a month, or instants; null otherwise. */
function periodDays(period: string): [number, number] | null {
  for (const kind of ['day', 'week', 'month'] as const) {
    const start = parsePeriod(kind, period);
    if (start !== null && periodLabel(kind, start) === period) return [start, nextPeriodStart(kind, start)];
  }
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?Z)(?:\/(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?Z))?$/.exec(
    period,
  );
  if (!m) return null;
  const from = localDayOf(Date.parse(m[1]!) / 1000);
  return [from, m[2] ? localDayOf(Date.parse(m[2]) / 1000 - 1) + 1 : from + 1];
}

const SYSTEM_KINDS_SET = new Set<AlertKind>(['import-failed', 'health']);
const EMPTY_DAYS: MeterDays['v'] = {
  days: new Int32Array(0),
  offsets: new Int32Array(1),
  values: new Float64Array(0),
  quality: new Uint8Array(0),
};
const CARBON_SET = new Set<AlertKind>(['carbon-intensity-below', 'carbon-intensity-above']);

/** data-missing: no reading for `days` days before `at`, and/or gaps of at least `halfHours`. */
function judgeMissing(rule: AlertRule, m: MeterDays, runs: () => Runs): Judgement {
  const findings: Finding[] = [];
  const days = typeof rule.days === 'number' ? rule.days : null;
  const halfHours = typeof rule.halfHours === 'number' ? rule.halfHours : null;
  const since = m.lastTs + 1800;
  if (days !== null && m.at - since >= days * 86400) {
    const idle = m.at - since;
    findings.push({
      period: `${isoMinute(since)}/..`,
      day: localDayOf(since),
      message:
        `No readings for ${spanText(Math.floor(idle / 1800))} (since ${whenText(since)}); ` +
        `the limit is ${days} day${days === 1 ? '' : 's'}`,
      value: Math.floor((idle / 86400) * 10) / 10,
      threshold: days,
      unit: 'days',
      link: links.at(m.identifier, Math.max(m.firstTs, since - 86400), 2),
    });
  }
  if (halfHours !== null) findings.push(...gapFindings(m, runs(), halfHours));
  return { findings, checked: (p) => (p.endsWith('/..') ? days !== null : halfHours !== null) };
}

/** UTC start of the last half-hour with a value in `v` (NaN: none). */
function lastValueTs(v: MeterDays['v'], cal: MeterDays['cal']): number {
  for (let i = v.days.length - 1; i >= 0; i--)
    for (let k = v.offsets[i + 1]! - 1; k >= v.offsets[i]!; k--)
      if (v.values[k] === v.values[k]) return cal.start[v.days[i]! - cal.fromDay]! + (k - v.offsets[i]!) * 1800;
  return NaN;
}

function toRule(r: RuleRow): AlertRule {
  return {
    id: r.id,
    kind: r.kind as AlertKind,
    ...(r.name ? { name: r.name } : {}),
    ...(r.meter !== null ? { meter: r.meter } : r.site_id !== null ? { site: r.site_id } : { all: true as const }),
    ...(JSON.parse(r.params) as Record<string, unknown>),
    severity: r.severity,
    channels: JSON.parse(r.channels) as AlertChannel[],
    enabled: r.enabled === 1,
  };
}

/** UTC seconds of the start of a UK local day `YYYY-MM-DD`. */
function localStartOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const day = dayFromDate(y, m, d);
  // the local midnight: the UTC instant whose local day is `day` at the earliest
  let t = day * 86400 - 3600;
  while (localDayOf(t) < day) t += 1800;
  return t;
}

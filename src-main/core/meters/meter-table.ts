/**
 * The portfolio tables (`meters.table`, `sites.table`): every meter, or every site, with this month's
 * and last year's kWh and £, completeness, current tariff, open alerts and the source that fed it —
 * for thousands of meters at once, so every figure comes from bulk reads: the readings store's sums
 * by meter (one query per range), the tariff assignments, alerts and jobs read once.
 *
 * The period is the dashboard's: the month to the portfolio's latest complete day (the median of
 * the meters' last complete days, at most yesterday; aggregation/totals.ts), against the same days a
 * year earlier; completeness counts the 30 days to that day.
 *
 * Two parts are slow for thousands of meters and are kept between calls, per meter: its span and
 * last complete day (a walk of its days), and its pence (its days read and priced as the Costs page
 * prices them: about 0.2 ms a meter and range). Each is redone only when what it depends on changed:
 * the meter's readings (the store's change numbers, by day range for the pence), its supplier,
 * capacity or tariff assignments, any tariff, or the period. docs/tables.md has the figures.
 */
import type { MeterRow, MeterSummary, SiteRow, TablePeriod } from '../../../src-shared/contract/types';
import { COMPLETE_DAY_HALF_HOURS, portfolioAnchor } from '../../../src-shared/domain/data-quality';
import {
  halfHoursBetween,
  isoDay,
  localDayOf,
  nextPeriodStart,
  periodStart,
  yearAgoStart,
} from '../../../src-shared/domain/periods';
import { priceAsBilled } from '../aggregation/dashboard';
import type { Services } from '../services';
import type { StoredTariff } from '../tariffs/tariff-store';
import type { MeterRow as MeterInfo, SpanReads } from './meter-service';

type Deps = Pick<
  Services,
  'sqlite' | 'readings' | 'meters' | 'totals' | 'costing' | 'tariffStore' | 'alerts' | 'clock'
>;

/** Completeness counts this many days to the portfolio's latest complete day. */
export const COMPLETENESS_DAYS = 30;

/** The table's day ranges (UK local day numbers, `to` exclusive). */
interface Ranges {
  from: number;
  to: number;
  lastYearFrom: number;
  lastYearTo: number;
  completenessFrom: number;
  completenessTo: number;
}

/** The ranges for the portfolio's anchor day: this month to it, the same days a year earlier, the 30 days to it. */
export function tableRanges(anchor: number): Ranges {
  const from = periodStart('month', anchor);
  const to = anchor + 1;
  const lastYearFrom = yearAgoStart('month', from);
  // 1–29 Feb against 1–28 Feb: never past the end of last year's month
  const lastYearTo = Math.min(lastYearFrom + (to - from), nextPeriodStart('month', lastYearFrom));
  return { from, to, lastYearFrom, lastYearTo, completenessFrom: to - COMPLETENESS_DAYS, completenessTo: to };
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const round4 = (x: number): number => Math.round(x * 10000) / 10000;

/** What the tables keep of a meter between calls; undefined: to be read or priced again. */
interface Kept {
  span: { first: number; last: number; count: number } | null | undefined;
  /** Its last complete day (any day), or null. */
  lastComplete: number | null;
  /** kWh this month and last year, present half-hours in the 30 days (null: no stored day there). */
  kwh: number | null | undefined;
  kwhLastYear: number | null | undefined;
  present: number | null | undefined;
  /** Its fuel, supplier, capacity and assignments, as its pence were priced on. */
  costKey: string;
  pence: number | null | undefined;
  penceLastYear: number | null | undefined;
  /** The first and last of its days changed since its sums were checked (null: none). */
  dirty: [from: number, to: number] | null;
}

type Sum = 'kwh' | 'kwhLastYear' | 'present';
type Assignments = ReturnType<Deps['tariffStore']['allAssignmentDays']>;

export class PortfolioTables {
  private readonly kept = new Map<number, Kept>();
  /** The store's change number `kept` is current to (-1: nothing kept). */
  private seq = -1;
  /** The ranges the kept sums and pence are for, and the tariffs the pence were priced on. */
  private rangesStamp = '';
  private tariffsStamp = '';

  constructor(private readonly s: Deps) {}

  /** Every meter's summary, as `meters.list` gives it (its span and last complete day kept between calls). */
  summaries(): MeterSummary[] {
    this.catchUp();
    return this.s.meters.list((ids) => this.spanReads(ids));
  }

  /** Every meter's row, in MPAN order. */
  meters(): { period: TablePeriod | null; rows: MeterRow[] } {
    const s = this.s;
    const summaries = this.summaries();
    const info = s.meters.analysisRows();
    const live = new Set(info.map((m) => m.id));
    for (const id of this.kept.keys()) if (!live.has(id)) this.kept.delete(id);
    // the anchor from the kept last complete days: only a meter with complete days after yesterday is asked again
    const cap = s.totals.asAtDay();
    const completes: number[] = [];
    const later: number[] = [];
    for (const m of info) {
      const d = this.kept.get(m.id)?.lastComplete ?? null;
      if (d !== null && d > cap) later.push(m.id);
      else if (d !== null) completes.push(d);
    }
    completes.push(...s.readings.lastCompleteDays(later, cap + 1, COMPLETE_DAY_HALF_HOURS).values());
    const anchor = portfolioAnchor(completes, cap);
    const r = anchor === null ? null : tableRanges(anchor);
    const assignments = s.tariffStore.allAssignmentDays();
    if (r) this.refresh(info, r, assignments);
    const expected = r ? halfHoursBetween(r.completenessFrom, r.completenessTo) : 0;
    const tariffs = this.currentTariffs(assignments);
    const alerts = s.alerts.openCounts().byMeter;
    const sources = this.sources();
    const idOf = new Map(info.map((m) => [m.identifier, m.id]));
    // a meter an import creates between the two reads waits for the next call
    const rows: MeterRow[] = [];
    for (const m of summaries) {
      const id = idOf.get(m.mpan);
      if (id === undefined) continue;
      const k = this.kept.get(id);
      // every field named (a spread makes slow dictionary objects: 30× slower for 5,000 rows)
      rows.push({
        mpan: m.mpan,
        label: m.label,
        siteId: m.siteId,
        kind: m.kind,
        fuel: m.fuel,
        site: m.site,
        firstReading: m.firstReading,
        lastReading: m.lastReading,
        readings: m.readings,
        supplier: m.supplier,
        capacityKva: m.capacityKva,
        lastCompleteDay: m.lastCompleteDay,
        serial: m.serial,
        tags: m.tags,
        tariff: tariffs.get(id) ?? null,
        completeness: m.lastReading === null || !r ? null : round4(Math.min(1, (k?.present ?? 0) / expected)),
        kwhMonth: r && k?.kwh != null ? round3(k.kwh) : null,
        kwhMonthLastYear: r && k?.kwhLastYear != null ? round3(k.kwhLastYear) : null,
        costMonthPence: (r && k?.pence) ?? null,
        costMonthLastYearPence: (r && k?.penceLastYear) ?? null,
        openAlerts: alerts.get(id) ?? 0,
        source: sources.get(id) ?? null,
      });
    }
    return { period: r && periodOf(r), rows };
  }

  /** Every site's row: its meters' figures summed, in the sites list's order. */
  sites(): { period: TablePeriod | null; rows: SiteRow[] } {
    const { period, rows: meters } = this.meters();
    const alerts = this.s.alerts.openCounts().bySite;
    const bySite = new Map<number, MeterRow[]>();
    for (const m of meters) {
      if (m.siteId === null) continue;
      const list = bySite.get(m.siteId);
      if (list) list.push(m);
      else bySite.set(m.siteId, [m]);
    }
    const sum = (list: MeterRow[], pick: (m: MeterRow) => number | null, digits: (x: number) => number) => {
      let total: number | null = null;
      for (const m of list) {
        const v = pick(m);
        if (v !== null) total = (total ?? 0) + v;
      }
      return total === null ? null : digits(total);
    };
    const rows = this.s.meters.sites().map((site): SiteRow => {
      const list = bySite.get(site.id) ?? [];
      const last = list.reduce<string | null>(
        (a, m) => (m.lastReading !== null && (a === null || m.lastReading > a) ? m.lastReading : a),
        null,
      );
      const unpriced = list.filter(
        (m) =>
          (m.kwhMonth !== null && m.costMonthPence === null) ||
          (m.kwhMonthLastYear !== null && m.costMonthLastYearPence === null),
      ).length;
      return {
        ...site,
        kwhMonth: sum(list, (m) => m.kwhMonth, round3),
        kwhMonthLastYear: sum(list, (m) => m.kwhMonthLastYear, round3),
        costMonthPence: sum(list, (m) => m.costMonthPence, round4),
        costMonthLastYearPence: sum(list, (m) => m.costMonthLastYearPence, round4),
        unpricedMeters: unpriced,
        openAlerts: alerts.get(site.id) ?? 0,
        lastReading: last,
      };
    });
    return { period, rows };
  }

  /**
   * Follows the readings written or removed since the last call (the store's change numbers): those
   * meters' spans are read again, and their sums and pence where the changed days fall.
   */
  private catchUp(): void {
    const seq = this.s.readings.currentSeq();
    if (this.seq < 0) this.kept.clear();
    else if (seq !== this.seq)
      for (const c of this.s.readings.changedSince(this.seq)) {
        const k = this.kept.get(c.meterId);
        if (!k) continue;
        k.span = undefined;
        k.dirty = k.dirty ? [Math.min(k.dirty[0], c.day), Math.max(k.dirty[1], c.day)] : [c.day, c.day];
      }
    this.seq = seq;
  }

  /** Spans and last complete days: kept ones as they are, the others read (and kept). */
  private spanReads(ids: number[]): SpanReads {
    const missing = ids.filter((id) => this.kept.get(id)?.span === undefined);
    const read = this.s.meters.spanReads(missing);
    for (const id of missing) {
      const span = read.spans.get(id) ?? null;
      const lastComplete = read.lastComplete.get(id) ?? null;
      const k = this.kept.get(id);
      if (k) Object.assign(k, { span, lastComplete });
      else
        this.kept.set(id, {
          span,
          lastComplete,
          kwh: undefined,
          kwhLastYear: undefined,
          present: undefined,
          costKey: '',
          pence: undefined,
          penceLastYear: undefined,
          dirty: null,
        });
    }
    const out: SpanReads = { spans: new Map(), lastComplete: new Map() };
    for (const id of ids) {
      const k = this.kept.get(id)!;
      if (k.span) out.spans.set(id, k.span);
      if (k.lastComplete !== null) out.lastComplete.set(id, k.lastComplete);
    }
    return out;
  }

  /**
   * Brings the kept sums and pence up to date: the ones whose range meets a meter's changed days (or
   * all, when the ranges moved) are summed again, for those meters only; then what is not priced is priced.
   */
  private refresh(info: (MeterInfo & { siteId: number | null })[], r: Ranges, assignments: Assignments): void {
    const stamp = `${r.from}:${r.to}:${r.lastYearFrom}:${r.lastYearTo}:${r.completenessFrom}`;
    if (stamp !== this.rangesStamp) {
      for (const k of this.kept.values()) k.kwh = k.kwhLastYear = k.present = k.pence = k.penceLastYear = undefined;
      this.rangesStamp = stamp;
    }
    const meets = ([a, b]: [number, number], from: number, to: number): boolean => a < to && b >= from;
    for (const k of this.kept.values()) {
      if (!k.dirty) continue;
      if (meets(k.dirty, r.from, r.to)) k.kwh = k.pence = undefined;
      if (meets(k.dirty, r.lastYearFrom, r.lastYearTo)) k.kwhLastYear = k.penceLastYear = undefined;
      if (meets(k.dirty, r.completenessFrom, r.completenessTo)) k.present = undefined;
      k.dirty = null;
    }
    const sums: [Sum, number, number][] = [
      ['kwh', r.from, r.to],
      ['kwhLastYear', r.lastYearFrom, r.lastYearTo],
      ['present', r.completenessFrom, r.completenessTo],
    ];
    for (const [field, from, to] of sums) {
      const stale = info.filter((m) => this.kept.get(m.id)?.[field] === undefined).map((m) => m.id);
      if (stale.length === 0) continue;
      // every meter's in one pass when most are stale, else only theirs
      const got =
        stale.length > info.length / 2
          ? field === 'present'
            ? this.s.readings.presentByMeter(from, to)
            : this.s.readings.kwhByMeter(from, to)
          : field === 'present'
            ? this.s.readings.presentByMeter(from, to, stale)
            : this.s.readings.kwhByMeter(from, to, stale);
      for (const id of stale) {
        const k = this.kept.get(id);
        if (k) k[field] = got.get(id) ?? null;
      }
    }
    this.price(info, r, assignments);
  }

  /** The tariff each meter is on today (UK local), by its assignments. */
  private currentTariffs(assignments: Assignments): Map<number, { id: string; name: string }> {
    const today = localDayOf(Math.floor(this.s.clock.now() / 1000));
    const names = new Map(this.s.tariffStore.all().map((t) => [t.id, t.name]));
    const out = new Map<number, { id: string; name: string }>();
    for (const [meterId, list] of assignments) {
      let current: string | null = null;
      for (const a of list) if (a.fromDay <= today) current = a.tariffId;
      if (current !== null) out.set(meterId, { id: current, name: names.get(current) ?? current });
    }
    return out;
  }

  /** The source whose import last wrote each meter's readings (imports given by hand are not sources). */
  private sources(): Map<number, { id: number; name: string }> {
    const jobs = this.s.sqlite
      .prepare('SELECT j.id, s.id, s.name FROM import_jobs j JOIN sources s ON s.id = j.source_id')
      .raw()
      .all() as [number, number, string][];
    const sourceOf = new Map(jobs.map(([job, id, name]) => [job, { id, name }]));
    const out = new Map<number, { id: number; name: string }>();
    for (const [meterId, job] of this.s.readings.latestWriters([...sourceOf.keys()]))
      out.set(meterId, sourceOf.get(job)!);
    return out;
  }

  /**
   * Prices what is not kept: each meter with readings in a range, as billed (its assignments, else its
   * supplier's default; null when neither prices it). Every meter is priced again when a tariff changed,
   * and a meter when its supplier, capacity or assignments did.
   */
  private price(info: MeterInfo[], r: Ranges, assignments: Assignments): void {
    const s = this.s;
    const cat = s.costing.catalog();
    const tariffs = this.tariffsFingerprint(cat.all);
    if (tariffs !== this.tariffsStamp) {
      for (const k of this.kept.values()) k.pence = k.penceLastYear = undefined;
      this.tariffsStamp = tariffs;
    }
    const pence = (m: MeterInfo, from: number, to: number): number | null =>
      priceAsBilled(s, m, s.readings.readDays(m.id, from, to), from, to, cat)?.totalPence ?? null;
    for (const m of info) {
      const k = this.kept.get(m.id);
      if (!k) continue;
      const key = `${m.fuel}|${m.supplier ?? ''}|${m.capacityKva ?? ''}|${JSON.stringify(assignments.get(m.id) ?? [])}`;
      if (key !== k.costKey) {
        k.costKey = key;
        k.pence = k.penceLastYear = undefined;
      }
      if (k.pence === undefined) k.pence = k.kwh != null ? pence(m, r.from, r.to) : null;
      if (k.penceLastYear === undefined)
        k.penceLastYear = k.kwhLastYear != null ? pence(m, r.lastYearFrom, r.lastYearTo) : null;
    }
  }

  /** What every tariff's prices come from (the catalogue, and the dynamic prices summed): any edit changes it. */
  private tariffsFingerprint(all: readonly StoredTariff[]): string {
    const prices = this.s.sqlite
      .prepare('SELECT count(*), total(pence * (ts % 9973 + 1)) FROM tariff_prices')
      .raw()
      .get() as [number, number];
    return `${JSON.stringify(all)}:${prices.join(':')}`;
  }
}

function periodOf(r: Ranges): TablePeriod {
  return {
    from: isoDay(r.from),
    to: isoDay(r.to),
    lastYearFrom: isoDay(r.lastYearFrom),
    lastYearTo: isoDay(r.lastYearTo),
    completenessFrom: isoDay(r.completenessFrom),
    completenessTo: isoDay(r.completenessTo),
  };
}

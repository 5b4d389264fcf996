/**
 * Tariffs, their effective-dated versions, dynamic prices and meter assignments in SQLite.
 * Changing a tariff adds a version from a date (or corrects the version with the same validFrom):
 * past periods keep being priced with the version in force then.
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import type {
  Fuel,
  Tariff,
  TariffAssignment,
  TariffImportResult,
  TariffVersion,
} from '../../../src-shared/contract/types';
import { AppError } from '../../../src-shared/contract/errors';
import { isoUtc, resolveLondon } from '../../../src-shared/domain/london-time';
import { dayFromDate, isoDay } from '../../../src-shared/domain/periods';
import { tariffSpecSchema, type TariffSpec } from '../../../src-shared/domain/tariff-spec';
import type { Clock } from '../clock';
import { parseWallClock } from '../imports/timestamp';

const dayOfIso = (s: string): number =>
  dayFromDate(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10)));

interface TariffRow {
  id: string;
  name: string;
  supplier: string;
  fuel: Fuel;
  regions: string | null;
  isDefault: number;
}
interface VersionRow {
  tariffId: string;
  validFrom: number;
  validTo: number | null;
  spec: string;
}

/** A stored version with its effective end (its validTo, or the next version's start). */
export interface StoredVersion {
  validFrom: number;
  /** Exclusive; null = open-ended. */
  end: number | null;
  spec: TariffSpec;
}

/** A tariff as the engine reads it: the contract's fields, with versions in local day numbers. */
export interface StoredTariff extends Pick<Tariff, 'id' | 'name' | 'supplier' | 'fuel' | 'regions' | 'isDefault'> {
  versions: StoredVersion[];
}

export type SaveOutcome = 'added' | 'replaced' | 'unchanged';

/** Stable JSON (sorted keys) so an identical re-import is recognised as unchanged; how a version's spec is stored. */
export function canonical(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** Where in a JSON text a SyntaxError points, as "line L, column C". */
function jsonPosition(text: string, e: unknown): string {
  const m = /position (\d+)/.exec(String((e as Error).message));
  if (!m) return '';
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - before.lastIndexOf('\n');
  return ` at line ${line}, column ${col}`;
}

export class TariffStore {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly clock: Clock,
  ) {}

  private today(): number {
    return Math.floor(this.clock.now() / 86400000);
  }

  /** Every tariff with its versions (effective ends resolved), optionally one fuel. */
  all(fuel?: Fuel): StoredTariff[] {
    const rows = this.sqlite
      .prepare(
        `SELECT id, name, supplier, fuel, regions, is_default AS isDefault FROM tariffs ${fuel ? 'WHERE fuel = ?' : ''} ORDER BY supplier, name, id`,
      )
      .all(...(fuel ? [fuel] : [])) as TariffRow[];
    const versions = this.sqlite
      .prepare(
        'SELECT tariff_id AS tariffId, valid_from AS validFrom, valid_to AS validTo, spec FROM tariff_versions ORDER BY tariff_id, valid_from',
      )
      .all() as VersionRow[];
    const byTariff = new Map<string, VersionRow[]>();
    for (const v of versions) {
      const list = byTariff.get(v.tariffId) ?? [];
      list.push(v);
      byTariff.set(v.tariffId, list);
    }
    return rows.map((r) => this.toStored(r, byTariff.get(r.id) ?? []));
  }

  find(id: string): StoredTariff | null {
    const r = this.sqlite
      .prepare('SELECT id, name, supplier, fuel, regions, is_default AS isDefault FROM tariffs WHERE id = ?')
      .get(id) as TariffRow | undefined;
    if (!r) return null;
    const versions = this.sqlite
      .prepare(
        'SELECT tariff_id AS tariffId, valid_from AS validFrom, valid_to AS validTo, spec FROM tariff_versions WHERE tariff_id = ? ORDER BY valid_from',
      )
      .all(id) as VersionRow[];
    return this.toStored(r, versions);
  }

  get(id: string): StoredTariff {
    const t = this.find(id);
    if (!t) throw new AppError('NOT_FOUND', `No tariff "${id}"; import or create it on the Tariffs page first`);
    return t;
  }

  private toStored(r: TariffRow, versions: VersionRow[]): StoredTariff {
    return {
      id: r.id,
      name: r.name,
      supplier: r.supplier,
      fuel: r.fuel,
      regions: r.regions ? (JSON.parse(r.regions) as number[]) : null,
      isDefault: r.isDefault === 1,
      versions: versions.map((v, i) => {
        const next = versions[i + 1]?.validFrom ?? null;
        const end = v.validTo === null ? next : next === null ? v.validTo : Math.min(v.validTo, next);
        return { validFrom: v.validFrom, end, spec: JSON.parse(v.spec) as TariffSpec };
      }),
    };
  }

  isActive(t: StoredTariff): boolean {
    const today = this.today();
    return t.versions.some((v) => v.end === null || v.end > today);
  }

  /** The contract's view of a tariff. */
  describe(t: StoredTariff): Tariff {
    const stats = this.sqlite.prepare(
      'SELECT count(*) AS n, min(ts) AS first, max(ts) AS last FROM tariff_prices WHERE tariff_id = ?',
    );
    const latest = t.versions[t.versions.length - 1]?.spec;
    const dynamic = t.versions.some((v) => Array.isArray(v.spec.halfHourlyPrices));
    const s = dynamic ? (stats.get(t.id) as { n: number; first: number | null; last: number | null }) : null;
    const prices = s
      ? { count: s.n, first: s.first === null ? null : isoUtc(s.first), last: s.last === null ? null : isoUtc(s.last) }
      : null;
    const versions: TariffVersion[] = t.versions.map((v) => ({
      validFrom: isoDay(v.validFrom),
      validTo: v.end === null ? null : isoDay(v.end),
      spec: v.spec,
      prices,
    }));
    return {
      id: t.id,
      name: t.name,
      supplier: t.supplier,
      fuel: t.fuel,
      regions: t.regions,
      isDefault: t.isDefault,
      active: this.isActive(t),
      kind: dynamic ? 'dynamic' : latest && (latest.rates?.length ?? 0) > 1 ? 'time-of-use' : 'single',
      versions,
    };
  }

  /** Adds or corrects one version (a transaction of its own unless called inside one). */
  save(spec: TariffSpec): SaveOutcome {
    return this.sqlite.transaction((): SaveOutcome => {
      const existing = this.sqlite.prepare('SELECT fuel FROM tariffs WHERE id = ?').get(spec.id) as
        { fuel: Fuel } | undefined;
      if (existing && existing.fuel !== spec.fuel)
        throw new AppError(
          'CONFLICT',
          `Tariff "${spec.id}" is for ${existing.fuel}; a ${spec.fuel} tariff needs a different id`,
        );
      const regions =
        spec.regions && spec.regions.length > 0
          ? JSON.stringify([...new Set(spec.regions)].sort((a, b) => a - b))
          : null;
      const now = Math.floor(this.clock.now() / 1000);
      this.sqlite
        .prepare(
          `INSERT INTO tariffs (id, name, supplier, fuel, regions, is_default, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name, supplier = excluded.supplier, regions = excluded.regions, is_default = excluded.is_default, updated_at = excluded.updated_at`,
        )
        .run(spec.id, spec.name, spec.supplier, spec.fuel, regions, spec.default ? 1 : 0, now);
      if (spec.default) {
        // one default per supplier, fuel and region set
        this.sqlite
          .prepare(
            "UPDATE tariffs SET is_default = 0 WHERE id <> ? AND supplier = ? COLLATE NOCASE AND fuel = ? AND coalesce(regions, '') = coalesce(?, '')",
          )
          .run(spec.id, spec.supplier, spec.fuel, regions);
      }
      // dynamic prices live in tariff_prices, not in the version's JSON
      const prices = spec.halfHourlyPrices;
      const stored: TariffSpec = { ...spec, halfHourlyPrices: Array.isArray(prices) ? [] : null };
      if (Array.isArray(prices) && prices.length > 0)
        this.storePrices(
          spec.id,
          prices.map((p, i) => ({
            ts: this.priceStart(p.start, `halfHourlyPrices[${i}].start`),
            pence: p.pencePerKwh,
          })),
        );
      const from = dayOfIso(spec.validFrom);
      const to = spec.validTo ? dayOfIso(spec.validTo) : null;
      const before = this.sqlite
        .prepare('SELECT spec FROM tariff_versions WHERE tariff_id = ? AND valid_from = ?')
        .pluck()
        .get(spec.id, from) as string | undefined;
      const json = canonical(stored);
      if (before !== undefined && canonical(JSON.parse(before)) === json) return 'unchanged';
      this.sqlite
        .prepare(
          'INSERT INTO tariff_versions (tariff_id, valid_from, valid_to, spec) VALUES (?, ?, ?, ?) ON CONFLICT (tariff_id, valid_from) DO UPDATE SET valid_to = excluded.valid_to, spec = excluded.spec',
        )
        .run(spec.id, from, to, json);
      return before === undefined ? 'added' : 'replaced';
    })();
  }

  /** Parses, validates and stores a tariff file: every tariff or none. */
  importFile(text: string, fileName = 'the tariff file'): TariffImportResult {
    let raw: unknown;
    try {
      raw = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (e) {
      throw new AppError(
        'BAD_INPUT',
        `${fileName} is not valid JSON${jsonPosition(text, e)}: ${(e as Error).message}. A tariff file is { "tariffs": [ … ] } (docs/tariffs.md).`,
      );
    }
    const list: unknown = Array.isArray(raw)
      ? raw
      : raw && typeof raw === 'object' && 'tariffs' in raw
        ? (raw as { tariffs: unknown }).tariffs
        : raw && typeof raw === 'object' && 'id' in raw
          ? [raw]
          : undefined;
    if (!Array.isArray(list))
      throw new AppError('BAD_INPUT', `${fileName}: expected { "tariffs": [ … ] } (docs/tariffs.md)`);
    if (list.length === 0) throw new AppError('BAD_INPUT', `${fileName} lists no tariffs`);
    const specs: TariffSpec[] = [];
    const problems: { path: string; message: string }[] = [];
    list.forEach((item, i) => {
      const r = tariffSpecSchema.safeParse(item);
      const label =
        item && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string'
          ? `tariffs[${i}] ("${(item as { id: string }).id}")`
          : `tariffs[${i}]`;
      if (r.success) specs.push(r.data);
      else
        for (const issue of r.error.issues)
          problems.push({ path: [label, ...issue.path.map(String)].join('.'), message: issue.message });
    });
    const seen = new Set<string>();
    for (const s of specs) {
      const key = `${s.id}@${s.validFrom}`;
      if (seen.has(key)) problems.push({ path: s.id, message: `"${s.id}" has two versions valid from ${s.validFrom}` });
      seen.add(key);
    }
    if (problems.length > 0) {
      const shown = problems.slice(0, 20).map((p) => `${p.path}: ${p.message}`);
      throw new AppError(
        'BAD_INPUT',
        `${fileName}: nothing was imported; ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${shown.join('; ')}${problems.length > 20 ? '; …' : ''}`,
        problems,
      );
    }
    return this.sqlite.transaction(() => {
      const out = { tariffs: 0, versionsAdded: 0, versionsReplaced: 0, unchanged: 0, prices: 0, ids: [] as string[] };
      for (const s of specs) {
        const r = this.save(s);
        if (r === 'added') out.versionsAdded++;
        else if (r === 'replaced') out.versionsReplaced++;
        else out.unchanged++;
        out.prices += Array.isArray(s.halfHourlyPrices) ? s.halfHourlyPrices.length : 0;
        if (!out.ids.includes(s.id)) out.ids.push(s.id);
      }
      out.tariffs = out.ids.length;
      return out;
    })();
  }

  /** UTC start of a price's half-hour; UK local when the text has no offset. Must be on :00 or :30. */
  private priceStart(text: string, where: string, previous?: number): number {
    const w = parseWallClock(text);
    if (!w)
      throw new AppError(
        'BAD_INPUT',
        `${where}: "${text.slice(0, 40)}" is not a date-time (expected e.g. 2025-01-01T00:00:00Z)`,
      );
    let ts: number;
    if (w.offset !== null) ts = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) / 1000 - w.offset * 60;
    else {
      const r = resolveLondon(w.y, w.mo, w.d, w.h, w.mi, w.s);
      if (r.kind === 'nonexistent')
        throw new AppError('BAD_INPUT', `${where}: ${text} does not exist in UK time (the clocks go forward then)`);
      ts = r.kind === 'ok' ? r.utc : previous !== undefined && previous >= r.first ? r.second : r.first;
    }
    if (!Number.isFinite(ts) || ts % 1800 !== 0)
      throw new AppError('BAD_INPUT', `${where}: ${text} is not the start of a half-hour (:00 or :30)`);
    return ts;
  }

  private storePrices(id: string, prices: { ts: number; pence: number }[]): void {
    this.priceCache.clear();
    const ins = this.sqlite.prepare(
      'INSERT INTO tariff_prices (tariff_id, ts, pence) VALUES (?, ?, ?) ON CONFLICT (tariff_id, ts) DO UPDATE SET pence = excluded.pence',
    );
    for (const p of prices) ins.run(id, p.ts, p.pence);
  }

  /**
   * Imports half-hourly prices for a dynamic tariff from the Octopus unit-rates JSON
   * (`results[]` with value_exc_vat, valid_from, valid_to; rows spanning several half-hours are
   * expanded), a JSON list of { start, pencePerKwh }, or a CSV of start time and price.
   */
  importPrices(
    id: string,
    text: string,
    fileName = 'the prices file',
  ): { prices: number; first: string; last: string } {
    const t = this.get(id);
    if (!t.versions.some((v) => Array.isArray(v.spec.halfHourlyPrices))) {
      throw new AppError(
        'BAD_INPUT',
        `"${id}" is not a dynamic tariff: give it "halfHourlyPrices": [] in its tariff file (or tick "half-hourly prices" in its form on the Tariffs page) first`,
      );
    }
    const body = text.replace(/^\uFEFF/, '');
    const prices: { ts: number; pence: number }[] = [];
    const trimmed = body.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      let raw: unknown;
      try {
        raw = JSON.parse(body);
      } catch (e) {
        throw new AppError(
          'BAD_INPUT',
          `${fileName} is not valid JSON${jsonPosition(body, e)}: ${(e as Error).message}`,
        );
      }
      const octopus = z
        .object({
          results: z.array(
            z
              .object({
                value_exc_vat: z.number().finite(),
                valid_from: z.string(),
                valid_to: z.string().nullable().optional(),
              })
              .passthrough(),
          ),
        })
        .passthrough()
        .safeParse(raw);
      const plain = z
        .union([
          z.array(z.object({ start: z.string(), pencePerKwh: z.number().finite() }).strict()),
          z
            .object({
              halfHourlyPrices: z.array(z.object({ start: z.string(), pencePerKwh: z.number().finite() }).strict()),
            })
            .passthrough(),
        ])
        .safeParse(raw);
      if (octopus.success) {
        octopus.data.results.forEach((r, i) => {
          const from = this.priceStart(r.valid_from, `${fileName}: results[${i}].valid_from`);
          const to = r.valid_to ? this.priceStart(r.valid_to, `${fileName}: results[${i}].valid_to`) : from + 1800;
          if (to <= from)
            throw new AppError(
              'BAD_INPUT',
              `${fileName}: results[${i}] ends (${r.valid_to}) before it starts (${r.valid_from})`,
            );
          if ((to - from) / 1800 > 48 * 400)
            throw new AppError('BAD_INPUT', `${fileName}: results[${i}] spans more than 400 days; give a valid_to`);
          for (let ts = from; ts < to; ts += 1800) prices.push({ ts, pence: r.value_exc_vat });
        });
      } else if (plain.success) {
        const list = Array.isArray(plain.data) ? plain.data : plain.data.halfHourlyPrices;
        list.forEach((p, i) =>
          prices.push({
            ts: this.priceStart(p.start, `${fileName}: item ${i + 1}`, prices[prices.length - 1]?.ts),
            pence: p.pencePerKwh,
          }),
        );
      } else {
        throw new AppError(
          'BAD_INPUT',
          `${fileName}: expected the Octopus unit-rates JSON ({ "results": [ { "value_exc_vat", "valid_from", "valid_to" } ] }) or a list of { "start", "pencePerKwh" }`,
        );
      }
    } else {
      const lines = body.split(/\r?\n/);
      let startCol = 0;
      let priceCol = 1;
      lines.forEach((line, i) => {
        if (line.trim() === '' || line.startsWith('sep=')) return;
        const cells = line.split(/[,;\t]/).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
        if (prices.length === 0 && parseWallClock(cells[0] ?? '') === null && parseWallClock(cells[1] ?? '') === null) {
          // a header: find the start and price columns by name
          const lower = cells.map((c) => c.toLowerCase());
          const s = lower.findIndex((c) => /start|valid_from|from|time|date/.test(c));
          const p = lower.findIndex((c) => /price|pence|value_exc_vat|p\/kwh|rate|cost/.test(c) && !/inc/.test(c));
          if (s === -1 || p === -1)
            throw new AppError(
              'BAD_INPUT',
              `${fileName}, line ${i + 1}: expected a header with a start-time column and a price column (p/kWh), e.g. "start,pencePerKwh"`,
            );
          startCol = s;
          priceCol = p;
          return;
        }
        const value = Number(cells[priceCol]);
        if (cells[priceCol] === undefined || cells[priceCol] === '' || !Number.isFinite(value))
          throw new AppError(
            'BAD_INPUT',
            `${fileName}, line ${i + 1}, column ${priceCol + 1}: "${(cells[priceCol] ?? '').slice(0, 40)}" is not a price in p/kWh`,
          );
        if (Math.abs(value) > 1000)
          throw new AppError(
            'BAD_INPUT',
            `${fileName}, line ${i + 1}, column ${priceCol + 1}: ${value} p/kWh is not plausible (prices are in pence, exclusive of VAT)`,
          );
        prices.push({
          ts: this.priceStart(
            cells[startCol] ?? '',
            `${fileName}, line ${i + 1}, column ${startCol + 1}`,
            prices[prices.length - 1]?.ts,
          ),
          pence: value,
        });
      });
    }
    if (prices.length === 0) throw new AppError('BAD_INPUT', `${fileName} has no prices`);
    const seen = new Map<number, number>();
    for (const p of prices) {
      const before = seen.get(p.ts);
      if (before !== undefined && before !== p.pence)
        throw new AppError(
          'BAD_INPUT',
          `${fileName} gives two different prices for the half-hour starting ${isoUtc(p.ts)} (${before} and ${p.pence})`,
        );
      seen.set(p.ts, p.pence);
    }
    this.sqlite.transaction(() => this.storePrices(id, prices))();
    const sorted = [...seen.keys()].sort((a, b) => a - b);
    return { prices: sorted.length, first: isoUtc(sorted[0]!), last: isoUtc(sorted[sorted.length - 1]!) };
  }

  /** Recently read price windows (a portfolio run reads the same window for every meter); cleared on any write. */
  private readonly priceCache = new Map<string, Float64Array>();

  /** Prices of a dynamic tariff in [fromTs, toTs) as a lookup array by half-hour (NaN = none). */
  pricesBetween(id: string, fromTs: number, toTs: number): Float64Array {
    const key = `${id}\u0000${fromTs}\u0000${toTs}`;
    const hit = this.priceCache.get(key);
    if (hit) return hit;
    if (this.priceCache.size >= 256) this.priceCache.clear();
    const out = new Float64Array(Math.max(0, Math.ceil((toTs - fromTs) / 1800))).fill(NaN);
    const rows = this.sqlite
      .prepare('SELECT ts, pence FROM tariff_prices WHERE tariff_id = ? AND ts >= ? AND ts < ?')
      .raw()
      .all(id, fromTs, toTs) as [number, number][];
    for (const [ts, pence] of rows) if ((ts - fromTs) % 1800 === 0) out[(ts - fromTs) / 1800] = pence;
    this.priceCache.set(key, out);
    return out;
  }

  delete(id: string): void {
    this.get(id);
    const n = this.sqlite
      .prepare('SELECT count(*) FROM tariff_assignments WHERE tariff_id = ?')
      .pluck()
      .get(id) as number;
    if (n > 0)
      throw new AppError(
        'CONFLICT',
        `"${id}" is assigned to ${n} meter period${n === 1 ? '' : 's'}; deleting it would change past costs. Give it a validTo instead, or remove the assignments first.`,
      );
    this.sqlite.prepare('DELETE FROM tariffs WHERE id = ?').run(id);
    this.priceCache.clear();
  }

  /* ------------------------------------------------------------ assignments */

  assignments(meterId: number, meter: string): TariffAssignment[] {
    const rows = this.sqlite
      .prepare(
        'SELECT a.from_day AS fromDay, a.tariff_id AS tariff, t.name, a.assigned_by AS assignedBy, a.assigned_at AS assignedAt FROM tariff_assignments a JOIN tariffs t ON t.id = a.tariff_id WHERE a.meter_id = ? ORDER BY a.from_day',
      )
      .all(meterId) as { fromDay: number; tariff: string; name: string; assignedBy: string; assignedAt: number }[];
    return rows.map((r, i) => ({
      meter,
      tariff: r.tariff,
      tariffName: r.name,
      from: isoDay(r.fromDay),
      to: rows[i + 1] ? isoDay(rows[i + 1]!.fromDay) : null,
      assignedBy: r.assignedBy,
      assignedAt: isoUtc(r.assignedAt),
    }));
  }

  /** Assignments as (fromDay, tariffId), oldest first. */
  assignmentDays(meterId: number): { fromDay: number; tariffId: string }[] {
    return this.sqlite
      .prepare(
        'SELECT from_day AS fromDay, tariff_id AS tariffId FROM tariff_assignments WHERE meter_id = ? ORDER BY from_day',
      )
      .all(meterId) as { fromDay: number; tariffId: string }[];
  }

  /** Every meter's assignments as (fromDay, tariffId), oldest first, read at once (meters without any left out). */
  allAssignmentDays(): Map<number, { fromDay: number; tariffId: string }[]> {
    const rows = this.sqlite
      .prepare('SELECT meter_id, from_day, tariff_id FROM tariff_assignments ORDER BY meter_id, from_day')
      .raw()
      .all() as [number, number, string][];
    const out = new Map<number, { fromDay: number; tariffId: string }[]>();
    for (const [meterId, fromDay, tariffId] of rows) {
      const list = out.get(meterId);
      if (list) list.push({ fromDay, tariffId });
      else out.set(meterId, [{ fromDay, tariffId }]);
    }
    return out;
  }

  assign(meterId: number, meterFuel: Fuel, tariffId: string, fromDay: number, actor: string): void {
    const t = this.get(tariffId);
    if (t.fuel !== meterFuel)
      throw new AppError('BAD_INPUT', `"${tariffId}" is a ${t.fuel} tariff and this meter is ${meterFuel}`);
    this.sqlite
      .prepare(
        'INSERT INTO tariff_assignments (meter_id, from_day, tariff_id, assigned_by, assigned_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (meter_id, from_day) DO UPDATE SET tariff_id = excluded.tariff_id, assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at',
      )
      .run(meterId, fromDay, tariffId, actor, Math.floor(this.clock.now() / 1000));
  }

  unassign(meterId: number, fromDay: number): void {
    const r = this.sqlite
      .prepare('DELETE FROM tariff_assignments WHERE meter_id = ? AND from_day = ?')
      .run(meterId, fromDay);
    if (r.changes === 0)
      throw new AppError('NOT_FOUND', `The meter has no tariff assignment starting ${isoDay(fromDay)}`);
  }
}

/**
 * Site and meter registers (docs/registers.md): a file read (read.ts), checked line by line
 * (parse.ts), compared with what is stored (plan.ts) and written in one transaction — or, with any
 * problem or as a dry run, nothing written and the same counts and changes returned. Export writes
 * the same columns (export.ts).
 */
import type Database from 'better-sqlite3';
import { AppError } from '../../../src-shared/contract/errors';
import type { RegisterExport, RegisterImportResult } from '../../../src-shared/contract/types';
import { parseOpeningHours } from '../../../src-shared/domain/opening-hours';
import { isoDay, localDayOf } from '../../../src-shared/domain/periods';
import type { Clock } from '../clock';
import type { ReadingsStore } from '../readings/store';
import type { TariffStore } from '../tariffs/tariff-store';
import { registerCsv, registerRows, registerXlsx } from './export';
import { parseRegister, type Fuel, type ParseContext } from './parse';
import { planRegister, type RegisterPlan } from './plan';
import { readRegister } from './read';
import { defaultOrganisation, SiteDirectory, storedMeters } from './stored';

/** Largest register read (a 100,000-line register is about 15 MB). */
export const MAX_REGISTER_BYTES = 20 * 1024 * 1024;
/** Changes and errors a result lists. */
const MAX_LISTED = 5000;

const SITE_COLUMN = {
  address: 'address',
  postcode: 'postcode',
  latitude: 'latitude',
  longitude: 'longitude',
  floorArea: 'floor_area_m2',
  openingHours: 'opening_hours',
} as const;
const METER_COLUMN = {
  fuel: 'fuel',
  label: 'label',
  supplier: 'supplier',
  capacityKva: 'capacity_kva',
  serial: 'serial',
} as const;

export class RegisterService {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly readings: ReadingsStore,
    private readonly tariffs: TariffStore,
    private readonly clock: Clock,
  ) {}

  private today(): number {
    return localDayOf(Math.floor(this.clock.now() / 1000));
  }

  /**
   * Reads, checks and (unless `dryRun` or anything is wrong) writes a register. Returns what was
   * (or would be) created and changed, with every problem by line and column; `meters` are the
   * identifiers written.
   */
  async import(
    bytes: Buffer,
    fileName: string,
    dryRun: boolean,
    actor: string,
  ): Promise<RegisterImportResult & { meters: string[] }> {
    if (bytes.length > MAX_REGISTER_BYTES)
      throw new AppError(
        'BAD_INPUT',
        `${fileName} is larger than ${MAX_REGISTER_BYTES / 1024 ** 2} MB: a register that size is not plausible, split it`,
      );
    const sheet = await readRegister(bytes, fileName);
    const meters = new Map(storedMeters(this.sqlite).map((m) => [m.identifier, m]));
    const parsed = parseRegister(sheet.rows, {
      decimalComma: sheet.decimalComma,
      meterExists: (id) => meters.has(id),
      tariff: this.tariffLookup(),
    });
    const plan = planRegister(parsed, {
      sites: new SiteDirectory(this.sqlite),
      meter: (id) => meters.get(id),
      hasReadings: (id) => this.readings.hasData(id),
      firstDay: (id) => {
        const span = this.readings.spans([id]).get(id);
        return span ? localDayOf(span.first) : null;
      },
      assignments: (id) => this.tariffs.assignmentDays(id),
      today: this.today(),
    });
    const ok = plan.errors.length === 0;
    const write = !dryRun && ok;
    if (write) this.write(plan, actor);
    // all or nothing: a register with errors creates and changes nothing, so its counts say 0 (the
    // changes list still shows what its lines ask for)
    return {
      dryRun,
      sitesCreated: ok ? plan.sitesCreated : 0,
      sitesUpdated: ok ? plan.sitesUpdated : 0,
      metersCreated: ok ? plan.metersCreated : 0,
      metersUpdated: ok ? plan.metersUpdated : 0,
      errors: plan.errors.slice(0, MAX_LISTED),
      changes: plan.changes.slice(0, MAX_LISTED),
      ignoredColumns: parsed.ignored,
      meters: write ? plan.meters.map((m) => m.id) : [],
    };
  }

  /** A tariff by id, else by name (any case); a name two tariffs share needs the id. */
  private tariffLookup(): ParseContext['tariff'] {
    const all = this.tariffs.all();
    return (text) => {
      const t = text.trim().toLowerCase();
      const byId = all.find((x) => x.id.toLowerCase() === t);
      const matches = byId ? [byId] : all.filter((x) => x.name.trim().toLowerCase() === t);
      if (matches.length === 1) return { id: matches[0]!.id, fuel: matches[0]!.fuel as Fuel };
      if (matches.length > 1)
        return {
          error: `${matches.length} tariffs are called "${text}" (${matches.map((x) => x.id).join(', ')}): give the tariff's id instead`,
        };
      return { error: `No tariff "${text}": add it on the Tariffs page first, or give the id of one there` };
    };
  }

  /** Writes a plan with no errors, all or nothing. */
  private write(plan: RegisterPlan, actor: string): void {
    this.sqlite.transaction(() => {
      const org = defaultOrganisation(this.sqlite);
      const siteIds = new Map<string, number>();
      for (const p of plan.sites) {
        const id =
          p.existing?.id ??
          Number(
            this.sqlite.prepare('INSERT INTO sites (organisation_id, name) VALUES (?, ?)').run(org, p.name)
              .lastInsertRowid,
          );
        siteIds.set(p.key, id);
        const set = Object.entries(p.set).map(([f, v]): [string, unknown] => [
          SITE_COLUMN[f as keyof typeof SITE_COLUMN],
          f === 'openingHours' ? JSON.stringify(parseOpeningHours(String(v))) : v,
        ]);
        this.update('sites', id, set);
      }
      const insertMeter = this.sqlite.prepare(
        'INSERT INTO meters (identifier, kind, fuel, mpan_top_line) VALUES (?, ?, ?, ?)',
      );
      for (const m of plan.meters) {
        const id = m.existing?.id ?? Number(insertMeter.run(m.id, m.kind, m.fuel, m.topLine).lastInsertRowid);
        const { siteKey, ...fields } = m.set;
        const set: [string, unknown][] = Object.entries(fields).map(([f, v]) => [
          METER_COLUMN[f as keyof typeof METER_COLUMN],
          v,
        ]);
        if (siteKey !== undefined) set.push(['site_id', siteIds.get(siteKey)!]);
        this.update('meters', id, set);
        if (m.tariff) this.tariffs.assign(id, m.fuel, m.tariff.id, m.tariff.fromDay, actor);
      }
    })();
  }

  /** Sets columns of one row (names from this file's own maps, never from input). */
  private update(table: 'sites' | 'meters', id: number, set: [string, unknown][]): void {
    if (set.length === 0) return;
    this.sqlite
      .prepare(`UPDATE ${table} SET ${set.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`)
      .run(...set.map(([, v]) => v), id);
  }

  /** The portfolio as a register file. */
  async export(format: 'csv' | 'xlsx'): Promise<RegisterExport> {
    const today = this.today();
    const rows = registerRows(this.sqlite, today);
    const counts = {
      sites: this.sqlite.prepare('SELECT count(*) FROM sites').pluck().get() as number,
      meters: this.sqlite.prepare('SELECT count(*) FROM meters').pluck().get() as number,
    };
    const fileName = `register-${isoDay(today)}.${format}`;
    if (format === 'xlsx')
      return {
        fileName,
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        encoding: 'base64',
        content: (await registerXlsx(rows)).toString('base64'),
        ...counts,
      };
    return { fileName, contentType: 'text/csv;charset=utf-8', encoding: 'utf8', content: registerCsv(rows), ...counts };
  }
}

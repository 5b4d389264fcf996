/**
 * The portfolio as a register: every site with each of its meters on a line (a site without meters
 * on a line of its own, meters without a site with the site columns blank), in the columns
 * `register.import` reads, so an export imported into an empty portfolio gives the same sites and
 * meters. CSV is UTF-8 with a BOM and CRLF line ends, and safe to open in a spreadsheet: a text
 * cell starting = + - @ tab or CR gets a leading apostrophe (import takes it off again); numbers stay
 * numbers. XLSX keeps MPANs as text and tariff dates as dates.
 */
import type Database from 'better-sqlite3';
import writeExcelFile, { type Cell as XlsxCell } from 'write-excel-file/node';
import { formatOpeningHours, storedHours } from '../../../src-shared/domain/opening-hours';
import { dateOfDay, isoDay } from '../../../src-shared/domain/periods';
import { REGISTER_COLUMNS, type RegisterField } from './columns';
import { SiteDirectory, storedMeters, type StoredMeter, type StoredSite } from './stored';

type Value = string | number | null;
/** One register line: a value (or blank) per column; tariffFrom is a UK local day. */
export type RegisterRow = Record<RegisterField, Value>;
type SiteColumn = 'site' | 'address' | 'postcode' | 'latitude' | 'longitude' | 'floorArea' | 'openingHours';

/** The register's lines: sites by name (each with its meters by id), then meters without a site. */
export function registerRows(sqlite: Database.Database, today: number): RegisterRow[] {
  const byName = (a: StoredSite, b: StoredSite): number => {
    const x = a.name.toLowerCase();
    const y = b.name.toLowerCase();
    return x < y ? -1 : x > y ? 1 : a.id - b.id;
  };
  const sites = new SiteDirectory(sqlite).all().sort(byName);
  const meters = storedMeters(sqlite);
  const assignments = sqlite
    .prepare('SELECT meter_id, from_day, tariff_id FROM tariff_assignments ORDER BY meter_id, from_day')
    .raw()
    .all() as [number, number, string][];
  // each meter's tariff in force today (or, when all its assignments are still to come, the first)
  const tariff = new Map<number, { id: string; fromDay: number }>();
  for (const [meter, fromDay, id] of assignments)
    if (fromDay <= today || !tariff.has(meter)) tariff.set(meter, { id, fromDay });

  const siteCells = (s: StoredSite | null): Pick<RegisterRow, SiteColumn> => ({
    site: s?.name ?? null,
    address: s?.address ?? null,
    postcode: s?.postcode ?? null,
    latitude: s?.latitude ?? null,
    longitude: s?.longitude ?? null,
    floorArea: s?.floorArea ?? null,
    openingHours: s?.hours == null ? null : formatOpeningHours(storedHours(s.hours)),
  });
  const meterCells = (m: StoredMeter): Omit<RegisterRow, SiteColumn> => {
    const t = tariff.get(m.id);
    return {
      meter: m.identifier,
      fuel: m.fuel,
      label: m.label,
      supplier: m.supplier,
      capacityKva: m.capacityKva,
      tariff: t?.id ?? null,
      tariffFrom: t?.fromDay ?? null,
      serial: m.serial,
    };
  };
  const bySite = new Map<number | null, StoredMeter[]>();
  for (const m of meters) {
    const list = bySite.get(m.siteId);
    if (list) list.push(m);
    else bySite.set(m.siteId, [m]);
  }
  const rows: RegisterRow[] = [];
  for (const s of sites) {
    const own = bySite.get(s.id) ?? [];
    if (own.length === 0) rows.push({ ...siteCells(s), ...EMPTY_METER });
    for (const m of own) rows.push({ ...siteCells(s), ...meterCells(m) });
  }
  for (const m of bySite.get(null) ?? []) rows.push({ ...siteCells(null), ...meterCells(m) });
  return rows;
}

const EMPTY_METER: Omit<RegisterRow, SiteColumn> = {
  meter: null,
  fuel: null,
  label: null,
  supplier: null,
  capacityKva: null,
  tariff: null,
  tariffFrom: null,
  serial: null,
};

/** A CSV cell: numbers as they are; text quoted when it must be, with formula-like starts made inert. */
export function csvCell(v: Value): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",;\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The register as CSV: UTF-8 BOM, a header line, CRLF line ends. */
export function registerCsv(rows: RegisterRow[]): string {
  const lines = [REGISTER_COLUMNS.join(',')];
  for (const r of rows)
    lines.push(
      REGISTER_COLUMNS.map((c) => csvCell(c === 'tariffFrom' && r[c] !== null ? isoDay(Number(r[c])) : r[c])).join(','),
    );
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The register as an XLSX workbook (one sheet, "Register"). */
export async function registerXlsx(rows: RegisterRow[]): Promise<Buffer> {
  const cell = (c: RegisterField, v: Value): XlsxCell => {
    if (v === null) return null;
    if (c === 'tariffFrom') {
      const d = dateOfDay(Number(v));
      return { value: new Date(Date.UTC(d.y, d.m - 1, d.d)), type: Date, format: 'dd/mm/yyyy' };
    }
    return typeof v === 'number' ? { value: v, type: Number } : { value: v, type: String };
  };
  const data: XlsxCell[][] = [
    REGISTER_COLUMNS.map((c) => ({ value: c, type: String, fontWeight: 'bold' as const })),
    ...rows.map((r) => REGISTER_COLUMNS.map((c) => cell(c, r[c]))),
  ];
  const widths: Partial<Record<RegisterField, number>> = {
    site: 32,
    address: 40,
    openingHours: 28,
    meter: 16,
    label: 24,
  };
  return writeExcelFile(data, {
    sheet: 'Register',
    columns: REGISTER_COLUMNS.map((c) => ({ width: widths[c] ?? 12 })),
    stickyRowsCount: 1,
  }).toBuffer();
}

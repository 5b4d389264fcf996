/**
 * A register's rows as sites and meters: finds the header row, reads each cell as its column asks
 * (postcodes, coordinates in the UK, positive numbers, fuels, opening hours, MPAN check digits,
 * MPRN shapes, tariffs, dates) and reports every problem by line and column. What lines say about
 * the same site or meter is compared later (plan.ts); this file looks at one line at a time. A line
 * may give several meters (one per meter column, e.g. "Elec MPAN" and "Gas MPRN"): each is a meter of
 * the line's site, with the details its fuel's columns give, else the line's own.
 */
import type { RegisterError } from '../../../src-shared/contract/types';
import { parseMeterId, type MeterIdKind } from '../../../src-shared/domain/meter-id';
import { formatOpeningHours, OpeningHoursError, parseOpeningHours } from '../../../src-shared/domain/opening-hours';
import { dayFromDate } from '../../../src-shared/domain/periods';
import { normalisePostcode } from '../../../src-shared/domain/postcode';
import { parseWeatherDate } from '../weather/csv';
import {
  mapColumns,
  METER_DETAILS,
  REGISTER_COLUMNS,
  SITE_DETAILS,
  type Column,
  type ColumnMap,
  type Fuel,
  type FuelledDetail,
  type RegisterField,
} from './columns';
import type { Cell, RawRow } from './read';

export type { Fuel } from './columns';

/** What a line says about its site (only what it gives). */
export interface SiteLine {
  name: string;
  /** The name as compared: trimmed, single spaces, lower case. */
  key: string;
  address?: string;
  postcode?: string;
  latitude?: number;
  longitude?: number;
  floorArea?: number;
  /** The opening hours' text form, as formatOpeningHours writes it. */
  openingHours?: string;
}

/** What a line says about its meter (only what it gives). */
export interface MeterLine {
  id: string;
  kind: MeterIdKind;
  topLine: string | null;
  fuel?: Fuel;
  label?: string;
  supplier?: string;
  capacityKva?: number;
  serial?: string;
  tariff?: { id: string; fuel: Fuel };
  tariffFrom?: number;
  /** The header of the column each of its values came from (its errors name that column). */
  columns: Partial<Record<'meter' | (typeof METER_DETAILS)[number], string>>;
}

export interface RegisterLine {
  line: number;
  site: SiteLine | null;
  /** The line's meters: one per non-blank meter column (the same meter given twice counted once). */
  meters: MeterLine[];
}

export interface ParsedRegister {
  lines: RegisterLine[];
  errors: RegisterError[];
  /** Each field's header as written (for errors about what several lines say). */
  header: ColumnMap['header'];
  /** Columns the register does not read. */
  ignored: string[];
}

/** What reading a line needs to know besides the line: the file's number style and the database. */
export interface ParseContext {
  /** The file writes decimal commas (a `;`-separated CSV). */
  decimalComma: boolean;
  /** True for a meter id already stored (kept as it is, whatever its shape). */
  meterExists(id: string): boolean;
  /** The tariff a cell names (id or name, any case), or why there is none. */
  tariff(text: string): { id: string; fuel: Fuel } | { error: string };
}

/** Rows before the header (a title, notes) that are skipped. */
const MAX_PREAMBLE_ROWS = 10;
export const MAX_SITE_NAME = 120;
const MAX_ADDRESS = 300;
const MAX_TEXT = 120;
const MAX_SERIAL = 40;
/** UK mainland, Northern Ireland, the islands (Scilly to Shetland) and the Channel Islands. */
const LATITUDE: readonly [number, number] = [49, 61];
const LONGITUDE: readonly [number, number] = [-8.7, 2];
const EXAMPLE_HEADER = 'site,address,postcode,meter,fuel';

/** A site name as compared: trimmed, runs of spaces as one, lower case. */
export const siteKey = (name: string): string => name.trim().replace(/\s+/g, ' ').toLowerCase();
/** A site name as stored: trimmed, runs of spaces as one. */
export const siteName = (name: string): string => name.trim().replace(/\s+/g, ' ');

const FUELS: Record<string, Fuel> = {
  electricity: 'electricity',
  electric: 'electricity',
  electrical: 'electricity',
  elec: 'electricity',
  elect: 'electricity',
  power: 'electricity',
  e: 'electricity',
  gas: 'gas',
  naturalgas: 'gas',
  mainsgas: 'gas',
  ng: 'gas',
  g: 'gas',
};

/** Reads a fuel word ("Elec", "Natural gas"), or null. */
export const fuelOf = (text: string): Fuel | null => FUELS[text.toLowerCase().replace(/[^a-z]/g, '')] ?? null;

/** A leading apostrophe an export put before a formula-like text (= + - @ tab CR) is taken off again. */
const unguard = (s: string): string => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s);

/** A cell as text: trimmed; a date as YYYY-MM-DD; a number as written. */
function textOf(c: Cell | undefined): string {
  if (c === null || c === undefined) return '';
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  if (typeof c === 'number' || typeof c === 'boolean') return String(c);
  return unguard(c.trim());
}

/**
 * A number cell or text, with a unit after it ("200 kVA", "2400 m²"): "2,400" is 2400, except in a
 * `;`-separated file, where a comma is the decimal point ("51,38"; "2.400,5" is 2400.5).
 */
function numberOf(c: Cell | undefined, unit: RegExp | null, decimalComma: boolean): number | null {
  if (typeof c === 'number') return Number.isFinite(c) ? c : null;
  let s = textOf(c);
  if (unit) s = s.replace(unit, '').trim();
  if (decimalComma && /^[+-]?\d{1,3}(\.\d{3})+,\d+$/.test(s)) s = s.replace(/\./g, '').replace(',', '.');
  else if (decimalComma && /^[+-]?\d+,\d+$/.test(s)) s = s.replace(',', '.');
  else if (!decimalComma && /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s)) return null;
  return Number(s);
}

/** A date cell: an XLSX date, an Excel day number, YYYY-MM-DD or DD/MM/YYYY. */
function dayOf(c: Cell | undefined): number | null {
  if (c instanceof Date) return dayFromDate(c.getUTCFullYear(), c.getUTCMonth() + 1, c.getUTCDate());
  // an Excel serial day (1900 date system): 25569 is 1970-01-01
  if (typeof c === 'number') return Number.isInteger(c) && c > 25569 && c < 80000 ? c - 25569 : null;
  return parseWeatherDate(textOf(c));
}

type MeterIdResult = { id: string; kind: MeterIdKind; topLine: string | null } | { error: string };

/** Reads an MPAN (13-digit core, 21-character full MPAN, "S 01 801 100 12 3456 7890 123"), an MPRN or a stored id. */
export function meterIdOf(c: Cell, exists: (id: string) => boolean): MeterIdResult {
  if (typeof c === 'number' && !Number.isSafeInteger(c))
    return {
      error: `The meter ${c} was turned into a number by a spreadsheet and lost its digits: format the column as text and type the MPAN or MPRN again`,
    };
  const text = textOf(c);
  if (/^\d+(\.\d+)?e\+\d+$/i.test(text))
    return {
      error: `The meter "${text}" was turned into a number by a spreadsheet and lost its digits: format the column as text and type the MPAN or MPRN again`,
    };
  if (exists(text)) {
    const known = parseMeterId(text);
    return known.ok
      ? { id: known.id, kind: known.kind, topLine: known.topLine }
      : { id: text, kind: 'other', topLine: null };
  }
  const compact = text.replace(/^S(?=[\s\d])/i, '').replace(/\s+/g, '');
  const p = parseMeterId(compact);
  if (!p.ok) return { error: p.reason };
  if (p.kind === 'other' && /^\d+$/.test(compact))
    return {
      error: `"${text}" is not an MPAN (13 digits, or 21 with its top line) or an MPRN (6 to 10 digits): it has ${compact.length} digits`,
    };
  return { id: p.id, kind: p.kind, topLine: p.topLine };
}

/** What each field is called in messages about a value without the site or meter it belongs to. */
const FIELD_WORDS: Record<RegisterField, string> = {
  site: 'A site name',
  address: 'An address',
  postcode: 'A postcode',
  latitude: 'A latitude',
  longitude: 'A longitude',
  floorArea: 'A floor area',
  openingHours: 'Opening hours',
  meter: 'A meter',
  fuel: 'A fuel',
  label: 'A label',
  supplier: 'A supplier',
  capacityKva: 'A capacity',
  tariff: 'A tariff',
  tariffFrom: 'A tariff start date',
  serial: 'A serial number',
};

/** A half-hour column of a meter file (`00:30`, `[24:00]`, `H0030`, `kWh_1`, `HH12`, `1`), as no register has. */
const HALF_HOUR_COLUMN = /^\[?\d{1,2}:?\d{2}\]?$|^(kwh|hh|h|hr)?\d{1,4}$/;
/** As many half-hour columns as the smallest meter file day has (the spring clock change's 46). */
const MIN_HALF_HOUR_COLUMNS = 46;

/** Finds the header (the first row naming a site or meter column, within the first rows). */
function findHeader(rows: RawRow[]): { at: number; map: ColumnMap } | null {
  for (let i = 0; i < Math.min(rows.length, MAX_PREAMBLE_ROWS); i++) {
    const map = mapColumns(rows[i]!.cells.map(textOf), rows[i]!.line);
    if (map.index.site !== undefined || map.index.meter !== undefined) return { at: i, map };
  }
  return null;
}

/** Reads a register's rows (read.ts) line by line. */
export function parseRegister(rows: RawRow[], ctx: ParseContext): ParsedRegister {
  const errors: RegisterError[] = [];
  const found = findHeader(rows);
  if (!found) {
    const first = rows[0];
    errors.push({
      line: first?.line ?? 1,
      column: null,
      message: first
        ? `No site or meter column found: the first line should name the columns, e.g. ${EXAMPLE_HEADER} (columns: ${REGISTER_COLUMNS.join(', ')})`
        : `The register is empty: its first line names the columns, e.g. ${EXAMPLE_HEADER}, then one line per meter`,
    });
    return { lines: [], errors, header: {}, ignored: [] };
  }
  const { map } = found;
  const halfHours = map.ignored.filter((h) => HALF_HOUR_COLUMN.test(h.toLowerCase().replace(/[\s_-]/g, ''))).length;
  if (halfHours >= MIN_HALF_HOUR_COLUMNS) {
    errors.push({
      line: rows[found.at]!.line,
      column: null,
      message: `This looks like a file of half-hourly meter readings (${halfHours} half-hour columns), not a register: import it on the Imports page or with eclectyc import`,
    });
    return { lines: [], errors, header: map.header, ignored: map.ignored };
  }
  errors.push(...map.errors);
  const lines: RegisterLine[] = [];
  for (const row of rows.slice(found.at + 1)) {
    if (row.problem) {
      errors.push({ line: row.line, column: null, message: row.problem.message });
      continue;
    }
    const line = parseLine(row, map, ctx, errors);
    if (line) lines.push(line);
  }
  if (lines.length === 0 && errors.length === 0)
    errors.push({
      line: rows[found.at]!.line,
      column: null,
      message: 'The register has no sites or meters below its header',
    });
  return { lines, errors, header: map.header, ignored: map.ignored };
}

/** One line's site and meter, its problems added to `errors`; null for a line with nothing the register reads. */
function parseLine(row: RawRow, map: ColumnMap, ctx: ParseContext, errors: RegisterError[]): RegisterLine | null {
  const cell = (f: RegisterField): Cell | undefined => {
    const i = map.index[f];
    return i === undefined ? undefined : row.cells[i];
  };
  const given = (f: RegisterField): boolean => textOf(cell(f)) !== '';
  // a value every meter of the line reads is reported once
  const said = new Set<string>();
  const failAt = (column: string | null, message: string): void => {
    const key = `${column}\u0000${message}`;
    if (said.has(key)) return;
    said.add(key);
    errors.push({ line: row.line, column, message });
  };
  const fail = (f: RegisterField, message: string): void => failAt(map.header[f] ?? null, message);
  const address = map.address
    .map((i) => textOf(row.cells[i]))
    .filter((s) => s !== '')
    .join(', ');
  const any = (fs: readonly RegisterField[]): RegisterField[] =>
    fs.filter((f) => (f === 'address' ? address !== '' : given(f)));
  const meterCells = map.meters.filter((m) => textOf(row.cells[m.index]) !== '');
  const fuelledGiven = (['electricity', 'gas'] as const).flatMap((fuel) =>
    Object.values(map.fuelled[fuel]).filter((c) => textOf(row.cells[c.index]) !== ''),
  );
  if (any(REGISTER_COLUMNS).length === 0 && meterCells.length === 0 && fuelledGiven.length === 0) return null;

  let site: SiteLine | null = null;
  if (given('site')) {
    const name = siteName(textOf(cell('site')));
    if (name.length > MAX_SITE_NAME) fail('site', `A site name is at most ${MAX_SITE_NAME} characters`);
    site = { name, key: siteKey(name) };
    if (address) {
      if (address.length > MAX_ADDRESS) fail('address', `An address is at most ${MAX_ADDRESS} characters`);
      else site.address = address;
    }
    readSite(site, cell, given, fail, ctx);
  } else for (const f of any(SITE_DETAILS)) fail(f, `${FIELD_WORDS[f]} needs a site name on the same line`);

  if (meterCells.length === 0) {
    for (const f of any(METER_DETAILS)) fail(f, `${FIELD_WORDS[f]} needs a meter on the same line`);
    for (const c of fuelledGiven) failAt(c.header, `"${c.header}" needs a meter on the same line`);
    return { line: row.line, site, meters: [] };
  }
  const ids: (MeterLine & { column: Column & { fuel: Fuel | null } })[] = [];
  for (const col of meterCells) {
    const id = meterIdOf(row.cells[col.index]!, (x) => ctx.meterExists(x));
    if ('error' in id) failAt(col.header, id.error);
    else if (!ids.some((m) => m.id === id.id)) ids.push({ ...id, columns: { meter: col.header }, column: col });
  }
  const several = map.meters.length > 1;
  const one = ids.length === 1 && meterCells.length === 1;
  const fuelCell = one && given('fuel') ? readFuel(textOf(cell('fuel')), (m) => fail('fuel', m)) : null;
  const meters: MeterLine[] = [];
  for (const { column, ...meter } of ids) {
    // the column's name says the fuel only beside other meter columns ("MPAN" alone may list gas meters too)
    const named = several ? column.fuel : null;
    if (fuelCell && named && fuelCell !== named)
      fail(
        'fuel',
        `The fuel "${textOf(cell('fuel'))}" does not match the column "${column.header}", which holds ${named} meters`,
      );
    const fuel = named ?? fuelCell;
    if (fuel) {
      meter.fuel = fuel;
      meter.columns.fuel = named ? column.header : map.header.fuel!;
    }
    const kindFuel: Fuel | null = meter.kind === 'mpan' ? 'electricity' : meter.kind === 'mprn' ? 'gas' : null;
    const fuelOfMeter = fuel ?? kindFuel;
    // each detail from its fuel's column when that has a value, else from the line's own column
    const columnOf = (f: FuelledDetail): Column | null => {
      const own = fuelOfMeter ? map.fuelled[fuelOfMeter][f] : undefined;
      if (own && textOf(row.cells[own.index]) !== '') return own;
      if (f === 'capacityKva' && !one && fuelOfMeter !== 'electricity') return null;
      const i = map.index[f];
      return i === undefined ? null : { index: i, header: map.header[f]! };
    };
    const mCell = (f: FuelledDetail): Cell | undefined => {
      const c = columnOf(f);
      return c ? row.cells[c.index] : undefined;
    };
    const mGiven = (f: FuelledDetail): boolean => textOf(mCell(f)) !== '';
    const mFail = (f: FuelledDetail, message: string): void => failAt(columnOf(f)?.header ?? null, message);
    readMeter(meter, mCell, mGiven, mFail, ctx);
    for (const f of ['label', 'supplier', 'serial', 'capacityKva', 'tariff', 'tariffFrom'] as const)
      if (meter[f] !== undefined) meter.columns[f] = columnOf(f)!.header;
    // a line's own tariff, beside meters of both fuels, is for the meters of its fuel
    if (!one && meter.tariff && meter.tariff.fuel !== fuelOfMeter && columnOf('tariff')?.index === map.index.tariff) {
      delete meter.tariff;
      delete meter.tariffFrom;
    }
    meters.push(meter);
  }
  // a line's own tariff that fits none of its meters is refused, not dropped
  if (!one && given('tariff')) {
    const shared = map.header.tariff!;
    const t = ctx.tariff(textOf(cell('tariff')));
    if (!('error' in t) && !meters.some((m) => m.tariff && m.columns.tariff === shared))
      fail(
        'tariff',
        `The tariff "${textOf(cell('tariff'))}" (a ${t.fuel} tariff) is taken by no meter on this line: ` +
          `give it to a ${t.fuel} meter in a column that names the fuel (e.g. "Gas tariff"), or leave the cell blank`,
      );
  }
  return { line: row.line, site, meters };
}

/** A fuel cell's fuel; null (and `fail` told) for a word that is not one. */
function readFuel(text: string, fail: (message: string) => void): Fuel | null {
  const fuel = fuelOf(text);
  if (!fuel) fail(`"${text.slice(0, 30)}" is not a fuel: expected electricity or gas`);
  return fuel;
}

type CellOf<F extends RegisterField = RegisterField> = (f: F) => Cell | undefined;
type Given<F extends RegisterField = RegisterField> = (f: F) => boolean;
type Fail<F extends RegisterField = RegisterField> = (f: F, message: string) => void;

function readSite(site: SiteLine, cell: CellOf, given: Given, fail: Fail, ctx: ParseContext): void {
  if (given('postcode')) {
    const text = textOf(cell('postcode'));
    const pc = normalisePostcode(text);
    if (pc) site.postcode = pc;
    else fail('postcode', `"${text.slice(0, 20)}" is not a UK postcode: expected e.g. BA1 7UB`);
  }
  const lat = given('latitude') ? numberOf(cell('latitude'), null, ctx.decimalComma) : undefined;
  const lon = given('longitude') ? numberOf(cell('longitude'), null, ctx.decimalComma) : undefined;
  const inRange = (v: number, [lo, hi]: readonly [number, number]): boolean => v >= lo && v <= hi;
  const swapped =
    lat !== undefined &&
    lat !== null &&
    lon !== undefined &&
    lon !== null &&
    inRange(lat, LONGITUDE) &&
    inRange(lon, LATITUDE);
  if (lat === null)
    fail('latitude', `"${textOf(cell('latitude'))}" is not a latitude: expected decimal degrees, e.g. 51.38`);
  else if (lat !== undefined && !inRange(lat, LATITUDE))
    fail(
      'latitude',
      swapped
        ? `The latitude ${lat} is outside the UK (${LATITUDE[0]} to ${LATITUDE[1]}): are latitude and longitude swapped?`
        : `The latitude ${lat} is outside the UK: expected ${LATITUDE[0]} to ${LATITUDE[1]}, e.g. 51.38`,
    );
  if (lon === null)
    fail('longitude', `"${textOf(cell('longitude'))}" is not a longitude: expected decimal degrees, e.g. -2.36`);
  else if (lon !== undefined && !inRange(lon, LONGITUDE) && !swapped)
    fail(
      'longitude',
      `The longitude ${lon} is outside the UK: expected ${LONGITUDE[0]} to ${LONGITUDE[1]}, e.g. -2.36`,
    );
  if (lat !== undefined && lon === undefined)
    fail('latitude', "A site's location needs its longitude too: give both, or neither");
  if (lon !== undefined && lat === undefined)
    fail('longitude', "A site's location needs its latitude too: give both, or neither");
  if (typeof lat === 'number' && typeof lon === 'number' && inRange(lat, LATITUDE) && inRange(lon, LONGITUDE)) {
    site.latitude = lat;
    site.longitude = lon;
  }
  if (given('floorArea')) {
    const v = numberOf(cell('floorArea'), /\s*(m2|m²|sqm|sq m)$/i, ctx.decimalComma);
    if (v === null || v <= 0 || v > 10_000_000)
      fail(
        'floorArea',
        `"${textOf(cell('floorArea'))}" is not a floor area: expected square metres above 0, e.g. 2400`,
      );
    else site.floorArea = v;
  }
  if (given('openingHours')) {
    try {
      site.openingHours = formatOpeningHours(parseOpeningHours(textOf(cell('openingHours'))));
    } catch (e) {
      if (!(e instanceof OpeningHoursError)) throw e;
      fail('openingHours', e.message);
    }
  }
}

/** A meter's details (its fuel is the line's: parseLine). */
function readMeter(
  meter: MeterLine,
  cell: CellOf<FuelledDetail>,
  given: Given<FuelledDetail>,
  fail: Fail<FuelledDetail>,
  ctx: ParseContext,
): void {
  const text = (f: 'label' | 'supplier' | 'serial', max: number, what: string): void => {
    if (!given(f)) return;
    const v = textOf(cell(f));
    if (v.length > max) fail(f, `${what} is at most ${max} characters`);
    else meter[f] = v;
  };
  text('label', MAX_TEXT, 'A label');
  text('supplier', MAX_TEXT, "A supplier's name");
  text('serial', MAX_SERIAL, 'A serial number');
  if (given('capacityKva')) {
    const v = numberOf(cell('capacityKva'), /\s*kva$/i, ctx.decimalComma);
    if (v === null || v <= 0 || v > 1_000_000)
      fail(
        'capacityKva',
        `"${textOf(cell('capacityKva'))}" is not a capacity: expected kVA above 0 (up to 1,000,000), e.g. 200`,
      );
    else meter.capacityKva = v;
  }
  if (given('tariff')) {
    const t = ctx.tariff(textOf(cell('tariff')));
    if ('error' in t) fail('tariff', t.error);
    else meter.tariff = t;
  }
  if (given('tariffFrom')) {
    const day = dayOf(cell('tariffFrom'));
    if (day === null)
      fail(
        'tariffFrom',
        `"${textOf(cell('tariffFrom'))}" is not a date: expected DD/MM/YYYY or YYYY-MM-DD, e.g. 01/04/2024`,
      );
    else if (!given('tariff')) fail('tariffFrom', 'A tariff start date needs a tariff on the same line');
    else meter.tariffFrom = day;
  }
}

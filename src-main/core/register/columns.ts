/**
 * A register's columns: the names `register.export` writes and the spellings `register.import`
 * reads (docs/registers.md). Headers are compared without case, spaces or punctuation, so
 * "Floor area (m2)", "floor_area_m2" and "FloorArea" are one column. A register may have several
 * meter columns ("Elec MPAN", "Gas MPRN": one line per site), and meter details that name a fuel
 * ("Gas supplier", "Elec serial") for the meters of that fuel.
 */
import type { RegisterError } from '../../../src-shared/contract/types';

/** A site's own columns, besides its name. */
export const SITE_DETAILS = ['address', 'postcode', 'latitude', 'longitude', 'floorArea', 'openingHours'] as const;
/** A meter's own columns, besides its MPAN or MPRN. */
export const METER_DETAILS = ['fuel', 'label', 'supplier', 'capacityKva', 'tariff', 'tariffFrom', 'serial'] as const;

export type Fuel = 'electricity' | 'gas';
/** A meter detail a column can give for the meters of one fuel ("Gas supplier"). */
export type FuelledDetail = Exclude<(typeof METER_DETAILS)[number], 'fuel'>;

/** What a register column holds. */
export type RegisterField = 'site' | (typeof SITE_DETAILS)[number] | 'meter' | (typeof METER_DETAILS)[number];

/** The columns an export writes, in order (each is also the name import reads first). */
export const REGISTER_COLUMNS: readonly RegisterField[] = ['site', ...SITE_DETAILS, 'meter', ...METER_DETAILS];

/** Other spellings of each column (already normalised: lower case, letters and digits only). */
const ALIASES: Record<RegisterField, readonly string[]> = {
  site: ['sitename', 'building', 'buildingname', 'property', 'propertyname', 'location', 'premises'],
  address: ['siteaddress', 'address1', 'address2', 'address3', 'addressline1', 'addressline2', 'addressline3'],
  postcode: ['postalcode', 'sitepostcode'],
  latitude: ['lat'],
  longitude: ['long', 'lng', 'lon'],
  floorArea: ['flooraream2', 'floorareasqm', 'gia', 'giam2', 'grossinternalarea', 'grossinternalaream2'],
  openingHours: ['hours', 'openhours', 'openingtimes'],
  meter: [
    'mpan',
    'mpancore',
    'mprn',
    'mpanmprn',
    'mprnmpan',
    'meterpoint',
    'meterpointreference',
    'supplynumber',
    'meterid',
    'fullmpan',
  ],
  fuel: ['utility', 'commodity', 'fueltype', 'utilitytype', 'energytype'],
  label: ['metername', 'meterlabel', 'description', 'meterdescription'],
  supplier: ['suppliername', 'currentsupplier'],
  capacityKva: [
    'kva',
    'capacity',
    'agreedcapacity',
    'agreedcapacitykva',
    'agreedsupplycapacity',
    'agreedsupplycapacitykva',
    'asc',
    'asckva',
    'availablecapacity',
  ],
  tariff: ['tariffid', 'tariffname'],
  tariffFrom: ['tariffstart', 'tariffstartdate', 'tarifffromdate', 'tariffdate'],
  serial: ['meterserial', 'serialnumber', 'meterserialnumber', 'msn'],
};

/** A header as compared: lower case, letters and digits only ("Floor area (m²)" → "flooraream2"). */
export const normaliseHeader = (h: string): string =>
  h
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

const BY_NAME = new Map<string, RegisterField>();
for (const f of REGISTER_COLUMNS) {
  BY_NAME.set(normaliseHeader(f), f);
  for (const a of ALIASES[f]) BY_NAME.set(a, f);
}

/** The field a header names, or null for a column the register does not read. */
export const fieldOf = (header: string): RegisterField | null => BY_NAME.get(normaliseHeader(header)) ?? null;

/** Words before or after a meter column's name that say its fuel, longest first. */
const FUEL_WORDS: readonly [string, Fuel][] = [
  ['electricity', 'electricity'],
  ['electric', 'electricity'],
  ['elec', 'electricity'],
  ['gas', 'gas'],
];

/** A meter column or meter detail whose header names a fuel ("Gas MPRN", "Elec serial", "Supplier (gas)"), or null. */
function fuelledField(norm: string): { field: 'meter' | FuelledDetail; fuel: Fuel } | null {
  for (const [word, fuel] of FUEL_WORDS) {
    const rest = norm.startsWith(word)
      ? norm.slice(word.length)
      : norm.endsWith(word)
        ? norm.slice(0, -word.length)
        : '';
    const field = rest === '' ? undefined : BY_NAME.get(rest);
    if (
      field === 'meter' ||
      (field !== undefined && field !== 'fuel' && (METER_DETAILS as readonly string[]).includes(field))
    )
      return { field: field as 'meter' | FuelledDetail, fuel };
  }
  return null;
}

/** The fuel a meter column's name says: its fuel word, else MPAN (electricity) or MPRN (gas); null for "Meter". */
function meterColumnFuel(norm: string, named: Fuel | null): Fuel | null {
  if (named) return named;
  const mpan = norm.includes('mpan');
  const mprn = norm.includes('mprn');
  return mpan && !mprn ? 'electricity' : mprn && !mpan ? 'gas' : null;
}

/** A column of the file: its index and its header as written. */
export interface Column {
  index: number;
  header: string;
}

/** Where each field is in a file: column indexes (address may span several, joined in order) and headers. */
export interface ColumnMap {
  /** Column index of each field found (address: the first of its columns). */
  index: Partial<Record<RegisterField, number>>;
  /** Every address column, in file order (address, address line 1…3). */
  address: number[];
  /** Each field's header as written in the file (the `column` of its errors). */
  header: Partial<Record<RegisterField, string>>;
  /** Every meter column in file order, with the fuel its name says (used when there are several). */
  meters: (Column & { fuel: Fuel | null })[];
  /** Meter details that name a fuel ("Gas supplier"): for the meters of that fuel. */
  fuelled: Record<Fuel, Partial<Record<FuelledDetail, Column>>>;
  /** Headers of columns the register does not read. */
  ignored: string[];
  /** Columns given twice (the same header, or two spellings of one field). */
  errors: RegisterError[];
}

/** Maps a header row (its line in the file) to the register's fields. */
export function mapColumns(headers: string[], line: number): ColumnMap {
  const map: ColumnMap = {
    index: {},
    address: [],
    header: {},
    meters: [],
    fuelled: { electricity: {}, gas: {} },
    ignored: [],
    errors: [],
  };
  const seenHeader = new Map<string, number>();
  headers.forEach((raw, i) => {
    const h = raw.trim();
    if (h === '') return;
    const norm = normaliseHeader(h);
    const fuelled = fieldOf(h) === null ? fuelledField(norm) : null;
    const field = fuelled?.field ?? fieldOf(h);
    const twice = seenHeader.get(norm);
    if (twice !== undefined) {
      map.errors.push({
        line,
        column: h,
        message: `The column "${h}" appears twice (columns ${twice + 1} and ${i + 1}): keep one of them`,
      });
      return;
    }
    seenHeader.set(norm, i);
    if (field === null || (fuelled?.field === 'capacityKva' && fuelled.fuel === 'gas')) {
      map.ignored.push(h);
      return;
    }
    if (field === 'meter') {
      map.meters.push({ index: i, header: h, fuel: meterColumnFuel(norm, fuelled?.fuel ?? null) });
      if (map.index.meter === undefined) {
        map.index.meter = i;
        map.header.meter = h;
      }
      return;
    }
    if (fuelled) {
      const f = fuelled.field as FuelledDetail;
      const before = map.fuelled[fuelled.fuel][f];
      if (before)
        map.errors.push({
          line,
          column: h,
          message: `"${before.header}" and "${h}" are the same column (${fuelled.fuel} ${f}): keep one of them`,
        });
      else map.fuelled[fuelled.fuel][f] = { index: i, header: h };
      return;
    }
    if (field === 'address') {
      map.address.push(i);
      if (map.index.address === undefined) {
        map.index.address = i;
        map.header.address = h;
      }
      return;
    }
    const before = map.index[field];
    if (before !== undefined) {
      const first = map.header[field]!;
      map.errors.push({
        line,
        column: h,
        message: `"${first}" and "${h}" are the same column (${field}): keep one of them`,
      });
      return;
    }
    map.index[field] = i;
    map.header[field] = h;
  });
  return map;
}

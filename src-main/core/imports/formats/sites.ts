/**
 * Site columns in meter files: a site name (`Site Name`, BANES' `Location`, Sheffield's `siteRef`),
 * address columns (`Address`, `Address Line 1`, `Town`…) and a postcode (`PostCode`). The readers
 * (wide.ts, long.ts) read them from a meter's rows until one names a site, then no more for that
 * meter, and hand them to the sink, which keeps them for the job (file_sites).
 * A name that is only digits (ImServ's `Site Id` 10545307) is an id, not a name, and is skipped; a
 * fuel word a file tacks on (`… Primary School Electrici`, `… Electricity Sup`) is taken off.
 */
import type { CsvRecord } from '../csv';
import type { MeterRef, RowSink } from './types';
import { normalisePostcode } from '../../../../src-shared/domain/postcode';

/** Headers (normalised: lower case, letters and digits) naming a site, best first; exact matches only. */
const NAME = [
  'sitename',
  'site',
  'sitedescription',
  'location',
  'locationname',
  'buildingname',
  'building',
  'propertyname',
  'property',
  'premisesname',
  'premises',
  'establishment',
  'establishmentname',
  'schoolname',
  'school',
  'customersite',
  'siteref',
  'sitereference',
  'siteid',
  'sitecode',
];
/** Address parts, joined in column order. */
const ADDRESS = new Set([
  'address',
  'siteaddress',
  'supplyaddress',
  'premisesaddress',
  'propertyaddress',
  'meteraddress',
  'fulladdress',
  'address1',
  'addressline1',
  'address2',
  'addressline2',
  'address3',
  'addressline3',
  'street',
  'town',
  'city',
  'county',
]);
const POSTCODE = [
  'postcode',
  'sitepostcode',
  'supplypostcode',
  'premisespostcode',
  'postalcode',
  'pcode',
  'zip',
  'zipcode',
];

interface SiteColumns {
  name: number;
  address: number[];
  postcode: number;
}

/** A file's site cells, read for each meter until a row names its site. */
export class SiteCells {
  private readonly found = new Set<number>();
  constructor(private readonly cols: SiteColumns) {}

  read(rec: CsvRecord, meter: MeterRef, sink: RowSink): void {
    if (!this.found.has(meter.index) && readSite(rec, this.cols, meter, sink)) this.found.add(meter.index);
  }
}

/** The site cells among `norm` (normalised headers) not `taken` by the reader, or null when there are none. */
export function siteCells(norm: readonly string[], taken: readonly number[]): SiteCells | null {
  const free = (i: number): boolean => i !== -1 && !taken.includes(i);
  const first = (aliases: readonly string[]): number => aliases.map((a) => norm.indexOf(a)).find(free) ?? -1;
  const name = first(NAME);
  const postcode = first(POSTCODE);
  const address = norm.map((n, i) => (ADDRESS.has(n) && free(i) ? i : -1)).filter((i) => i !== -1);
  if (name === -1 && address.length === 0) return null;
  return new SiteCells({ name, address, postcode });
}

/** A fuel word (maybe cut short) at the end of a name, with a supply/meter word after it. */
const FUEL_TAIL = /\s+(?:electri[a-z]*|elec|gas)(?:\s+(?:sup[a-z]*|meter[a-z]*|main[a-z]*|incomer))?$/i;

const tidy = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** A site name from a cell: tidied, a trailing fuel word taken off; null when blank or only digits. */
function siteName(cell: string): string | null {
  const t = tidy(cell).replace(FUEL_TAIL, '').slice(0, 200).trim();
  return t === '' || /^[\d\s./-]+$/.test(t) ? null : t;
}

/**
 * Reads a record's site cells and gives them to the sink for `meter`: the name (or, without one, the
 * address) names the site. False when the row names none.
 */
function readSite(rec: CsvRecord, cols: SiteColumns, meter: MeterRef, sink: RowSink): boolean {
  const parts: string[] = [];
  for (const i of cols.address) {
    const p = tidy(rec.text(i));
    if (p) parts.push(p);
  }
  const address = parts.length ? parts.join(', ').slice(0, 300) : null;
  const name = (cols.name === -1 ? null : siteName(rec.text(cols.name))) ?? address;
  if (name === null) return false;
  sink.site(meter, name, address, cols.postcode === -1 ? null : normalisePostcode(rec.text(cols.postcode)));
  return true;
}

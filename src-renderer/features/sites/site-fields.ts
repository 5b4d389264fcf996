/**
 * A site's own fields as typed on its page and in "New site": location (latitude and longitude,
 * both in the UK, both or neither), floor area (m²), and closures (first and last day closed, both
 * included, sent with `to` the day after the last). Each check gives the value the contract takes
 * or a message in words for the field. Pure.
 */
import type { SiteClosure, SiteSummary } from '../../../src-shared/contract/types';
import { dayAfter } from '../../components/DateRangeForm';
import { isoDay } from '../../../src-shared/domain/periods';
import { isoToUkDate, parseUkDate } from '../../lib/format';

/** The UK's bounds as the contract checks them. */
export const UK_LATITUDE = [49, 61] as const;
export const UK_LONGITUDE = [-9, 2] as const;

const NUMBER = /^[-+\u2212]?(\d+(\.\d*)?|\.\d+)$/;

/** A typed decimal number (a typographic minus is read too), or null when it is not one. */
function readNumber(text: string): number | null {
  const s = text.trim().replace('\u2212', '-');
  return NUMBER.test(s) ? Number(s) : null;
}

/** A number as shown in words, with a typographic minus. */
const signed = (v: number): string => String(v).replace('-', '\u2212');

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

/**
 * Latitude and longitude as typed: both empty (no location), or both numbers inside the UK. Errors
 * are keyed `latitude` and `longitude`.
 */
export function checkLocation(
  latitude: string,
  longitude: string,
): Checked<{ latitude: number; longitude: number } | null> {
  const errors: Record<string, string> = {};
  if (latitude.trim() === '' && longitude.trim() === '') return { ok: true, value: null };
  const lat = readNumber(latitude);
  const lon = readNumber(longitude);
  if (latitude.trim() === '') errors.latitude = 'Enter the latitude too (e.g. 51.38), or clear both';
  else if (lat === null) errors.latitude = `“${latitude.trim()}” is not a number: type degrees north, e.g. 51.38`;
  else if (lat < UK_LATITUDE[0] || lat > UK_LATITUDE[1])
    errors.latitude = `${signed(lat)}° is outside the UK: latitudes run from ${UK_LATITUDE[0]} (Channel Islands) to ${UK_LATITUDE[1]} (Shetland)`;
  if (longitude.trim() === '') errors.longitude = 'Enter the longitude too (e.g. −2.36), or clear both';
  else if (lon === null)
    errors.longitude = `“${longitude.trim()}” is not a number: type degrees east, negative for west (e.g. −2.36)`;
  else if (lon < UK_LONGITUDE[0] || lon > UK_LONGITUDE[1])
    errors.longitude = `${signed(lon)}° is outside the UK: longitudes run from −9 (west of Northern Ireland) to 2 (East Anglia); west is negative`;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { latitude: lat!, longitude: lon! } };
}

/** Floor area in m² as typed: empty (none), or a number above 0 (thousands separators allowed). */
export function checkFloorArea(text: string): Checked<number | null> {
  const s = text.trim().replace(/,(?=\d{3}\b)/g, '');
  if (s === '') return { ok: true, value: null };
  const v = readNumber(s);
  if (v === null)
    return { ok: false, errors: { floorAreaM2: `“${text.trim()}” is not a number of square metres, e.g. 2400` } };
  if (v <= 0) return { ok: false, errors: { floorAreaM2: 'A floor area is above 0 m² (leave it empty if not known)' } };
  if (v > 10_000_000)
    return { ok: false, errors: { floorAreaM2: 'That is more than 10 km²: check the figure is in m²' } };
  return { ok: true, value: v };
}

/** A stored coordinate for its input (`51.38`), '' when there is none. */
export const coordinateText = (v: number | null): string => (v === null ? '' : String(v));

/** The fields as typed. */
export interface SiteFieldsDraft {
  latitude: string;
  longitude: string;
  floorArea: string;
  generation: boolean;
}

/** What sites.create and sites.update take for them. */
export interface SiteFieldsValue {
  latitude: number | null;
  longitude: number | null;
  floorAreaM2: number | null;
  generation: boolean;
}

/** A site's stored fields as typed (a new site: all empty). */
export const draftOfSite = (s: SiteSummary | null): SiteFieldsDraft => ({
  latitude: coordinateText(s?.latitude ?? null),
  longitude: coordinateText(s?.longitude ?? null),
  floorArea: s && s.floorAreaM2 !== null ? String(s.floorAreaM2) : '',
  generation: s?.generation ?? false,
});

/** The draft's values, or a message per field (keyed as the contract names them). */
export function checkSiteFields(
  d: SiteFieldsDraft,
): { ok: true; value: SiteFieldsValue } | { ok: false; errors: Record<string, string> } {
  const loc = checkLocation(d.latitude, d.longitude);
  const area = checkFloorArea(d.floorArea);
  if (!loc.ok || !area.ok)
    return { ok: false, errors: { ...(loc.ok ? {} : loc.errors), ...(area.ok ? {} : area.errors) } };
  return {
    ok: true,
    value: {
      latitude: loc.value?.latitude ?? null,
      longitude: loc.value?.longitude ?? null,
      floorAreaM2: area.value,
      generation: d.generation,
    },
  };
}

/**
 * A closure from its first and last days closed (as DateFields report them: `YYYY-MM-DD`, or the
 * text when it is not a date): the contract's `from` and `to` (the day after the last). Errors are
 * keyed `first` and `last`.
 */
export function checkClosure(first: string, last: string): Checked<{ from: string; to: string }> {
  const errors: Record<string, string> = {};
  const a = parseUkDate(first);
  const b = parseUkDate(last);
  if (first.trim() === '') errors.first = 'Enter the first day closed, as DD/MM/YYYY';
  else if (!a.ok) errors.first = a.error;
  if (last.trim() === '') errors.last = 'Enter the last day closed, as DD/MM/YYYY (the same day for one day)';
  else if (!b.ok) errors.last = b.error;
  if (a.ok && b.ok && b.iso < a.iso)
    errors.last = `The last day (${isoToUkDate(b.iso)}) is before the first (${isoToUkDate(a.iso)})`;
  if (Object.keys(errors).length > 0 || !a.ok || !b.ok) return { ok: false, errors };
  return { ok: true, value: { from: a.iso, to: dayAfter(b.iso) } };
}

/** The last day of a closure (its `to` is exclusive). */
export const closureLastDay = (c: Pick<SiteClosure, 'to'>): string =>
  isoDay(Date.parse(`${c.to}T00:00:00Z`) / 86_400_000 - 1);

/** How many days a closure covers, both ends included. */
export const closureDays = (c: Pick<SiteClosure, 'from' | 'to'>): number =>
  Math.round((Date.parse(`${c.to}T00:00:00Z`) - Date.parse(`${c.from}T00:00:00Z`)) / 86_400_000);

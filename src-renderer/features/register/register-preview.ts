/**
 * What the register dialog shows of a `register.import` result: the counts in words, the lines that
 * create or change something with each field as "before → after", and the bytes of a chosen file as
 * base64 (the desktop app sends them; a browser uploads the file). Also the site suggestions card's
 * choices turned into `sites.acceptSuggestions` items, checked first.
 */
import type { Args } from '../../../src-shared/contract/api';
import type { RegisterChange, RegisterImportResult, SiteSuggestion } from '../../../src-shared/contract/types';
import { normalisePostcode } from '../../../src-shared/domain/postcode';
import { isoToUkDate, plural } from '../../lib/format';

/** The register's column names in words. */
const FIELD_WORDS: Record<string, string> = {
  name: 'name',
  address: 'address',
  postcode: 'postcode',
  latitude: 'latitude',
  longitude: 'longitude',
  floorArea: 'floor area (m²)',
  openingHours: 'opening hours',
  site: 'site',
  fuel: 'fuel',
  label: 'label',
  supplier: 'supplier',
  capacityKva: 'capacity (kVA)',
  serial: 'serial',
  tariff: 'tariff',
};

export const fieldWord = (field: string): string => FIELD_WORDS[field] ?? field;

/** The counts as a sentence: "2 sites to create, 1 to change · 5 meters to create" (or what was done). */
export function countsText(r: RegisterImportResult, done = false): string {
  const part = (created: number, updated: number, one: string): string | null => {
    const bits = [
      created ? `${plural(created, one)} ${done ? 'created' : 'to create'}` : null,
      updated ? `${created ? updated : plural(updated, one)} ${done ? 'changed' : 'to change'}` : null,
    ].filter((b): b is string => b !== null);
    return bits.length ? bits.join(', ') : null;
  };
  const parts = [part(r.sitesCreated, r.sitesUpdated, 'site'), part(r.metersCreated, r.metersUpdated, 'meter')].filter(
    (p): p is string => p !== null,
  );
  return parts.length ? parts.join(' · ') : 'Nothing to change: every site and meter is as the register says';
}

/** The lines that create or change something, in file order. */
export const changedLines = (r: RegisterImportResult): RegisterChange[] =>
  r.changes.filter((c) => c.action !== 'unchanged');

/** A tariff as the register reports it ("acme-flat-2025 from 2025-04-01"), by its name and with a UK date. */
function tariffText(value: string, tariffNames: ReadonlyMap<string, string>): string {
  const m = /^(.+) from (\d{4}-\d{2}-\d{2})$/.exec(value);
  if (!m) return tariffNames.get(value) ?? value;
  return `${tariffNames.get(m[1]!) ?? m[1]} from ${isoToUkDate(m[2]!) || m[2]}`;
}

/**
 * A changed field's values: "BA1 1AA → BA1 2BB", or "BA1 2BB" when it had none; a tariff by its name
 * (from `tariffNames`, by id, when known) and its first day as DD/MM/YYYY.
 */
export function valueText(
  f: RegisterChange['fields'][number],
  tariffNames: ReadonlyMap<string, string> = new Map(),
): string {
  const show = (v: string | null): string => (v === null ? '—' : f.field === 'tariff' ? tariffText(v, tariffNames) : v);
  return f.from === null ? show(f.to) : `${show(f.from)} → ${show(f.to)}`;
}

/** Base64 of a file's bytes (in pieces: a spread of a large array overflows the call stack). */
export function base64OfBytes(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** A suggestion as the card edits it. */
export interface SuggestionDraft {
  chosen: boolean;
  name: string;
  postcode: string;
}

/** The key a suggestion is kept under (its name and postcode as offered). */
export const suggestionKey = (s: SiteSuggestion): string => `${s.name}\u0000${s.postcode ?? ''}`;

export const draftOf = (s: SiteSuggestion): SuggestionDraft => ({
  chosen: true,
  name: s.name,
  postcode: s.postcode ?? '',
});

type Items = Args<'sites.acceptSuggestions'>['items'];

/**
 * The chosen suggestions as items to accept (under the names typed) or to dismiss (as offered), or a
 * problem per suggestion key (a blank name, a postcode that is not one).
 */
export function acceptItems(
  list: SiteSuggestion[],
  drafts: Record<string, SuggestionDraft>,
  dismiss: boolean,
): { ok: true; items: Items } | { ok: false; errors: Record<string, string> } {
  const items: Items = [];
  const errors: Record<string, string> = {};
  for (const s of list) {
    const key = suggestionKey(s);
    const d = drafts[key] ?? draftOf(s);
    if (!d.chosen) continue;
    if (dismiss) {
      items.push({ name: s.name, meters: s.meters, dismiss: true });
      continue;
    }
    const name = d.name.trim();
    const postcode = d.postcode.trim() ? normalisePostcode(d.postcode) : null;
    if (!name) errors[key] = 'A site needs a name';
    else if (d.postcode.trim() && !postcode) errors[key] = `“${d.postcode.trim()}” is not a UK postcode (e.g. BA1 7UB)`;
    else items.push({ name, address: s.address, postcode, meters: s.meters });
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, items };
}

/** The Imports page's options for web uploads: what the user chose, validated, as imports.enqueue arguments. Pure. */
// Types only: the contract's value exports pull in zod, which the renderer does not need.
import type { Args, IMPORT_FORMATS } from '../../../src-shared/contract/api';
import type { ImportJob, ImportStatus, Priority } from '../../../src-shared/contract/types';

export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const FORMAT_NAMES: Record<ImportFormat, string> = {
  auto: 'Auto-detect',
  long: 'One reading per row (meter, time, kWh)',
  settlement: 'Settlement periods (date + period 1–50)',
  lcl: 'Low Carbon London smart-meter trial',
  'smart-csv': 'Smart-meter CSV without a meter column',
  wide: 'One row per day, a column per half-hour',
  'octopus-json': 'Octopus API JSON (kWh)',
  'octopus-json-m3': 'Octopus API JSON (gas, m³)',
  'n3rgy-json': 'n3rgy consumer API JSON',
};

/** The formats in the order the Format menu lists them (FORMAT_NAMES has exactly the contract's formats). */
export const FORMAT_CHOICES = Object.keys(FORMAT_NAMES) as ImportFormat[];

export interface ImportOptions {
  format: ImportFormat;
  /** Meter id for files without a meter column; empty = none. */
  meter: string;
  onConflict: 'keep' | 'replace';
  priority: Priority;
  notes: string;
  /** Comma separated. */
  tags: string;
}

export const DEFAULT_OPTIONS: ImportOptions = {
  format: 'auto',
  meter: '',
  onConflict: 'keep',
  priority: 'normal',
  notes: '',
  tags: '',
};

export type EnqueueOptions = Omit<Args<'imports.enqueue'>, 'fileIds'>;

export function parseTags(s: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const t of s.split(',')) {
    const v = t.trim();
    if (v && !seen.has(v.toLowerCase())) {
      seen.add(v.toLowerCase());
      out.push(v);
    }
  }
  return out;
}

/** Problems per field (empty when the options can be sent). */
export function validateOptions(o: ImportOptions): Partial<Record<keyof ImportOptions, string>> {
  const e: Partial<Record<keyof ImportOptions, string>> = {};
  if (o.meter.length > 0 && o.meter.trim().length === 0)
    e.meter = 'enter a meter id (MPAN or MPRN), or leave this empty';
  else if (o.meter.trim().length > 64) e.meter = 'a meter id has at most 64 characters';
  else if (o.meter.trim() && !/^[A-Za-z0-9 _./-]+$/.test(o.meter.trim()))
    e.meter = 'use letters, digits, spaces, dots, dashes or slashes only';
  const tags = parseTags(o.tags);
  if (tags.length > 20) e.tags = 'at most 20 tags';
  else if (tags.some((t) => t.length > 40)) e.tags = 'each tag has at most 40 characters';
  if (o.notes.length > 2000) e.notes = 'notes have at most 2,000 characters';
  return e;
}

/** imports.enqueue arguments (without fileIds) for the options; defaults are left out. */
export function enqueueOptions(o: ImportOptions, dryRun: boolean): EnqueueOptions {
  const out: EnqueueOptions = { dryRun };
  if (o.priority !== 'normal') out.priority = o.priority;
  if (o.onConflict !== 'keep') out.onConflict = o.onConflict;
  if (o.format !== 'auto') out.format = o.format;
  if (o.meter.trim()) out.meter = o.meter.trim();
  if (o.notes.trim()) out.notes = o.notes.trim();
  const tags = parseTags(o.tags);
  if (tags.length) out.tags = tags;
  return out;
}

/** The arguments that re-run a finished dry run for real, with the options it was checked with. */
export function forRealOptions(job: ImportJob, remembered: EnqueueOptions | undefined): EnqueueOptions {
  if (remembered) return { ...remembered, dryRun: false };
  const out: EnqueueOptions = { dryRun: false };
  if (job.priority !== 'normal') out.priority = job.priority;
  if (job.onConflict !== 'keep') out.onConflict = job.onConflict;
  if (job.notes) out.notes = job.notes;
  if (job.tags.length) out.tags = job.tags;
  return out;
}

export interface JobFilter {
  status: ImportStatus | '';
  search: string;
}

/** The client-side half of the list filter, for jobs that arrive by event after a filtered fetch. */
export function matchesFilter(job: ImportJob, f: JobFilter): boolean {
  if (f.status && job.status !== f.status) return false;
  const q = f.search.trim().toLowerCase();
  if (!q) return true;
  return (
    job.file.toLowerCase().includes(q) ||
    (job.notes ?? '').toLowerCase().includes(q) ||
    job.tags.some((t) => t.toLowerCase().includes(q))
  );
}

export interface JobGroup {
  batchId: string;
  jobs: ImportJob[];
}

/** Consecutive jobs of the same batch, in list order. */
export function groupByBatch(jobs: ImportJob[]): JobGroup[] {
  const out: JobGroup[] = [];
  for (const j of jobs) {
    const last = out[out.length - 1];
    if (last && last.batchId === j.batchId) last.jobs.push(j);
    else out.push({ batchId: j.batchId, jobs: [j] });
  }
  return out;
}

/**
 * Data feeds in words: kinds, statuses and their tones, where a source reads from, why a run started,
 * times as DD/MM/YYYY HH:MM (UK), and the line the meter page shows about where its data comes from.
 * Pure.
 */
import type { MeterFeed, SourceKind, SourceRun, SourceStatus, SourceSummary } from '../../../src-shared/contract/types';

export const KIND_LABEL: Record<SourceKind, string> = {
  folder: 'Watched folder',
  sftp: 'SFTP pickup',
  octopus: 'Octopus Energy',
  n3rgy: 'n3rgy',
};

export const STATUS_LABEL: Record<SourceStatus, string> = {
  idle: 'Not run yet',
  running: 'Running',
  ok: 'OK',
  failed: 'Failed',
  behind: 'Behind',
  disabled: 'Off',
};

/** The badge colour of a status: behind in amber, failed in red. */
export const STATUS_TONE: Record<SourceStatus, 'green' | 'amber' | 'red' | 'blue' | 'grey'> = {
  idle: 'grey',
  running: 'blue',
  ok: 'green',
  failed: 'red',
  behind: 'amber',
  disabled: 'grey',
};

export const TRIGGER_LABEL: Record<SourceRun['trigger'], string> = {
  schedule: 'On schedule',
  manual: 'Run now',
  'catch-up': 'Catch-up (was asleep or closed)',
  watch: 'Files arrived',
};

/** Where a source reads from: the folder, `user@host:path`, or the API's meter. */
export function whereText(s: Pick<SourceSummary, 'kind' | 'config'>): string {
  const c = s.config as Record<string, string | number | boolean | null | undefined>;
  if (s.kind === 'folder') return `${c.path}${c.recursive ? ' (and subfolders)' : ''}`;
  if (s.kind === 'sftp') return `${c.username}@${c.host}${c.port && c.port !== 22 ? `:${c.port}` : ''}:${c.path}`;
  return `${c.fuel === 'gas' ? 'Gas' : 'Electricity'} ${c.meter}`;
}

/** "Every 15 minutes", "Every hour", "Every 6 hours", "Every day". */
export function everyText(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? 'Every day' : `Every ${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? 'Every hour' : `Every ${minutes / 60} hours`;
  return `Every ${minutes} minutes`;
}

const ukParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function parts(ms: number): { date: string; time: string } {
  const p = Object.fromEntries(ukParts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { date: `${p.day}/${p.month}/${p.year}`, time: `${p.hour}:${p.minute}` };
}

/** UK date and time as `27/11/2026 06:10` ('—' when there is none). */
export function ukDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const p = parts(Date.parse(iso));
  return `${p.date} ${p.time}`;
}

/** UK date as `27/11/2026`. */
export function ukDate(iso: string): string {
  return parts(Date.parse(iso)).date;
}

/** A time soon: `07:10` on the same UK day as `now`, else `28/11/2026 07:10`. */
export function dueText(iso: string, now: number): string {
  const due = parts(Date.parse(iso));
  return due.date === parts(now).date ? due.time : `${due.date} ${due.time}`;
}

/** A source's name as the meter page says it: `Watched folder ‘DC drop’`. */
export const sourceName = (s: { kind: SourceKind; name: string }): string => `${KIND_LABEL[s.kind]} ‘${s.name}’`;

/** The meter page's line about where its data comes from, and how urgent it is. */
export interface FeedLine {
  text: string;
  tone: 'normal' | 'amber' | 'red';
  /** The source to link to (the first one). */
  sourceId: number | null;
}

/**
 * "Data from Watched folder ‘DC drop’ · last received 27/11/2026 06:10 · next due 07:10", or
 * "Imported by hand · last import 12/11/2026 (file.csv)"; null when the meter has had no import.
 */
export function feedLine(feed: MeterFeed, now: number): FeedLine | null {
  if (feed.sources.length > 0) {
    const names = feed.sources.map(sourceName);
    const from =
      names.length <= 2 ? names.join(' and ') : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
    const parts = [`Data from ${from}`];
    parts.push(feed.lastReceivedAt ? `last received ${ukDateTime(feed.lastReceivedAt)}` : 'nothing received yet');
    if (feed.nextDueAt) parts.push(`next due ${dueText(feed.nextDueAt, now)}`);
    const failed = feed.sources.find((s) => s.status === 'failed');
    const behind = feed.sources.find((s) => s.status === 'behind');
    if (failed) parts.push(`${failed.name}: last run failed`);
    else if (behind) parts.push(`${behind.name} is behind`);
    return {
      text: parts.join(' · '),
      tone: failed ? 'red' : behind ? 'amber' : 'normal',
      sourceId: feed.sources[0]!.id,
    };
  }
  if (!feed.lastImport) return null;
  const when = feed.lastImport.finishedAt ? ` ${ukDate(feed.lastImport.finishedAt)}` : '';
  const how = feed.lastImport.sourceId !== null ? 'Imported by a data feed since removed' : 'Imported by hand';
  return { text: `${how} · last import${when} (${feed.lastImport.file})`, tone: 'normal', sourceId: null };
}

/** A run in a line: "3 found, 1 new file queued" / "failed: …". */
export function runSummary(r: SourceRun): string {
  if (r.status === 'running') return r.itemsQueued > 0 ? `Running: ${r.itemsQueued} queued so far` : 'Running…';
  if (r.status === 'failed')
    return r.itemsQueued > 0 ? `${r.itemsQueued} new queued for import before it failed` : 'Nothing taken';
  const found = `${r.itemsFound} found`;
  const queued = r.itemsQueued === 0 ? 'nothing new' : `${r.itemsQueued} new, queued for import`;
  return `${found}, ${queued}`;
}

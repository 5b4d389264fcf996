/** JSON-safe domain types shared by core, hosts and renderer (ISO strings, never Date). */

export type Role = 'viewer' | 'manager' | 'admin';
export const ROLE_RANK: Record<Role, number> = { viewer: 0, manager: 1, admin: 2 };

export type Fuel = 'electricity' | 'gas';
export type Quality = 'actual' | 'estimated' | 'missing';

export type ImportStatus = 'queued' | 'running' | 'retrying' | 'done' | 'failed' | 'cancelled';
export type Priority = 'high' | 'normal' | 'low';

export interface RowError {
  /** 1-based line number in the file. */
  line: number;
  /** 1-based column, when the problem is in one field. */
  column?: number;
  /** The offending value, truncated. */
  value?: string;
  message: string;
}

export interface ImportJob {
  id: number;
  batchId: string;
  file: string;
  format: string | null;
  status: ImportStatus;
  priority: Priority;
  dryRun: boolean;
  attempts: number;
  bytes: number;
  bytesDone: number;
  rowsRead: number;
  readingsImported: number;
  duplicates: number;
  conflicts: number;
  rowsRejected: number;
  metersCreated: string[];
  errors: RowError[];
  lastError: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Dry runs: what would be imported. */
  preview: ImportPreview | null;
  onConflict: 'keep' | 'replace';
  notes: string | null;
  tags: string[];
  /** When a retrying job runs next (UTC). */
  nextAttemptAt: string | null;
}

export interface ImportPreview {
  meters: string[];
  firstReading: string | null;
  lastReading: string | null;
}

export interface ImportProgress {
  jobId: number;
  percent: number;
  rowsRead: number;
  rowsPerSecond: number;
  etaSeconds: number | null;
}

export interface MeterSummary {
  mpan: string;
  kind: 'mpan' | 'mprn' | 'other';
  fuel: Fuel;
  site: string | null;
  firstReading: string | null;
  lastReading: string | null;
  readings: number;
}

export interface SiteSummary {
  id: number;
  name: string;
  organisation: string;
  meters: number;
}

export interface Reading {
  /** Interval start, ISO 8601 UTC. */
  start: string;
  kwh: number | null;
  quality: Quality;
}

/** A compact series for charts: parallel arrays, epoch seconds UTC. */
export interface Series {
  meter: string;
  ts: number[];
  kwh: (number | null)[];
}

export interface StoredFile {
  fileId: string;
  name: string;
  bytes: number;
  sha256: string;
}

export interface AppInfo {
  version: string;
  dataDir: string;
  host: 'desktop' | 'server' | 'cli' | 'memory';
  role: Role;
}

export interface Settings {
  /** Finished import jobs and their stored files are deleted after this many days (readings stay). */
  importRetentionDays: number;
}

/**
 * Data sources as the contract offers them: adding and changing them (their secrets kept in the
 * secret store, never in their settings or answers), removing them, running them, their status, and
 * where a meter's data comes from. Owns the runner and the schedule.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Handlers } from '../../../src-shared/contract/api';
import { AppError } from '../../../src-shared/contract/errors';
import type { MeterFeed, SourceDetail, SourceKind, SourceRun, SourceSummary } from '../../../src-shared/contract/types';
import { isoUtc } from '../../../src-shared/domain/london-time';
import type { MeterService } from '../meters/meter-service';
import { SOURCE_SECRET_NAMES, sourceSecretKey, type SourceSecretName } from '../notify/secrets';
import type { ReadingsStore } from '../readings/store';
import { privateKeyProblem } from '../sftp/connection';
import { SourceRunner, type RunnerDeps, type RunnerOptions } from './runner';
import { SourceSchedule, type ScheduleOptions } from './schedule';
import { SourceStore, sourceStatus, type SourceConfig, type SourceRow } from './store';

type SaveArgs = Parameters<Handlers['sources.save']>[0];

/** The secrets each kind uses (the others are cleared when a source changes kind). */
export const KIND_SECRETS: Record<SourceKind, readonly SourceSecretName[]> = {
  folder: [],
  sftp: ['password', 'privateKey', 'passphrase'],
  octopus: ['apiKey'],
  n3rgy: ['apiKey'],
};

/** Minutes between runs when none is given. */
const DEFAULT_EVERY_MINUTES = 60;

interface Issue {
  path: string;
  message: string;
}

/** INVALID_ARGS as zod's are answered: a sentence per problem, each naming its field for forms. */
function invalid(issues: Issue[]): AppError {
  return new AppError('INVALID_ARGS', issues.map((i) => `${i.message} (${i.path})`).join('; '), issues);
}

export class SourceService {
  readonly store: SourceStore;
  readonly runner: SourceRunner;
  readonly schedule: SourceSchedule;

  constructor(
    private readonly d: RunnerDeps & { readings: ReadingsStore; meters: MeterService },
    opts: RunnerOptions & ScheduleOptions = {},
  ) {
    this.store = new SourceStore(d.sqlite);
    this.runner = new SourceRunner(this.store, d, opts);
    this.schedule = new SourceSchedule(this.store, this.runner, d.clock, d.log, opts);
  }

  private nowSec(): number {
    return Math.floor(this.d.clock.now() / 1000);
  }

  // ---------------------------------------------------------------- reading

  private secretsSet(id: number, kind: SourceKind): string[] {
    return KIND_SECRETS[kind].filter((n) => this.d.secrets.source(sourceSecretKey(id, n)) !== null);
  }

  /** The meters a source has brought readings for, by MPAN/MPRN. */
  private metersOf(r: SourceRow): string[] {
    const ids = this.d.readings.metersWrittenBy(this.store.jobIds(r.id));
    const names = ids.length
      ? (this.d.sqlite
          .prepare(`SELECT identifier FROM meters WHERE id IN (${ids.map(() => '?').join(',')})`)
          .pluck()
          .all(...ids) as string[])
      : [];
    return names.sort();
  }

  summary(r: SourceRow): SourceSummary {
    return {
      ...this.store.base(r),
      status: sourceStatus(r, this.store.lastRunStatus(r.id), this.nowSec()),
      secretsSet: this.secretsSet(r.id, r.kind),
      meters: this.metersOf(r),
    };
  }

  list(): SourceSummary[] {
    return this.store.rows().map((r) => this.summary(r));
  }

  get(id: number): SourceDetail {
    return { ...this.summary(this.store.row(id)), runs: this.store.runs(id), items: this.store.items(id) };
  }

  /**
   * Where a meter's data comes from: the sources whose imports wrote its readings (and those whose
   * settings name it), the last import that wrote them, and when its sources next run.
   */
  feed(meter: string): MeterFeed {
    const { id, identifier } = this.d.meters.meterRow(meter);
    const jobs = this.d.readings.jobsWritingMeter(id);
    const rows = jobs.length
      ? (this.d.sqlite
          .prepare(
            `SELECT id, file_name, finished_at, source_id FROM import_jobs
             WHERE id IN (${jobs.map(() => '?').join(',')}) AND status = 'done' AND dry_run = 0
             ORDER BY coalesce(finished_at, created_at) DESC, id DESC`,
          )
          .all(...jobs) as { id: number; file_name: string; finished_at: number | null; source_id: number | null }[])
      : [];
    const sourceIds = new Set(rows.map((j) => j.source_id).filter((s): s is number => s !== null));
    for (const r of this.store.rows()) if (this.store.config(r).meter === identifier) sourceIds.add(r.id);
    const now = this.nowSec();
    const sources = [...sourceIds]
      .map((sid) => this.store.find(sid))
      .filter((r): r is SourceRow => r !== null)
      .map((r) => ({
        id: r.id,
        name: r.name,
        kind: r.kind,
        status: sourceStatus(r, this.store.lastRunStatus(r.id), now),
        nextRunAt: r.enabled && r.next_run_at !== null ? isoUtc(r.next_run_at) : null,
      }));
    const last = rows[0];
    const due = sources.map((s) => s.nextRunAt).filter((t): t is string => t !== null);
    return {
      meter: identifier,
      sources,
      lastImport: last
        ? {
            jobId: last.id,
            file: last.file_name,
            finishedAt: last.finished_at === null ? null : isoUtc(last.finished_at),
            sourceId: last.source_id,
          }
        : null,
      lastReceivedAt: last?.finished_at ? isoUtc(last.finished_at) : null,
      nextDueAt: due.length ? due.sort()[0]! : null,
    };
  }

  // ---------------------------------------------------------------- changing

  /** Problems the schema cannot see: the folder must exist, an SFTP source needs a way to sign in… */
  private check(a: SaveArgs, config: SourceConfig, secretSet: (n: SourceSecretName) => boolean): Issue[] {
    const issues: Issue[] = [];
    const other = this.store.nameTaken(a.name, a.id);
    if (other !== null) issues.push({ path: 'name', message: `Another data source (${other}) is called ${a.name}` });
    if (config.kind === 'folder') {
      if (!path.isAbsolute(config.path))
        issues.push({
          path: 'config.path',
          message: 'Give the folder’s full path, e.g. /srv/dc-drop or \\\\server\\share\\dc-drop',
        });
      else if (!fs.statSync(config.path, { throwIfNoEntry: false })?.isDirectory())
        issues.push({
          path: 'config.path',
          message: `There is no folder ${config.path} on the computer running the app`,
        });
      for (const k of ['doneFolder', 'failedFolder'] as const) {
        const dir = config[k];
        if (!dir) continue;
        if (!path.isAbsolute(dir)) issues.push({ path: `config.${k}`, message: 'Give the folder’s full path' });
        else if (path.resolve(dir) === path.resolve(config.path))
          issues.push({ path: `config.${k}`, message: 'Choose a folder other than the watched folder itself' });
      }
    }
    if (config.kind === 'sftp') {
      if (config.afterImport === 'move' && !config.moveTo)
        issues.push({ path: 'config.moveTo', message: 'Say which folder on the server to move files to' });
      if (!secretSet('password') && !secretSet('privateKey'))
        issues.push({ path: 'secrets.password', message: 'Set a password or a private key to sign in with' });
      const key = a.secrets?.privateKey;
      const problem = key ? privateKeyProblem(key, a.secrets?.passphrase) : null;
      if (problem) issues.push({ path: 'secrets.privateKey', message: problem });
    }
    if ((config.kind === 'octopus' || config.kind === 'n3rgy') && !secretSet('apiKey'))
      issues.push({ path: 'secrets.apiKey', message: 'Set the API key' });
    return issues;
  }

  /** Adds (no id) or changes a source and its secrets, all or nothing. */
  save(a: SaveArgs): SourceSummary {
    const now = this.nowSec();
    const before = a.id !== undefined ? this.store.row(a.id) : null;
    let config: SourceConfig = a.config;
    // an SFTP source changed without naming its host key keeps the one pinned for the same server
    if (config.kind === 'sftp' && config.hostKey === undefined && before?.kind === 'sftp') {
      const old = this.store.config(before);
      if (old.kind === 'sftp' && old.host === config.host && (old.port ?? 22) === (config.port ?? 22))
        config = { ...config, hostKey: old.hostKey ?? null };
    }
    const uses = KIND_SECRETS[config.kind];
    const secretSet = (n: SourceSecretName): boolean => {
      const given = a.secrets?.[n];
      if (given !== undefined) return given !== null && given !== '';
      return before !== null && this.d.secrets.source(sourceSecretKey(before.id, n)) !== null;
    };
    const issues = this.check(a, config, secretSet);
    for (const n of SOURCE_SECRET_NAMES)
      if (a.secrets?.[n] && !uses.includes(n))
        issues.push({ path: `secrets.${n}`, message: `A ${config.kind} source has no ${n}` });
    if (issues.length) throw invalid(issues);
    const every = a.everyMinutes ?? before?.every_minutes ?? DEFAULT_EVERY_MINUTES;
    const enabled = a.enabled ?? (before ? before.enabled === 1 : true);
    let id: number;
    if (before) {
      id = before.id;
      // switched on: it runs soon; a new interval: the next run comes no later than one interval from now
      const nextRunAt =
        enabled && before.enabled === 0
          ? now
          : every !== before.every_minutes
            ? Math.min(before.next_run_at ?? now, now + every * 60)
            : before.next_run_at;
      this.store.update(id, { name: a.name, config, everyMinutes: every, enabled, nextRunAt }, now);
    } else {
      // a new source runs straight away
      id = this.store.insert({ name: a.name, config, everyMinutes: every, enabled }, now);
    }
    try {
      for (const n of SOURCE_SECRET_NAMES) {
        const key = sourceSecretKey(id, n);
        if (!uses.includes(n)) {
          if (this.d.secrets.source(key) !== null) this.d.secrets.set(key, null);
        } else if (a.secrets?.[n] !== undefined) this.d.secrets.set(key, a.secrets[n] || null);
      }
    } catch (e) {
      if (!before) this.store.remove(id);
      throw e;
    }
    this.d.events.emit('sources.changed', { sourceId: id });
    this.schedule.watch();
    this.schedule.poke();
    return this.summary(this.store.row(id));
  }

  /** Removes a source with its runs, items and secrets; its imports and readings stay. */
  remove(id: number): { removed: boolean } {
    const r = this.store.find(id);
    if (!r) return { removed: false };
    if (this.store.holder(id, this.nowSec()))
      throw new AppError('CONFLICT', `The source "${r.name}" is running now; remove it once the run has ended`);
    const removed = this.store.remove(id);
    for (const n of SOURCE_SECRET_NAMES) {
      const key = sourceSecretKey(id, n);
      if (this.d.secrets.source(key) !== null) this.d.secrets.set(key, null);
    }
    this.d.events.emit('sources.changed', { sourceId: id });
    this.schedule.watch();
    return { removed };
  }

  /** Runs one source, or every enabled one, now; resolves with the runs once their imports are queued. */
  async run(a: { id?: number; all?: boolean }): Promise<SourceRun[]> {
    if (a.all && a.id !== undefined)
      throw invalid([{ path: 'all', message: 'Run one source or all of them, not both' }]);
    if (!a.all && a.id === undefined) throw invalid([{ path: 'id', message: 'Say which source to run, or all' }]);
    if (a.id !== undefined) {
      this.store.row(a.id);
      return [await this.runner.run(a.id, 'manual')];
    }
    const runs: SourceRun[] = [];
    for (const r of this.store.rows()) {
      if (!r.enabled) continue;
      try {
        runs.push(await this.runner.run(r.id, 'manual'));
      } catch (e) {
        // busy in another program between runs (acting on imported files): the others still run
        if (!(e instanceof AppError && e.code === 'CONFLICT')) throw e;
      }
    }
    return runs;
  }

  start(): void {
    this.schedule.start();
  }

  /** Resolves once no run or after-import move is in progress. */
  idle(): Promise<void> {
    return this.runner.idle();
  }

  async stop(): Promise<void> {
    await this.schedule.stop();
    await this.runner.stop();
  }
}

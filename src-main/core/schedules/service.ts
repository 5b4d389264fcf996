/**
 * Scheduled deliveries as the contract offers them — adding and changing schedules (their SFTP
 * secrets kept in the secret store, never in their settings, answers or the audit log), removing
 * and running them — and the timer that runs each one when it is due. A schedule overdue after the
 * computer slept or the app was closed runs once, as a catch-up covering the latest period missed,
 * not once per period. A lease in the database lets one process at a time (the app, `serve`, a
 * command) run a schedule.
 */
import type Database from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Handlers } from '../../../src-shared/contract/api';
import { AppError } from '../../../src-shared/contract/errors';
import type { ScheduleRun, ScheduleSummary } from '../../../src-shared/contract/types';
import { isoUtc, isoUtcOrNull } from '../../../src-shared/domain/london-time';
import { callAs } from '../exports/export';
import { HOST } from '../imports/job-record';
import { SCHEDULE_SECRET_NAMES, scheduleSecretKey } from '../notify/secrets';
import type { Services } from '../services';
import { privateKeyProblem } from '../sftp/connection';
import { nextDue, repeatProblem } from './cadence';
import { deliver, type DeliverOptions, type DeliveryLog } from './deliver';
import { makeArtefact } from './make';
import { ScheduleStore, type RunOutcome, type ScheduleRow, type ScheduleSettings } from './store';

type SaveArgs = Parameters<Handlers['schedules.save']>[0];

/** A run this late (ms) is a catch-up: the computer slept or the app was closed when it was due. */
export const CATCH_UP_AFTER_MS = 120_000;
/** The timer wakes at least this often (sleeping laptops stop timers; other programs add schedules). */
const MAX_SLEEP_MS = 60_000;
/** How often a run renews its lease (one not renewed for 10 minutes is taken over from another computer). */
const LEASE_RENEW_MS = 60_000;

/** Delivery's time limits and pauses (tests shorten them). */
export type ScheduleOptions = Pick<DeliverOptions, 'timeoutMs' | 'retryDelaysMs'>;

interface Issue {
  path: string;
  message: string;
}

const invalid = (issues: Issue[]): AppError =>
  new AppError('INVALID_ARGS', issues.map((i) => `${i.message} (${i.path})`).join('; '), issues);

const ms = (t: number | null): string | null => isoUtcOrNull(t === null ? null : Math.floor(t / 1000));

/** The latest due time at or before `now`, starting from a missed one (the period a catch-up covers). */
export function latestDue(cadence: ScheduleSettings['cadence'], missed: number, now: number): number {
  let t = missed;
  for (let next = nextDue(cadence, t); next <= now; next = nextDue(cadence, t)) t = next;
  return t;
}

export class ScheduleService {
  readonly store: ScheduleStore;
  readonly owner = `${HOST}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  private readonly running = new Map<number, Promise<ScheduleRun>>();
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private ticking: Promise<ScheduleRun[]> = Promise.resolve([]);

  /** `core` and `handlers` are read when a schedule runs (the core builds its handlers after its services). */
  constructor(
    sqlite: Database.Database,
    private readonly core: () => Services,
    private readonly handlers: () => Handlers,
    private readonly opts: ScheduleOptions = {},
  ) {
    this.store = new ScheduleStore(sqlite);
  }

  private get s(): Services {
    return this.core();
  }

  private now(): number {
    return this.s.clock.now();
  }

  // ---------------------------------------------------------------- reading

  private secretsSet(id: number): string[] {
    return SCHEDULE_SECRET_NAMES.filter((n) => this.s.secrets.source(scheduleSecretKey(id, n)) !== null);
  }

  summary(r: ScheduleRow): ScheduleSummary {
    const st = this.store.settings(r);
    return {
      id: r.id,
      name: r.name,
      what: st.what,
      cadence: st.cadence,
      destination: st.destination,
      hostKey: r.host_key,
      secretsSet: this.secretsSet(r.id),
      enabled: st.enabled,
      nextRunAt: st.enabled ? ms(r.next_run_at) : null,
      lastRun: this.store.runs(r.id, 1)[0] ?? null,
      createdAt: isoUtc(Math.floor(r.created_at / 1000)),
      updatedAt: isoUtc(Math.floor(r.updated_at / 1000)),
    };
  }

  list(): ScheduleSummary[] {
    return this.store.rows().map((r) => this.summary(r));
  }

  get(id: number, runs = 50): ScheduleSummary & { runs: ScheduleRun[] } {
    return { ...this.summary(this.store.row(id)), runs: this.store.runs(id, runs) };
  }

  // ---------------------------------------------------------------- changing

  /** Problems the schema cannot see: a digest goes by email, the folder must exist, SFTP needs a way in… */
  private check(a: SaveArgs, secretSet: (n: 'password' | 'privateKey') => boolean): Issue[] {
    const issues: Issue[] = [];
    const other = this.store.nameTaken(a.name, a.id);
    if (other !== null) issues.push({ path: 'name', message: `Another schedule (${other}) is called ${a.name}` });
    const scope = a.what.scope;
    if ('meter' in scope && !this.s.meters.analysisRows().some((m) => m.identifier === scope.meter.trim()))
      issues.push({ path: 'what.scope.meter', message: `There is no meter ${scope.meter}` });
    if ('siteId' in scope && !this.s.meters.sites().some((x) => x.id === scope.siteId))
      issues.push({ path: 'what.scope.siteId', message: `There is no site ${scope.siteId}` });
    const repeats = repeatProblem(a.what, a.cadence);
    if (repeats) issues.push({ path: 'cadence.every', message: repeats });
    const d = a.destination;
    if (a.what.kind === 'digest' && d.kind !== 'email')
      issues.push({ path: 'destination.kind', message: 'A digest is an email: send it to email recipients' });
    if (d.kind === 'folder') {
      if (!path.isAbsolute(d.path))
        issues.push({
          path: 'destination.path',
          message: 'Give the folder’s full path, e.g. /srv/reports or C:\\Reports',
        });
      else if (!fs.statSync(d.path, { throwIfNoEntry: false })?.isDirectory())
        issues.push({
          path: 'destination.path',
          message: `There is no folder ${d.path} on the computer running the app`,
        });
    }
    if (d.kind === 'sftp') {
      if (!secretSet('password') && !secretSet('privateKey'))
        issues.push({ path: 'secrets.password', message: 'Set a password or a private key to sign in with' });
      const key = a.secrets?.privateKey;
      const problem = key ? privateKeyProblem(key, a.secrets?.passphrase) : null;
      if (problem) issues.push({ path: 'secrets.privateKey', message: problem });
    } else
      for (const n of SCHEDULE_SECRET_NAMES)
        if (a.secrets?.[n]) issues.push({ path: `secrets.${n}`, message: `Only an SFTP delivery has a ${n}` });
    return issues;
  }

  /** Adds (no id) or changes a schedule and its secrets, all or nothing. */
  save(a: SaveArgs): ScheduleSummary {
    const now = this.now();
    const before = a.id !== undefined ? this.store.row(a.id) : null;
    const old = before ? this.store.settings(before) : null;
    const secretSet = (n: 'password' | 'privateKey'): boolean => {
      const given = a.secrets?.[n];
      if (given !== undefined) return given !== null && given !== '';
      return before !== null && this.s.secrets.source(scheduleSecretKey(before.id, n)) !== null;
    };
    const issues = this.check(a, secretSet);
    if (issues.length) throw invalid(issues);
    const enabled = a.enabled ?? old?.enabled ?? true;
    // a new cadence, or switched back on: the next due time from now; otherwise as it was
    const sameTimes = old !== null && old.enabled && JSON.stringify(old.cadence) === JSON.stringify(a.cadence);
    const settings: ScheduleSettings = {
      name: a.name,
      what: a.what,
      cadence: a.cadence,
      destination: a.destination,
      enabled,
      nextRunAt: !enabled ? null : sameTimes && old.nextRunAt !== null ? old.nextRunAt : nextDue(a.cadence, now),
    };
    // the pinned key belongs to one server: forgotten when asked, or when the server changes
    const d = a.destination;
    const od = old?.destination;
    const sameServer =
      d.kind === 'sftp' && od?.kind === 'sftp' && od.host === d.host && (od.port ?? 22) === (d.port ?? 22);
    const hostKey = a.forgetHostKey || !sameServer ? null : (before?.host_key ?? null);
    let id: number;
    if (before) {
      id = before.id;
      this.store.update(id, settings, hostKey, now);
    } else id = this.store.insert(settings, now);
    try {
      for (const n of SCHEDULE_SECRET_NAMES) {
        const key = scheduleSecretKey(id, n);
        if (d.kind !== 'sftp') {
          if (this.s.secrets.source(key) !== null) this.s.secrets.set(key, null);
        } else if (a.secrets?.[n] !== undefined) this.s.secrets.set(key, a.secrets[n] || null);
      }
    } catch (e) {
      if (!before) this.store.remove(id);
      throw e;
    }
    this.poke();
    return this.summary(this.store.row(id));
  }

  /** Removes a schedule with its delivery log and secrets. */
  remove(id: number): { removed: boolean } {
    const r = this.store.find(id);
    if (!r) return { removed: false };
    if (this.running.has(id) || this.store.held(id, this.now()))
      throw new AppError('CONFLICT', `The schedule "${r.name}" is running now; remove it once the run has ended`);
    const removed = this.store.remove(id);
    for (const n of SCHEDULE_SECRET_NAMES) {
      const key = scheduleSecretKey(id, n);
      if (this.s.secrets.source(key) !== null) this.s.secrets.set(key, null);
    }
    return { removed };
  }

  // ---------------------------------------------------------------- running

  /**
   * Runs a schedule as if due at `dueAt` (a manual run: now, and the next due time stays); resolves
   * with the finished run. A run already in progress (here or in another process) is returned instead.
   */
  run(id: number, trigger: ScheduleRun['trigger'] = 'manual', dueAt?: number): Promise<ScheduleRun> {
    const mine = this.running.get(id);
    if (mine) return mine;
    const r = this.store.row(id);
    const now = this.now();
    const due = dueAt ?? now;
    const runId = this.store.begin(id, this.owner, trigger, due, now);
    if (runId === null) {
      const current = this.store.currentRun(id);
      if (current) return Promise.resolve(current);
      throw new AppError('CONFLICT', `Schedule ${id} is being run by another program; try again shortly`);
    }
    const p = this.execute(r, runId, trigger, due).finally(() => this.running.delete(id));
    this.running.set(id, p);
    return p;
  }

  private async execute(r: ScheduleRow, runId: number, trigger: ScheduleRun['trigger'], dueAt: number) {
    const st = this.store.settings(r);
    const notes: string[] = [];
    const log: DeliveryLog = {
      attempts: 0,
      note: (t) => notes.push(t),
      pin: (fp) => this.store.pinHostKey(r.id, fp),
    };
    const out: RunOutcome = { ok: false, attempts: 0, fileName: null, bytes: null, target: null, error: null, notes };
    const renew = setInterval(() => this.store.renew(r.id, this.owner, this.now()), LEASE_RENEW_MS);
    renew.unref();
    let staging: string | null = null;
    try {
      staging = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'eclectyc-delivery-'));
      const call = callAs(this.handlers(), {
        role: 'admin',
        actor: `schedule:${r.id}`,
        inProcess: true,
        via: 'local',
      });
      const made = await makeArtefact({ services: this.s, call, now: this.now(), staging }, st.what, dueAt);
      out.fileName = made.fileName;
      out.bytes = made.bytes;
      const done = await deliver(
        { secrets: this.s.secrets, settings: this.s.settings, log: this.s.log, ...this.opts },
        { id: r.id, destination: st.destination, hostKey: r.host_key },
        made,
        log,
      );
      Object.assign(out, { ok: true, fileName: done.fileName, target: done.target, attempts: done.attempts });
    } catch (e) {
      out.error = e instanceof Error ? e.message : String(e);
      out.attempts = log.attempts;
      this.s.log.warn(`schedule ${r.id} (${r.name}) failed: ${out.error}`);
    } finally {
      clearInterval(renew);
      if (staging) await fs.promises.rm(staging, { recursive: true, force: true });
    }
    const now = this.now();
    // the next run is the next due time after this one (a catch-up is not followed by the periods
    // missed), by the settings as they are now (they may have changed during the run)
    const cur = this.store.find(r.id);
    const c = cur ? this.store.settings(cur) : st;
    const next = trigger === 'manual' ? undefined : c.enabled ? nextDue(c.cadence, Math.max(now, dueAt)) : null;
    this.store.finish(runId, r.id, this.owner, out, next, now);
    return this.store.run(runId);
  }

  /** Resolves once no run is in progress here. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  // ---------------------------------------------------------------- the timer

  start(): void {
    this.started = true;
    void this.tick();
  }

  /**
   * Runs the schedules that are due, one after another (each overdue one once, covering the latest
   * period missed), then sleeps until the next is due. Resolves with the runs.
   */
  tick(): Promise<ScheduleRun[]> {
    const next = this.ticking.then(
      () => this.runDue(),
      () => this.runDue(),
    );
    this.ticking = next;
    return next;
  }

  private async runDue(): Promise<ScheduleRun[]> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const runs: ScheduleRun[] = [];
    const now = this.now();
    for (const r of this.store.due(now)) {
      const missed = r.next_run_at!;
      const due = latestDue(this.store.settings(r).cadence, missed, now);
      try {
        runs.push(await this.run(r.id, now - missed > CATCH_UP_AFTER_MS ? 'catch-up' : 'schedule', due));
      } catch (e) {
        this.s.log.warn(`schedule ${r.id} (${r.name}) was not run: ${(e as Error).message}`);
      }
    }
    this.arm();
    return runs;
  }

  /** Looks for due schedules now when the timer is running (a schedule saved may be due). */
  private poke(): void {
    if (this.started) void this.tick();
  }

  private arm(): void {
    if (!this.started) return;
    const next = this.store.nextDue();
    const now = this.now();
    const wait = next === null ? MAX_SLEEP_MS : next <= now ? 15_000 : next - now;
    this.timer = setTimeout(() => void this.tick(), Math.min(MAX_SLEEP_MS, Math.max(1000, wait)));
    this.timer.unref();
  }

  /** Stops the timer; resolves when the runs in progress have ended. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking.catch(() => undefined);
    await this.idle();
  }
}

/**
 * `eclectyc schedules …`: scheduled deliveries — add one (what it makes, when, where it goes; an SFTP
 * password or key read from an environment variable or a key file, never from the command line),
 * list them with their next and last runs, run one now (printing the finished run as JSON), and
 * remove one.
 */
import path from 'node:path';
import type { Args } from '../../../src-shared/contract/api';
import type { ReportScope, ScheduleSummary, ScheduleWhat } from '../../../src-shared/contract/types';
import { cadenceText } from '../../core/schedules/cadence';
import { call, keyFromFile, out, secretFromEnv, str, UsageError, withCore, type Command, type Opts } from '../command';
import { printTable } from '../format';

const TABLES = ['readings', 'days', 'totals', 'costs', 'emissions', 'alerts'] as const;
const RANGES = ['yesterday', 'last-7-days', 'last-month'] as const;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** One of the allowed words for an option, or a usage error listing them. */
function oneOf<T extends string>(o: Opts, name: string, allowed: readonly T[]): T | undefined {
  const v = str(o, name);
  if (v !== undefined && !allowed.includes(v as T)) throw new UsageError(`--${name} is one of ${allowed.join(', ')}`);
  return v as T | undefined;
}

/** What the schedule covers: --meter MPAN, --site ID or --all. */
function scope(o: Opts): ReportScope {
  const given = [str(o, 'meter') !== undefined, str(o, 'site') !== undefined, o.all === true].filter(Boolean);
  if (given.length !== 1) throw new UsageError('schedules add needs one of --meter MPAN, --site ID or --all');
  const site = str(o, 'site');
  if (site !== undefined) {
    if (!/^[1-9]\d*$/.test(site)) throw new UsageError('--site is a site ID (a number: see "eclectyc sites list")');
    return { siteId: Number(site) };
  }
  return o.all === true ? { all: true } : { meter: str(o, 'meter')! };
}

/** What the schedule makes: --report month|year, --export TABLE or --digest week|month. */
function what(o: Opts): ScheduleWhat {
  const kinds = ['report', 'export', 'digest'].filter((k) => str(o, k) !== undefined);
  if (kinds.length !== 1)
    throw new UsageError('schedules add needs one of --report month|year, --export TABLE or --digest week|month');
  const report = oneOf(o, 'report', ['month', 'year'] as const);
  if (report)
    return {
      kind: 'report',
      scope: scope(o),
      period: report,
      format: oneOf(o, 'format', ['pdf', 'html'] as const) ?? 'pdf',
    };
  const table = oneOf(o, 'export', TABLES);
  if (table) {
    const range = oneOf(o, 'range', RANGES);
    if (!range) throw new UsageError(`an export needs --range ${RANGES.join('|')}`);
    const layout = oneOf(o, 'layout', ['long', 'wide'] as const);
    return { kind: 'export', table, scope: scope(o), range, ...(layout ? { layout } : {}) };
  }
  return { kind: 'digest', scope: scope(o), period: oneOf(o, 'digest', ['week', 'month'] as const)! };
}

/** When: --every daily|weekly|monthly --at HH:MM, with --weekday or --day. */
function cadence(o: Opts): Args<'schedules.save'>['cadence'] {
  const every = oneOf(o, 'every', ['daily', 'weekly', 'monthly'] as const);
  const at = str(o, 'at');
  if (!every || !at) throw new UsageError('schedules add needs --every daily|weekly|monthly and --at HH:MM (UK time)');
  if (every === 'daily') return { every, at };
  if (every === 'weekly') {
    const w = str(o, 'weekday')?.toLowerCase().slice(0, 3);
    const n = w === undefined ? -1 : /^[1-7]$/.test(w) ? Number(w) - 1 : WEEKDAYS.indexOf(w);
    if (n < 0) throw new UsageError('a weekly schedule needs --weekday mon|tue|wed|thu|fri|sat|sun (or 1–7)');
    return { every, weekday: n + 1, at };
  }
  const day = str(o, 'day');
  if (day === undefined || !/^\d+$/.test(day)) throw new UsageError('a monthly schedule needs --day 1–28');
  return { every, day: Number(day), at };
}

/** Where: --folder DIR, --email a@b,c@d or --host H --user U --remote-path P [--port N]. */
function destination(o: Opts): Pick<Args<'schedules.save'>, 'destination' | 'secrets'> {
  const kinds = ['folder', 'email', 'host'].filter((k) => str(o, k) !== undefined);
  if (kinds.length !== 1)
    throw new UsageError('schedules add needs one of --folder DIR, --email ADDRESSES or --host HOST (SFTP)');
  const folder = str(o, 'folder');
  if (folder !== undefined) return { destination: { kind: 'folder', path: path.resolve(folder) } };
  const email = str(o, 'email');
  if (email !== undefined)
    return {
      destination: {
        kind: 'email',
        to: email
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      },
    };
  const port = str(o, 'port');
  if (port !== undefined && !/^\d+$/.test(port)) throw new UsageError('--port is a number, e.g. --port 22');
  const user = str(o, 'user');
  const remote = str(o, 'remote-path');
  if (!user || !remote) throw new UsageError('an SFTP delivery needs --user USER and --remote-path PATH');
  const password = secretFromEnv(o, 'password-env');
  const privateKey = keyFromFile(o);
  const passphrase = secretFromEnv(o, 'passphrase-env');
  if (!password && !privateKey)
    throw new UsageError(
      'an SFTP delivery needs --password-env VAR (an environment variable holding the password) or --key-file FILE',
    );
  return {
    destination: {
      kind: 'sftp',
      host: str(o, 'host')!,
      ...(port ? { port: Number(port) } : {}),
      username: user,
      path: remote,
    },
    secrets: {
      ...(password ? { password } : {}),
      ...(privateKey ? { privateKey } : {}),
      ...(passphrase ? { passphrase } : {}),
    },
  };
}

const scheduleId = (v: string | undefined, usage: string): number => {
  if (!v || !/^[1-9]\d*$/.test(v))
    throw new UsageError(`${usage} needs a schedule ID (a number: see "eclectyc schedules list")`);
  return Number(v);
};

const scopeWords = (s: ReportScope): string =>
  'meter' in s ? `meter ${s.meter}` : 'siteId' in s ? `site ${s.siteId}` : 'portfolio';

/** What a schedule makes, in a few words. */
function whatWords(w: ScheduleWhat): string {
  if (w.kind === 'report')
    return `${w.period === 'month' ? 'monthly' : 'annual'} report (${w.format}), ${scopeWords(w.scope)}`;
  if (w.kind === 'export') return `${w.table} export, ${w.range}, ${scopeWords(w.scope)}`;
  return `${w.period === 'week' ? 'weekly' : 'monthly'} digest, ${scopeWords(w.scope)}`;
}

/** Where a schedule delivers, in a few words. */
function whereWords(s: ScheduleSummary): string {
  const d = s.destination;
  if (d.kind === 'folder') return d.path;
  if (d.kind === 'email') return d.to.join(', ');
  return `sftp://${d.username}@${d.host}${d.port ? `:${d.port}` : ''}${d.path}`;
}

const when = (iso: string | null): string => (iso ? iso.replace('T', ' ').replace(/:\d\dZ$/, 'Z') : '—');

export const schedulesCommand: Command = {
  name: 'schedules',
  help: `  schedules add --name NAME (--report month|year [--format pdf|html] | --export TABLE --range RANGE
                [--layout long|wide] | --digest week|month) (--meter MPAN | --site ID | --all)
                --every daily|weekly|monthly --at HH:MM [--weekday DAY] [--day 1-28]
                (--folder DIR | --email A,B | --host HOST [--port N] --user USER --remote-path PATH
                (--password-env VAR | --key-file FILE [--passphrase-env VAR])) [--disabled]
                                    add a scheduled delivery (UK local time; docs/schedules.md)
  schedules list                    the schedules with their next and last runs
  schedules run ID                  run one now and print the finished run as JSON
  schedules remove ID               remove a schedule and its delivery log`,
  options: {
    name: { type: 'string' },
    report: { type: 'string' },
    format: { type: 'string' },
    export: { type: 'string' },
    range: { type: 'string' },
    layout: { type: 'string' },
    digest: { type: 'string' },
    meter: { type: 'string' },
    site: { type: 'string' },
    all: { type: 'boolean' },
    every: { type: 'string' },
    at: { type: 'string' },
    weekday: { type: 'string' },
    day: { type: 'string' },
    folder: { type: 'string' },
    email: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    user: { type: 'string' },
    'remote-path': { type: 'string' },
    'password-env': { type: 'string' },
    'key-file': { type: 'string' },
    'passphrase-env': { type: 'string' },
    disabled: { type: 'boolean' },
  },
  async run(ctx, args, o) {
    const [sub, ...rest] = args;
    if (sub === 'add') {
      if (rest.length > 0) throw new UsageError(`schedules add takes its settings as options (got "${rest[0]}")`);
      const name = str(o, 'name');
      if (!name?.trim()) throw new UsageError('schedules add needs --name NAME');
      const a: Args<'schedules.save'> = {
        name,
        what: what(o),
        cadence: cadence(o),
        ...destination(o),
        ...(o.disabled === true ? { enabled: false } : {}),
      };
      return withCore(ctx, async (core) => {
        const s = await call(core, 'schedules.save', a);
        out(ctx, s, () =>
          console.log(
            `Added schedule ${s.id} “${s.name}”: ${whatWords(s.what)}, ${cadenceText(s.cadence).toLowerCase()} UK time, ` +
              `to ${whereWords(s)}; next run ${when(s.nextRunAt)}. It runs while the desktop app or "eclectyc serve" ` +
              `runs, or now with: eclectyc schedules run ${s.id}`,
          ),
        );
        return 0;
      });
    }
    if (sub === 'list') {
      if (rest.length > 0) throw new UsageError(`schedules list takes no arguments (got "${rest[0]}")`);
      return withCore(ctx, async (core) => {
        const list = await call(core, 'schedules.list', {});
        out(ctx, list, () => {
          if (list.length === 0) return console.log('No schedules. Add one with: eclectyc schedules add …');
          printTable(
            ['Id', 'Name', 'What', 'When (UK)', 'To', 'Next run', 'Last run', 'Result'],
            list.map((s) => [
              String(s.id),
              s.name,
              whatWords(s.what),
              s.enabled ? cadenceText(s.cadence) : 'switched off',
              whereWords(s),
              when(s.nextRunAt),
              when(s.lastRun?.startedAt ?? null),
              s.lastRun?.status ?? '—',
            ]),
          );
          for (const s of list) if (s.lastRun?.error) console.log(`${s.id} ${s.name}: ${s.lastRun.error}`);
        });
        return 0;
      });
    }
    if (sub === 'run') {
      const id = scheduleId(rest[0], 'schedules run');
      if (rest.length > 1) throw new UsageError(`schedules run takes one schedule ID (got "${rest[1]}" too)`);
      return withCore(ctx, async (core) => {
        const r = await call(core, 'schedules.run', { id });
        process.stdout.write(JSON.stringify(r, null, 2) + '\n');
        return r.status === 'ok' ? 0 : 1;
      });
    }
    if (sub === 'remove') {
      const id = scheduleId(rest[0], 'schedules remove');
      if (rest.length > 1) throw new UsageError(`schedules remove takes one schedule ID (got "${rest[1]}" too)`);
      return withCore(ctx, async (core) => {
        const r = await call(core, 'schedules.remove', { id });
        out(ctx, r, () =>
          console.log(r.removed ? `Removed schedule ${id} and its delivery log.` : `No schedule ${id}.`),
        );
        return r.removed ? 0 : 1;
      });
    }
    throw new UsageError(
      sub === undefined
        ? 'schedules needs what to do: add, list, run or remove (see eclectyc --help)'
        : `unknown schedules command "${sub}": use add, list, run or remove`,
    );
  },
};

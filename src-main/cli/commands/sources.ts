/**
 * `eclectyc sources …`: data that arrives by itself — add a watched folder, an SFTP pickup or an
 * Octopus / n3rgy API source (secrets read from environment variables or a key file, never from the
 * command line), list them with their status, run one or all of them now (waiting here for their
 * imports, then printing the runs with their jobs as JSON), and remove one.
 */
import path from 'node:path';
import type { Args } from '../../../src-shared/contract/api';
import type { ImportJob, SourceKind, SourceRun, SourceSummary } from '../../../src-shared/contract/types';
import { call, keyFromFile, out, secretFromEnv, str, UsageError, withCore, type Command, type Opts } from '../command';
import { printTable } from '../format';

const KINDS: readonly SourceKind[] = ['folder', 'sftp', 'octopus', 'n3rgy'];
const KIND_WORDS: Record<SourceKind, string> = {
  folder: 'watched folder',
  sftp: 'SFTP pickup',
  octopus: 'Octopus Energy',
  n3rgy: 'n3rgy',
};

/** The options each kind takes (besides --name, --every and --disabled). */
const KIND_OPTIONS: Record<SourceKind, readonly string[]> = {
  folder: ['path', 'pattern', 'recursive', 'done-folder', 'failed-folder', 'meter', 'format', 'on-conflict'],
  sftp: [
    'host',
    'port',
    'user',
    'remote-path',
    'pattern',
    'host-key',
    'after',
    'move-to',
    'password-env',
    'key-file',
    'passphrase-env',
    'meter',
    'format',
    'on-conflict',
  ],
  octopus: ['meter', 'serial', 'fuel', 'gas-unit', 'from', 'api-key-env', 'api-url'],
  n3rgy: ['meter', 'fuel', 'from', 'api-key-env', 'api-url'],
};
const COMMON = ['name', 'every', 'disabled'];
const GLOBAL = ['json', 'data-dir', 'carbon-api', 'weather-api'];

/** A required string option. */
function need(o: Opts, name: string, what: string): string {
  const v = str(o, name);
  if (v === undefined || v.trim() === '') throw new UsageError(`sources add needs --${name} ${what}`);
  return v;
}

/** A string option without surrounding spaces, left out when absent. */
const opt = <K extends string>(o: Opts, name: string, key: K): Partial<Record<K, string>> => {
  const v = str(o, name)?.trim();
  return v ? ({ [key]: v } as Record<K, string>) : {};
};

/** The contract's settings and secrets for a new source of `kind` from the command line. */
function addArgs(kind: SourceKind, o: Opts): Args<'sources.save'> {
  for (const k of Object.keys(o))
    if (o[k] !== undefined && !KIND_OPTIONS[kind].includes(k) && !COMMON.includes(k) && !GLOBAL.includes(k))
      throw new UsageError(`a ${KIND_WORDS[kind]} source does not take --${k}`);
  const name = need(o, 'name', 'NAME');
  const every = str(o, 'every');
  if (every !== undefined && !/^\d+$/.test(every))
    throw new UsageError('--every is a number of minutes, e.g. --every 60');
  const base = {
    name,
    ...(every !== undefined ? { everyMinutes: Number(every) } : {}),
    ...(o.disabled === true ? { enabled: false } : {}),
  };
  const feed = {
    ...opt(o, 'pattern', 'pattern'),
    ...opt(o, 'meter', 'meter'),
    ...opt(o, 'format', 'format'),
    ...opt(o, 'on-conflict', 'onConflict'),
  } as { pattern?: string; meter?: string; format?: never; onConflict?: never };
  if (kind === 'folder') {
    const dir = (n: string) => (str(o, n) ? path.resolve(str(o, n)!) : undefined);
    return {
      ...base,
      config: {
        kind,
        path: path.resolve(need(o, 'path', 'FOLDER')),
        ...(o.recursive === true ? { recursive: true } : {}),
        ...(dir('done-folder') ? { doneFolder: dir('done-folder') } : {}),
        ...(dir('failed-folder') ? { failedFolder: dir('failed-folder') } : {}),
        ...feed,
      },
    };
  }
  if (kind === 'sftp') {
    const port = str(o, 'port');
    if (port !== undefined && !/^\d+$/.test(port)) throw new UsageError('--port is a number, e.g. --port 22');
    const privateKey = keyFromFile(o);
    const password = secretFromEnv(o, 'password-env');
    const passphrase = secretFromEnv(o, 'passphrase-env');
    if (!password && !privateKey)
      throw new UsageError(
        'an SFTP source needs --password-env VAR (an environment variable holding the password) or --key-file FILE',
      );
    const after = str(o, 'after');
    if (after !== undefined && !['keep', 'delete', 'move'].includes(after))
      throw new UsageError('--after is one of keep, delete, move');
    return {
      ...base,
      config: {
        kind,
        host: need(o, 'host', 'HOST'),
        ...(port !== undefined ? { port: Number(port) } : {}),
        username: need(o, 'user', 'USER'),
        path: need(o, 'remote-path', 'PATH (the folder on the server)'),
        ...opt(o, 'host-key', 'hostKey'),
        ...(after ? { afterImport: after as 'keep' } : {}),
        ...opt(o, 'move-to', 'moveTo'),
        ...feed,
      },
      secrets: {
        ...(password ? { password } : {}),
        ...(privateKey ? { privateKey } : {}),
        ...(passphrase ? { passphrase } : {}),
      },
    };
  }
  const apiKey = secretFromEnv(o, 'api-key-env');
  if (!apiKey)
    throw new UsageError(
      `an ${KIND_WORDS[kind]} source needs --api-key-env VAR (an environment variable holding the API key)`,
    );
  const fuel = need(o, 'fuel', 'electricity|gas');
  if (fuel !== 'electricity' && fuel !== 'gas') throw new UsageError('--fuel is electricity or gas');
  const common = {
    fuel: fuel as 'electricity',
    meter: need(o, 'meter', 'MPAN (or MPRN for gas)'),
    ...opt(o, 'from', 'from'),
    ...opt(o, 'api-url', 'baseUrl'),
  };
  const config =
    kind === 'octopus'
      ? {
          kind,
          ...common,
          serial: need(o, 'serial', 'SERIAL (the meter serial number)'),
          ...(opt(o, 'gas-unit', 'gasUnit') as { gasUnit?: 'kWh' }),
        }
      : { kind, ...common };
  return { ...base, config, secrets: { apiKey } };
}

const sourceId = (v: string | undefined, usage: string): number => {
  if (!v || !/^[1-9]\d*$/.test(v))
    throw new UsageError(`${usage} needs a source ID (a number: see "eclectyc sources list")`);
  return Number(v);
};

/** Where a source reads from, in a few words. */
function where(s: SourceSummary): string {
  const c = s.config as Record<string, string | number | undefined>;
  if (s.kind === 'folder') return String(c.path);
  if (s.kind === 'sftp') return `${c.username}@${c.host}${c.port ? `:${c.port}` : ''}:${c.path}`;
  return `${c.fuel} ${c.meter}`;
}

const when = (iso: string | null): string => (iso ? iso.replace('T', ' ').replace(/:\d\dZ$/, 'Z') : '—');

/** A job as `sources run` prints it. */
const jobSummary = (j: ImportJob) => ({
  id: j.id,
  file: j.file,
  status: j.status,
  outcome: j.outcome.grade,
  summary: j.outcome.summary,
  readingsImported: j.readingsImported,
  duplicates: j.duplicates,
  conflicts: j.conflicts,
  rowsRejected: j.rowsRejected,
  metersCreated: j.metersCreated,
  ...(j.lastError ? { error: j.lastError } : {}),
});

export const sourcesCommand: Command = {
  name: 'sources',
  help: `  sources add folder|sftp|octopus|n3rgy --name NAME [--every MINUTES] [--disabled] [options of the kind]
                                    add a data source (docs/cli.md lists each kind's options; secrets come from
                                    --password-env VAR, --key-file FILE, --passphrase-env VAR, --api-key-env VAR)
  sources list                      the data sources with their status, last and next run
  sources run ID | --all            run now, wait for the imports, print the runs and their jobs as JSON
  sources remove ID                 remove a data source (its imports and readings stay)`,
  options: {
    path: { type: 'string' },
    pattern: { type: 'string' },
    recursive: { type: 'boolean' },
    'done-folder': { type: 'string' },
    'failed-folder': { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    user: { type: 'string' },
    'remote-path': { type: 'string' },
    'host-key': { type: 'string' },
    after: { type: 'string' },
    'move-to': { type: 'string' },
    'password-env': { type: 'string' },
    'key-file': { type: 'string' },
    'passphrase-env': { type: 'string' },
    'api-key-env': { type: 'string' },
    'api-url': { type: 'string' },
    'gas-unit': { type: 'string' },
    meter: { type: 'string' },
    serial: { type: 'string' },
    fuel: { type: 'string' },
    from: { type: 'string' },
    format: { type: 'string' },
    'on-conflict': { type: 'string' },
    name: { type: 'string' },
    every: { type: 'string' },
    disabled: { type: 'boolean' },
    all: { type: 'boolean' },
  },
  async run(ctx, args, o) {
    const [sub, ...rest] = args;
    if (sub === 'add') {
      const [kind, ...extra] = rest;
      if (!kind || !KINDS.includes(kind as SourceKind))
        throw new UsageError('sources add needs the kind of source: folder, sftp, octopus or n3rgy');
      if (extra.length > 0) throw new UsageError(`sources add takes its settings as options (got "${extra[0]}")`);
      const a = addArgs(kind as SourceKind, o);
      return withCore(ctx, async (core) => {
        const s = await call(core, 'sources.save', a);
        out(ctx, s, () =>
          console.log(
            `Added data source ${s.id} “${s.name}” (${KIND_WORDS[s.kind]} ${where(s)}), every ${s.everyMinutes} minutes. ` +
              `It runs while the desktop app or "eclectyc serve" runs, or now with: eclectyc sources run ${s.id}`,
          ),
        );
        return 0;
      });
    }
    if (sub === 'list') {
      if (rest.length > 0) throw new UsageError(`sources list takes no arguments (got "${rest[0]}")`);
      return withCore(ctx, async (core) => {
        const list = await call(core, 'sources.list', {});
        out(ctx, list, () => {
          if (list.length === 0) return console.log('No data sources. Add one with: eclectyc sources add folder …');
          printTable(
            ['Id', 'Name', 'Kind', 'From', 'Status', 'Every', 'Last run', 'Next run', 'Last received', 'Meters'],
            list.map((s) => [
              String(s.id),
              s.name,
              KIND_WORDS[s.kind],
              where(s),
              s.status,
              `${s.everyMinutes} min`,
              when(s.lastRunAt),
              when(s.nextRunAt),
              when(s.lastReceivedAt),
              String(s.meters.length),
            ]),
          );
          for (const s of list)
            if (s.status === 'failed' && s.lastError) console.log(`${s.id} ${s.name}: ${s.lastError}`);
        });
        return 0;
      });
    }
    if (sub === 'run') {
      const all = o.all === true;
      if (all && rest.length > 0) throw new UsageError('sources run takes an ID or --all, not both');
      const id = all ? undefined : sourceId(rest[0], 'sources run');
      if (rest.length > 1) throw new UsageError(`sources run takes one source ID (got "${rest[1]}" too)`);
      return withCore(ctx, async (core) => {
        const runs = await call(core, 'sources.run', all ? { all: true } : { id: id! });
        const jobIds = runs.flatMap((r) => r.jobIds);
        const jobs = new Map((jobIds.length ? await call(core, 'imports.wait', { jobIds }) : []).map((j) => [j.id, j]));
        // files are moved or deleted once their imports end: wait for that too
        await core.sources.idle();
        const names = new Map((await call(core, 'sources.list', {})).map((s) => [s.id, s]));
        const result = await Promise.all(
          runs.map(async (r): Promise<SourceRun & { source: unknown; jobs: unknown[] }> => {
            const now = (await call(core, 'sources.get', { id: r.sourceId })).runs.find((x) => x.id === r.id) ?? r;
            const s = names.get(r.sourceId);
            return {
              ...now,
              source: s ? { id: s.id, name: s.name, kind: s.kind } : { id: r.sourceId },
              jobs: now.jobIds
                .map((j) => jobs.get(j))
                .filter((j): j is ImportJob => !!j)
                .map(jobSummary),
            };
          }),
        );
        process.stdout.write(JSON.stringify({ runs: result }, null, 2) + '\n');
        const failed = result.some((r) => r.status === 'failed') || [...jobs.values()].some((j) => j.status !== 'done');
        return failed ? 1 : 0;
      });
    }
    if (sub === 'remove') {
      const id = sourceId(rest[0], 'sources remove');
      if (rest.length > 1) throw new UsageError(`sources remove takes one source ID (got "${rest[1]}" too)`);
      return withCore(ctx, async (core) => {
        const r = await call(core, 'sources.remove', { id });
        out(ctx, r, () =>
          console.log(
            r.removed ? `Removed data source ${id}; its imports and readings stay.` : `No data source ${id}.`,
          ),
        );
        return r.removed ? 0 : 1;
      });
    }
    throw new UsageError(
      sub === undefined
        ? 'sources needs what to do: add, list, run or remove (see eclectyc --help)'
        : `unknown sources command "${sub}": use add, list, run or remove`,
    );
  },
};

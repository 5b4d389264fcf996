/**
 * The `eclectyc` command line: automation, cron and benchmarks over the same core and contract.
 * Every command takes --data-dir (default: the desktop app's folder) and --json (machine output on
 * stdout; human text otherwise). Logs and errors go to stderr. The commands live in commands/,
 * one file each; this file parses the command line, runs one, and turns failures into exit codes.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError, isNoTariff, type AppErrorPayload } from '../../src-shared/contract/errors';
import { defaultDataDir } from '../core/db/paths';
import { APP_VERSION } from '../version';
import { CallFailed, UsageError, type Ctx, type OptionSpec } from './command';
import { COMMANDS } from './commands';

/** The options every command takes. */
const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  'carbon-api': { type: 'string' },
  'weather-api': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
};

const help = (): string => `eclectyc ${APP_VERSION} — Eclectyc Energy command line

Usage: eclectyc <command> [options]

Commands:
${COMMANDS.map((c) => c.help).join('\n')}

Options (every command):
  --data-dir DIR   data folder (default: ${defaultDataDir()})
  --json           machine-readable JSON on stdout
  --carbon-api URL Carbon Intensity API base URL (default https://api.carbonintensity.org.uk)
  --weather-api URL Open-Meteo historical weather API base URL (default: the setting, https://archive-api.open-meteo.com)
  -h, --help       this help;  -v, --version  the version

Docs: docs/cli.md`;

/** Every option any command knows (one definition per name), so the command can be found first. */
function allOptions(): Record<string, OptionSpec> {
  const all: Record<string, OptionSpec> = { ...GLOBAL_OPTIONS };
  for (const c of COMMANDS) {
    for (const [name, spec] of Object.entries(c.options ?? {})) {
      if (all[name] && all[name].type !== spec.type)
        throw new Error(`option --${name} is declared as ${all[name].type} and ${spec.type}`);
      all[name] = spec;
    }
  }
  return all;
}

/** The command that fixes an expected failure, where there is one (the UI links to the place instead). */
export function commandHint(details: unknown): string | null {
  if (isNoTariff(details))
    return `Assign one with: eclectyc tariffs assign ${details.meter} TARIFF_ID --from ${details.from}`;
  return null;
}

/**
 * Joins a string option to a negative number after it (`--lon -2.36` → `--lon=-2.36`): parseArgs
 * would read the number as an option, and western longitudes are negative.
 */
export function joinNegativeValues(argv: readonly string[], options: Record<string, OptionSpec>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    const name = a.startsWith('--') && !a.includes('=') ? a.slice(2) : null;
    if (name && options[name]?.type === 'string' && next !== undefined && /^-\d+(\.\d+)?$/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    const options = allOptions();
    parsed = parseArgs({ args: joinNegativeValues(argv, options), allowPositionals: true, tokens: true, options });
  } catch (e) {
    // an option no command knows: --json still gets its { error } (a scheduler may parse only stdout)
    if (argv.includes('--json'))
      process.stdout.write(JSON.stringify({ error: { code: 'USAGE', message: (e as Error).message } }) + '\n');
    console.error(`eclectyc: ${(e as Error).message}\nRun "eclectyc --help" for usage.`);
    return 2;
  }
  const { values: o, positionals, tokens } = parsed;
  if (o.version === true) {
    console.log(APP_VERSION);
    return 0;
  }
  const [name, ...rest] = positionals;
  if (o.help === true || !name) {
    console.log(help());
    return name || o.help === true ? 0 : 2;
  }
  const dataDir = typeof o['data-dir'] === 'string' ? o['data-dir'] : defaultDataDir();
  const carbonApi = typeof o['carbon-api'] === 'string' ? o['carbon-api'] : undefined;
  const weatherApi = typeof o['weather-api'] === 'string' ? o['weather-api'] : undefined;
  const ctx: Ctx = {
    json: o.json === true,
    dataDir: path.resolve(dataDir),
    ...(carbonApi ? { carbonApi } : {}),
    ...(weatherApi ? { weatherApi } : {}),
  };
  try {
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) throw new UsageError(`unknown command "${name}"`);
    const own = command.options ?? {};
    for (const t of tokens) {
      if (t.kind === 'option' && !Object.hasOwn(GLOBAL_OPTIONS, t.name) && !Object.hasOwn(own, t.name))
        throw new UsageError(`${name} does not take --${t.name}`);
    }
    return await command.run(ctx, rest, o);
  } catch (e) {
    // 2: the command line was wrong; 1: the operation failed (its error code kept in --json)
    const error: Omit<AppErrorPayload, 'code'> & { code: AppErrorPayload['code'] | 'USAGE' } =
      e instanceof CallFailed
        ? e.error
        : e instanceof AppError
          ? { code: e.code, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) }
          : {
              code: e instanceof UsageError ? 'USAGE' : 'INTERNAL',
              message: e instanceof Error ? e.message : String(e),
            };
    if (ctx.json) process.stdout.write(JSON.stringify({ error }) + '\n');
    console.error(`eclectyc: ${error.message}`);
    const hint = commandHint(error.details);
    if (hint) console.error(hint);
    if (e instanceof UsageError) console.error('Run with --help for usage.');
    return e instanceof UsageError ? 2 : 1;
  }
}

if (typeof require !== 'undefined' && require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

/**
 * `eclectyc alerts …`: alert rules (import, list, export), checking them now, the inbox (list,
 * acknowledge, resolve, snooze). `alerts check` waits for the messages it sends before exiting.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Alert, AlertStatus } from '../../../src-shared/contract/types';
import { problemText, ruleSummary } from '../../../src-shared/domain/alert-rules';
import { call, CallFailed, out, readText, str, UsageError, withCore, type Command, type Ctx } from '../command';
import { printTable } from '../format';

const STATUSES: readonly AlertStatus[] = ['open', 'acknowledged', 'resolved'];

/** An alert as `alerts list --json` gives it. */
const listed = (a: Alert) => ({
  id: a.id,
  rule: a.rule,
  subject: a.subject,
  severity: a.severity,
  status: a.status,
  firedAt: a.firedAt,
  period: a.period,
  message: a.message,
  value: a.value,
  threshold: a.threshold,
});

const valueText = (a: Alert): string =>
  a.value === null
    ? ''
    : `${a.value}${a.unit ? ` ${a.unit}` : ''}${a.threshold !== null ? ` (limit ${a.threshold})` : ''}`;

function printAlerts(list: Alert[]): void {
  if (list.length === 0) return console.log('No alerts.');
  printTable(
    ['Id', 'Severity', 'Status', 'Rule', 'Subject', 'Period', 'Value', 'Message'],
    list.map((a) => [String(a.id), a.severity, a.status, a.rule, a.subject, a.periodLabel, valueText(a), a.message]),
  );
}

const alertId = (v: string | undefined, usage: string): number => {
  if (!v || !/^[1-9]\d*$/.test(v))
    throw new UsageError(`${usage} needs an alert ID (a number: see "eclectyc alerts list")`);
  return Number(v);
};

/** A refused rule file: each problem on its own line, and the promise that nothing changed. */
function ruleFileRefused(ctx: Ctx, e: CallFailed, file: string): number {
  const problems = (e.error.details as { problems?: Parameters<typeof problemText>[0][] } | undefined)?.problems ?? [];
  if (ctx.json) {
    process.stdout.write(JSON.stringify({ error: e.error.message, problems }, null, 2) + '\n');
    return 1;
  }
  console.error(`${file}: ${e.error.message}`);
  for (const p of problems) console.error(`  ${problemText(p)}`);
  return 1;
}

export const alertsCommand: Command = {
  name: 'alerts',
  help: `  alerts rules import FILE [--replace] [--dry-run]
                                    import a rule file { "rules": [ … ] }, all or nothing
  alerts rules list | export [--out FILE]
                                    the rules, or the rules as a rule file
  alerts check [--at ISO]           judge every rule now (or as at a time) and send what fires
  alerts list [--status open|acknowledged|resolved] [--severity S] [--rule ID] [--meter MPAN]
                                    the inbox, newest first
  alerts ack ID [--note TEXT] | resolve ID [--note TEXT] | snooze ID --until DATE
                                    acknowledge, resolve by hand, or snooze an alert`,
  options: {
    replace: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    out: { type: 'string' },
    at: { type: 'string' },
    status: { type: 'string' },
    severity: { type: 'string' },
    rule: { type: 'string' },
    meter: { type: 'string' },
    note: { type: 'string' },
    until: { type: 'string' },
  },
  async run(ctx, args, o) {
    const [sub, ...rest] = args;
    if (sub === 'rules') return rules(ctx, rest, o);
    if (sub === 'check') {
      if (rest.length > 0) throw new UsageError(`alerts check takes no arguments (got "${rest[0]}")`);
      const at = str(o, 'at');
      if (at !== undefined && Number.isNaN(Date.parse(at)))
        throw new UsageError('--at needs a date-time, e.g. --at 2025-03-10T09:00:00Z');
      return withCore(ctx, async (core) => {
        const r = await call(core, 'alerts.check', at ? { at } : {});
        await core.waitForDeliveries();
        out(ctx, { ...r, fired: r.fired.map(listed) }, () => {
          console.log(
            `Checked ${r.rules} rule${r.rules === 1 ? '' : 's'} as at ${r.at}: ${r.fired.length} fired, ` +
              `${r.resolved} resolved, ${r.unchanged} still open.`,
          );
          if (r.fired.length > 0) printAlerts(r.fired);
        });
        return 0;
      });
    }
    if (sub === 'list') {
      if (rest.length > 0) throw new UsageError(`alerts list takes no arguments (got "${rest[0]}")`);
      const status = str(o, 'status');
      if (status !== undefined && !STATUSES.includes(status as AlertStatus))
        throw new UsageError(`--status is one of ${STATUSES.join(', ')}`);
      const severity = str(o, 'severity');
      if (severity !== undefined && !['info', 'warning', 'critical'].includes(severity))
        throw new UsageError('--severity is one of info, warning, critical');
      return withCore(ctx, async (core) => {
        const list = await call(core, 'alerts.list', {
          ...(status ? { status: status as AlertStatus } : {}),
          ...(severity ? { severity: severity as Alert['severity'] } : {}),
          ...(str(o, 'rule') ? { rule: str(o, 'rule') } : {}),
          ...(str(o, 'meter') ? { meter: str(o, 'meter') } : {}),
          includeSnoozed: true,
          limit: 5000,
        });
        out(ctx, list.map(listed), () => printAlerts(list));
        return 0;
      });
    }
    if (sub === 'ack' || sub === 'resolve' || sub === 'snooze') {
      const id = alertId(rest[0], `alerts ${sub}`);
      if (rest.length > 1) throw new UsageError(`alerts ${sub} takes one alert ID (got "${rest[1]}" too)`);
      const note = str(o, 'note');
      const until = str(o, 'until');
      if (sub === 'snooze' && until === undefined)
        throw new UsageError('alerts snooze needs --until DATE, e.g. --until 2025-03-17 (or --until now to wake it)');
      return withCore(ctx, async (core) => {
        const a =
          sub === 'ack'
            ? await call(core, 'alerts.ack', { id, ...(note ? { note } : {}) })
            : sub === 'resolve'
              ? await call(core, 'alerts.resolve', { id, ...(note ? { note } : {}) })
              : await call(core, 'alerts.snooze', { id, until: until === 'now' ? null : until! });
        out(ctx, listed(a), () =>
          console.log(
            `Alert ${a.id} ${
              sub === 'snooze'
                ? a.snoozedUntil
                  ? `snoozed until ${a.snoozedUntil}`
                  : 'woken'
                : `${a.status} by ${sub === 'ack' ? a.acknowledgedBy : a.resolvedBy}`
            }: ${a.message}`,
          ),
        );
        return 0;
      });
    }
    throw new UsageError(
      sub === undefined
        ? 'alerts needs what to do: rules, check, list, ack, resolve or snooze (see eclectyc --help)'
        : `unknown alerts command "${sub}": use rules, check, list, ack, resolve or snooze`,
    );
  },
};

async function rules(ctx: Ctx, args: string[], o: Parameters<Command['run']>[2]): Promise<number> {
  const [what, file, ...extra] = args;
  if (what === 'import') {
    if (!file) throw new UsageError('alerts rules import needs a rule file, e.g. alerts rules import rules.json');
    if (extra.length > 0) throw new UsageError(`alerts rules import takes one file (got "${extra[0]}" too)`);
    const text = readText(file);
    return withCore(ctx, async (core) => {
      try {
        const r = await call(core, 'alerts.importRules', {
          text,
          replace: o.replace === true,
          dryRun: o['dry-run'] === true,
        });
        out(ctx, { created: r.created, updated: r.updated, removed: r.removed, dryRun: o['dry-run'] === true }, () =>
          console.log(
            `${o['dry-run'] === true ? 'Dry run, nothing changed: would create' : 'Created'} ${r.created}, ` +
              `${o['dry-run'] === true ? 'update' : 'updated'} ${r.updated}` +
              (o.replace === true ? `, ${o['dry-run'] === true ? 'remove' : 'removed'} ${r.removed}` : '') +
              ` rule${r.created + r.updated === 1 ? '' : 's'} from ${path.basename(file)}.`,
          ),
        );
        return 0;
      } catch (e) {
        if (e instanceof CallFailed && e.error.code === 'INVALID_ARGS') return ruleFileRefused(ctx, e, file);
        throw e;
      }
    });
  }
  if (what === 'list' || what === 'export') {
    if (file !== undefined) throw new UsageError(`alerts rules ${what} takes no arguments (got "${file}")`);
    return withCore(ctx, async (core) => {
      const list = await call(core, 'alerts.rules', {});
      if (what === 'export') {
        const text = JSON.stringify({ rules: list }, null, 2) + '\n';
        const target = str(o, 'out');
        if (target) {
          fs.writeFileSync(path.resolve(target), text);
          if (!ctx.json) console.error(`Wrote ${list.length} rule${list.length === 1 ? '' : 's'} to ${target}`);
        } else process.stdout.write(text);
        return 0;
      }
      out(ctx, list, () => {
        if (list.length === 0)
          return console.log('No alert rules. Import some with: eclectyc alerts rules import FILE');
        printTable(
          ['Rule', 'Watches', 'Condition', 'Severity', 'Channels', 'On'],
          list.map((r) => [
            r.id,
            r.meter ?? (r.site !== undefined ? `site ${r.site}` : 'everything'),
            ruleSummary(r),
            r.severity,
            r.channels.join(', '),
            r.enabled ? 'yes' : 'no',
          ]),
        );
      });
      return 0;
    });
  }
  throw new UsageError(
    what === undefined
      ? 'alerts rules needs what to do: import FILE, list or export'
      : `unknown alerts rules command "${what}": use import, list or export`,
  );
}

/** `eclectyc health`: runs every health check; the exit code (0 ok, 1 warn, 2 fail) is for schedulers. */
import type { HealthStatus } from '../../../src-shared/contract/types';
import { call, out, UsageError, withCore, type Command } from '../command';
import { printTable } from '../format';

const EXIT: Record<HealthStatus, number> = { ok: 0, warn: 1, fail: 2 };

export const healthCommand: Command = {
  name: 'health',
  help: `  health                            run the health checks (database, disk, imports, roll-ups, carbon,
                                    meters without recent data); exit code 0 ok, 1 warn, 2 fail`,
  async run(ctx, args) {
    if (args.length > 0) throw new UsageError(`health takes no arguments (got "${args[0]}")`);
    return withCore(ctx, async (core) => {
      const report = await call(core, 'health.check', {});
      const value = {
        status: report.status,
        checks: report.checks.map((c) => ({
          name: c.name,
          label: c.label,
          status: c.status,
          detail: c.detail,
          ...(c.action ? { action: c.action } : {}),
        })),
      };
      out(ctx, value, () => {
        printTable(
          ['Check', 'Status', 'Detail', 'What to do'],
          report.checks.map((c) => [c.label, c.status.toUpperCase(), c.detail, c.action]),
        );
        console.log(`\nOverall: ${report.status.toUpperCase()}`);
      });
      return EXIT[report.status];
    });
  },
};

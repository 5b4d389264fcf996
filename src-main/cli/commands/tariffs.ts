/** `eclectyc tariffs import|list|prices|assign|assignments`: tariff files, prices and assignments. */
import path from 'node:path';
import type { Result } from '../../../src-shared/contract/api';
import { call, out, readText, str, UsageError, withCore, type Command } from '../command';
import { printTable } from '../format';

function printAssignments(list: Result<'tariffs.assignments'>): void {
  printTable(
    ['Tariff', 'Name', 'From', 'Until (exclusive)'],
    list.map((a) => [a.tariff, a.tariffName, a.from, a.to ?? '—']),
  );
}

export const tariffsCommand: Command = {
  name: 'tariffs',
  help: `  tariffs import FILE               import a tariff file (docs/tariffs.md); all or nothing
  tariffs list [--fuel electricity|gas]
                                    tariffs with their current version
  tariffs prices TARIFF_ID FILE     import half-hourly prices for a dynamic tariff
                                    (Octopus unit-rates JSON, or CSV of start,pencePerKwh)
  tariffs assign MPAN TARIFF_ID --from DATE [--kva N]
                                    put a meter on a tariff from a UK local day
  tariffs assignments MPAN          a meter's tariffs over time`,
  options: { fuel: { type: 'string' }, from: { type: 'string' }, kva: { type: 'string' } },
  async run(ctx, [sub, ...args], o) {
    return withCore(ctx, async (core) => {
      if (sub === 'import') {
        const file = args[0];
        if (!file) throw new UsageError('tariffs import needs a FILE');
        const text = readText(file);
        const r = await call(core, 'tariffs.import', { text, fileName: path.basename(file) });
        out(ctx, r, () =>
          console.log(
            `Imported ${r.tariffs} tariff(s) from ${file}: ${r.versionsAdded} version(s) added, ${r.versionsReplaced} replaced, ${r.unchanged} unchanged${r.prices ? `, ${r.prices} half-hourly prices` : ''}.`,
          ),
        );
        return 0;
      }
      if (sub === 'list') {
        const fuel = str(o, 'fuel');
        if (fuel && fuel !== 'electricity' && fuel !== 'gas') throw new UsageError('--fuel must be electricity or gas');
        const list = await call(core, 'tariffs.list', fuel ? { fuel: fuel as 'electricity' | 'gas' } : {});
        out(ctx, list, () => {
          if (list.length === 0) return console.log('No tariffs yet. Import some with: eclectyc tariffs import FILE');
          printTable(
            ['Id', 'Name', 'Supplier', 'Fuel', 'Kind', 'Valid from', 'Standing p/day', 'Active'],
            list.map((t) => {
              const v = t.versions[t.versions.length - 1]!;
              return [
                t.id,
                t.name,
                t.supplier + (t.isDefault ? ' (default)' : ''),
                t.fuel,
                t.kind,
                v.validFrom,
                String(v.spec.standingChargePencePerDay),
                t.active ? 'yes' : 'no',
              ];
            }),
          );
        });
        return 0;
      }
      if (sub === 'prices') {
        const [id, file] = args;
        if (!id || !file) throw new UsageError('tariffs prices needs TARIFF_ID and FILE');
        const r = await call(core, 'tariffs.importPrices', { id, text: readText(file), fileName: path.basename(file) });
        out(ctx, r, () => console.log(`Stored ${r.prices} half-hourly prices for ${id} from ${r.first} to ${r.last}.`));
        return 0;
      }
      if (sub === 'assign') {
        const [meter, tariff] = args;
        const from = str(o, 'from');
        const kvaText = str(o, 'kva');
        if (!meter || !tariff) throw new UsageError('tariffs assign needs MPAN and TARIFF_ID');
        if (!from) throw new UsageError('tariffs assign needs --from DATE (the first UK local day on the tariff)');
        const kva = kvaText === undefined ? undefined : Number(kvaText);
        if (kva !== undefined && !(kva > 0)) throw new UsageError('--kva must be a capacity above 0');
        const r = await call(core, 'tariffs.assign', {
          meter,
          tariff,
          from,
          ...(kva !== undefined ? { capacityKva: kva } : {}),
        });
        out(ctx, r, () => printAssignments(r));
        return 0;
      }
      if (sub === 'assignments') {
        const meter = args[0];
        if (!meter) throw new UsageError('tariffs assignments needs an MPAN');
        const r = await call(core, 'tariffs.assignments', { meter });
        out(ctx, r, () => (r.length === 0 ? console.log(`${meter} has no tariff assigned.`) : printAssignments(r)));
        return 0;
      }
      throw new UsageError('tariffs needs a subcommand: import, list, prices, assign or assignments');
    });
  },
};

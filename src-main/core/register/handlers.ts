/** Contract methods of registers and site suggestions. */
import fs from 'node:fs';
import type { Handlers } from '../../../src-shared/contract/api';
import { AppError } from '../../../src-shared/contract/errors';
import type { Services } from '../services';
import { MAX_REGISTER_BYTES, RegisterService } from './register-service';
import { acceptSiteSuggestions, siteSuggestions } from './suggestions';

export const registerHandlers = (s: Services) => {
  const register = new RegisterService(s.sqlite, s.readings, s.tariffStore, s.clock);
  return {
    'register.import': async (a, ctx) => {
      let bytes: Buffer;
      let name = a.fileName ?? 'register.csv';
      if (a.fileId !== undefined) {
        const f = s.files.get(a.fileId);
        if (!f || !fs.existsSync(f.path))
          throw new AppError(
            'NOT_FOUND',
            'The uploaded register is no longer kept (an upload not imported is removed after 10 minutes): choose the file again',
          );
        if (f.bytes > MAX_REGISTER_BYTES)
          throw new AppError('BAD_INPUT', `${f.original_name} is larger than ${MAX_REGISTER_BYTES / 1024 ** 2} MB`);
        bytes = await fs.promises.readFile(f.path);
        name = a.fileName ?? f.original_name;
      } else bytes = Buffer.from(a.content!, 'base64');
      const { meters, ...result } = await register.import(bytes, name, a.dryRun === true, ctx.actor);
      if (!a.dryRun && a.fileId !== undefined) s.files.forget(a.fileId);
      if (meters.length > 0 || result.sitesCreated + result.sitesUpdated > 0)
        s.events.emit('meters.changed', { meterIds: meters });
      return result;
    },
    'register.export': (a) => register.export(a.format ?? 'csv'),
    'sites.suggestions': () => siteSuggestions(s.sqlite),
    'sites.acceptSuggestions': (a) => {
      const r = acceptSiteSuggestions(s.sqlite, a.items);
      if (r.meters.length > 0) s.events.emit('meters.changed', { meterIds: r.meters });
      const used = new Set(r.siteIds);
      return {
        sitesCreated: r.sitesCreated,
        metersAssigned: r.metersAssigned,
        sites: s.meters.sites().filter((x) => used.has(x.id)),
      };
    },
  } satisfies Partial<Handlers>;
};

/** Contract methods of the app itself: what it is, and its settings. */
import type { Handlers } from '../../../src-shared/contract/api';
import type { Services } from '../services';

export const settingsHandlers = (s: Services) =>
  ({
    'app.info': (_a, ctx) => ({ version: s.app.version, dataDir: s.app.dataDir, host: s.app.host, role: ctx.role }),
    'settings.get': () => s.settings.get(),
    'settings.update': (a) => {
      const updated = s.settings.update(a);
      if (a.carbonApi && !s.app.fixedCarbonApi) s.carbon.useBaseUrl(a.carbonApi);
      if (a.nightlyRunAt && s.started()) void s.scheduler.tick();
      return updated;
    },
  }) satisfies Partial<Handlers>;

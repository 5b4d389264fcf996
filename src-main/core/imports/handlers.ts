/** Contract methods of imports: queue stored files, follow, cancel, retry and clean up jobs. */
import type { Handlers } from '../../../src-shared/contract/api';
import type { Services } from '../services';

export const importHandlers = (s: Services) =>
  ({
    'imports.enqueue': (a) => {
      const { fileIds, ...opts } = a;
      return s.imports.enqueue(fileIds, opts);
    },
    'imports.list': (a) => s.imports.list(a),
    'imports.get': (a) => s.imports.get(a.id),
    'imports.cancel': (a) => s.imports.cancel(a.id),
    'imports.retry': (a) => s.imports.retry(a.id),
    'imports.cleanup': (a) => s.imports.cleanup(a.days ?? s.settings.get().importRetentionDays),
  }) satisfies Partial<Handlers>;

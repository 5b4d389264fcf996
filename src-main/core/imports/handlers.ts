/** Contract methods of imports: store files, queue them, follow, wait for, cancel, retry and clean up jobs. */
import { Readable } from 'node:stream';
import type { Handlers } from '../../../src-shared/contract/api';
import type { Services } from '../services';

export const importHandlers = (s: Services) =>
  ({
    'imports.enqueue': (a) => {
      const { fileIds, ...opts } = a;
      return s.imports.enqueue(fileIds, opts);
    },
    'imports.enqueuePaths': (a) => {
      const { paths, ...opts } = a;
      return s.imports.enqueuePaths(paths, opts);
    },
    'files.upload': (a, ctx) =>
      s.files.store(a.name, ctx.body instanceof Readable ? ctx.body : Readable.from(ctx.body!)),
    'imports.wait': (a) => s.imports.wait(a.jobIds),
    'imports.list': (a) => s.imports.list(a),
    'imports.get': (a) => s.imports.get(a.id),
    'imports.cancel': (a) => s.imports.cancel(a.id),
    'imports.retry': (a) => s.imports.retry(a.id),
    'imports.cleanup': (a) => s.imports.cleanup(a.days ?? s.settings.get().importRetentionDays),
  }) satisfies Partial<Handlers>;

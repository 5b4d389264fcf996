/** sync.*: this desktop's link to a shared server (docs/sync.md; the engine is engine.ts). */
import type { Handlers } from '../../../src-shared/contract/api';
import type { Services } from '../services';

export function syncHandlers(s: Services) {
  return {
    'sync.status': () => s.sync.status(),
    'sync.connect': (a) => s.sync.connect(a),
    'sync.disconnect': () => s.sync.disconnect(),
    'sync.configure': (a) => s.sync.configure(a),
    'sync.now': () => s.sync.sync(),
    'sync.conflicts': (a) => s.sync.conflicts(a.status ?? 'open'),
    'sync.resolve': (a) => s.sync.resolve(a.ids, a.keep),
  } satisfies Partial<Handlers>;
}

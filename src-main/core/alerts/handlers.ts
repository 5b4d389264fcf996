/** alerts.*: rules, the inbox and checks (docs/alerts.md). */
import type { Handlers } from '../../../src-shared/contract/api';
import type { Services } from '../services';

export function alertHandlers(s: Services) {
  return {
    'alerts.rules': () => s.alerts.rules(),
    'alerts.saveRule': (a) => s.alerts.saveRule(a.rule, a.previousId),
    'alerts.deleteRule': (a, ctx) => s.alerts.deleteRule(a.id, ctx.actor),
    'alerts.importRules': (a) => s.alerts.importRules(a.text, { replace: a.replace, dryRun: a.dryRun }),
    'alerts.exportRules': () => ({ rules: s.alerts.rules() }),
    'alerts.list': (a) => s.alerts.list(a),
    'alerts.get': (a) => ({ ...s.alerts.get(a.id), deliveries: s.delivery.deliveries(a.id) }),
    'alerts.counts': () => s.alerts.counts(),
    'alerts.ack': (a, ctx) => s.alerts.ack(a.id, ctx.actor, a.note),
    'alerts.resolve': (a, ctx) => s.alerts.resolve(a.id, ctx.actor, a.note),
    'alerts.snooze': (a) => s.alerts.snooze(a.id, a.until),
    'alerts.check': (a) => s.alerts.check(a.at),
  } satisfies Partial<Handlers>;
}

/** Contract methods of alert delivery: a test message on a channel, and the delivery log. */
import type { Handlers } from '../../../src-shared/contract/api';
import type { Services } from '../services';

export const notifyHandlers = (s: Services) =>
  ({
    'notify.test': (a) => s.delivery.test(a.channel),
    'notify.deliveries': (a) => s.delivery.deliveries(a.alertId, a.limit),
  }) satisfies Partial<Handlers>;

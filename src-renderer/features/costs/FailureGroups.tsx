/**
 * A portfolio run's failures grouped by cause: one line per cause ("29 meters have no tariff:
 * assign tariffs"), the meters behind it in a list that opens on request, each linked to the place
 * to fix it — so 120 unpriced meters do not push the results down the page.
 */
import type { SwitchRunFailure } from '../../../src-shared/contract/types';
import { groupFailures } from '../../lib/problems';

export function FailureGroups({ failed }: { failed: readonly SwitchRunFailure[] }) {
  const groups = groupFailures(failed);
  if (groups.length === 0) return null;
  return (
    <div className="callout callout-warn savings-failed" data-testid="run-failed">
      <ul className="failure-groups">
        {groups.map((g) => (
          <li key={g.key} data-testid="failure-group" data-reason={g.key}>
            <strong>{g.headline}</strong>
            {g.action && (
              <>
                : <a href={g.action.href}>{g.action.label}</a>
              </>
            )}
            <details className="failure-meters">
              <summary>{g.meters.length === 1 ? 'Show the meter' : `Show the ${g.meters.length} meters`}</summary>
              <ul>
                {g.meters.map((m) => (
                  <li key={m.meter}>
                    <a href={m.href} className="mono">
                      {m.meter}
                    </a>{' '}
                    <span className="muted">· {m.message}</span>
                    {m.linkLabel && (
                      <>
                        {' '}
                        · <a href={m.href}>{m.linkLabel}</a>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            </details>
          </li>
        ))}
      </ul>
    </div>
  );
}

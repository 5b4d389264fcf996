/**
 * What a meter page says when its meter is not found: if the meter was deleted by hand (and is still
 * kept), when and by whom, and where to put it back (Activity → Recently deleted); otherwise that a
 * file with its readings has to be imported first.
 */
import type { ReactNode } from 'react';
import { getClient } from '../../api/instance';
import { ProblemState } from '../../components/ProblemState';
import { formatUkDateTime } from '../../lib/format';
import { useQuery } from '../../lib/query';
import { href, navigate } from '../../lib/route';

/** The address of Activity → Recently deleted. */
export const RECENTLY_DELETED = `${href.activity}?view=trash`;

export function MeterNotFound({ mpan, message, onRetry }: { mpan: string; message: string; onRetry: () => void }) {
  const trash = useQuery(`trash-of:${mpan}`, () => getClient().call('trash.list', { limit: 500 }));
  const gone = trash.data?.find((e) => e.kind !== 'readings' && !e.restoredAt && e.meters.includes(mpan)) ?? null;
  const action = (label: string, to: string): ReactNode => (
    <button type="button" className="btn btn-quiet" onClick={() => navigate(to)}>
      {label}
    </button>
  );
  return gone ? (
    <ProblemState
      title="This meter was deleted"
      code={null}
      message={`${gone.label} was deleted on ${formatUkDateTime(gone.createdAt)} by ${gone.createdBy}. It is kept for 30 days: put it back from Activity → Recently deleted.`}
      details={undefined}
      action={action('Go to Recently deleted', RECENTLY_DELETED)}
    />
  ) : (
    <ProblemState
      title="Meter not found"
      code="NOT_FOUND"
      message={message}
      details={undefined}
      onRetry={onRetry}
      action={action('Go to Imports', href.imports)}
    />
  );
}

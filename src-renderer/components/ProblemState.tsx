/**
 * A failure as people read it (lib/problems.ts): plain words, a link to the place to fix it, and
 * Retry only where it can help.
 */
import type { ReactNode } from 'react';
import { describeProblem } from '../lib/problems';
import type { Query } from '../lib/query';
import { ErrorState } from './States';

export function ProblemState({
  title,
  code,
  message,
  details,
  onRetry,
  action,
}: {
  title: string;
  code: string | null;
  message: string;
  details: unknown;
  onRetry?: () => void;
  /** Another way on, beside the problem's own (e.g. "Back to Sites & meters"). */
  action?: ReactNode;
}) {
  const p = describeProblem(code, message, details);
  return (
    <ErrorState
      title={title}
      message={p.message}
      {...(p.retry && onRetry ? { onRetry } : {})}
      action={
        p.action || action ? (
          <>
            {p.action && (
              <a className="btn btn-primary" href={p.action.href} data-testid="problem-action">
                {p.action.label}
              </a>
            )}
            {action}
          </>
        ) : undefined
      }
    />
  );
}

/** A failed query (lib/query.ts) as a ProblemState: Retry runs it again, where that can help. */
export function QueryProblem({
  title,
  q,
  action,
}: {
  title: string;
  q: Pick<Query<unknown>, 'error' | 'code' | 'details' | 'reload'>;
  action?: ReactNode;
}) {
  return (
    <ProblemState
      title={title}
      code={q.code}
      message={q.error ?? 'Something went wrong'}
      details={q.details}
      onRetry={q.reload}
      action={action}
    />
  );
}

/**
 * A failure as people read it (lib/problems.ts): plain words, a link to the place to fix it, and
 * Retry only where it can help.
 */
import { describeProblem } from '../lib/problems';
import { ErrorState } from './States';

export function ProblemState({
  title,
  code,
  message,
  details,
  onRetry,
}: {
  title: string;
  code: string | null;
  message: string;
  details: unknown;
  onRetry?: () => void;
}) {
  const p = describeProblem(code, message, details);
  return (
    <ErrorState
      title={title}
      message={p.message}
      {...(p.retry && onRetry ? { onRetry } : {})}
      action={
        p.action ? (
          <a className="btn btn-primary" href={p.action.href} data-testid="problem-action">
            {p.action.label}
          </a>
        ) : undefined
      }
    />
  );
}

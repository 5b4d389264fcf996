/** Loading, empty and error states: every view says what is happening and what to do next. */
import type { ReactNode } from 'react';

export function Spinner({ label = 'Loading…', inline = false }: { label?: string; inline?: boolean }) {
  return (
    <div className={inline ? 'spinner-inline' : 'spinner-block'} role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span className={inline ? '' : 'muted'}>{label}</span>
    </div>
  );
}

export function Skeleton({ rows = 4, label = 'Loading…' }: { rows?: number; label?: string }) {
  return (
    <div className="skeleton" role="status" aria-label={label} aria-busy="true">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton-line" style={{ width: `${92 - ((i * 17) % 35)}%` }} />
      ))}
    </div>
  );
}

export function EmptyState({
  icon,
  title,
  children,
  action,
}: {
  icon?: ReactNode;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="empty-state">
      {icon && (
        <div className="empty-icon" aria-hidden="true">
          {icon}
        </div>
      )}
      <h3>{title}</h3>
      {children && <div className="muted">{children}</div>}
      {action && <div className="empty-action">{action}</div>}
    </div>
  );
}

export function ErrorState({
  title,
  message,
  onRetry,
  action,
}: {
  title: string;
  message: string;
  onRetry?: () => void;
  action?: ReactNode;
}) {
  return (
    <div className="error-state" role="alert">
      <div className="error-icon" aria-hidden="true">
        !
      </div>
      <div>
        <h3>{title}</h3>
        <p className="error-message">{message}</p>
        <div className="row-actions">
          {onRetry && (
            <button type="button" className="btn" onClick={onRetry}>
              Retry
            </button>
          )}
          {action}
        </div>
      </div>
    </div>
  );
}

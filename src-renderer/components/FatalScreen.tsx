import { useState } from 'react';
import { getClient } from '../api/instance';
import { copyText } from '../lib/clipboard';
import type { FatalError } from '../stores/app';

export function FatalScreen({ fatal, onRetry }: { fatal: FatalError; onRetry: () => void }) {
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  return (
    <main className="fatal" data-testid="fatal-screen">
      <div className="fatal-card" role="alert">
        <div className="brand brand-large">
          <Logo />
          <span>Eclectyc Energy</span>
        </div>
        <h1>{fatal.title}</h1>
        <p className="error-message">{fatal.message}</p>
        <p className="muted">
          The window could not talk to the part of the app that holds your data.{' '}
          {getClient().kind === 'http' ? (
            <>
              Check that <code>eclectyc serve</code> (or <code>npm run serve</code>) is still running, then try again.
            </>
          ) : (
            <>Try again; if it keeps happening, restart Eclectyc Energy.</>
          )}{' '}
          Your data is safe: nothing was changed.
        </p>
        <details className="fatal-details">
          <summary>Technical details</summary>
          <pre>{fatal.details}</pre>
        </details>
        <div className="row-actions">
          <button type="button" className="btn btn-primary" onClick={onRetry}>
            Try again
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => {
              void copyText(fatal.details).then((ok) => setCopied(ok ? 'done' : 'failed'));
            }}
          >
            Copy details
          </button>
          <span className="muted" aria-live="polite">
            {copied === 'done'
              ? 'Copied to the clipboard'
              : copied === 'failed'
                ? 'Could not copy; select the text above'
                : ''}
          </span>
        </div>
      </div>
    </main>
  );
}

export function Logo({ size = 22 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" className="logo">
      <rect x="1" y="1" width="22" height="22" rx="6" fill="currentColor" opacity="0.14" />
      <path d="M13.5 3.5 6.5 13.2h5l-1 7.3 7-9.7h-5z" fill="currentColor" />
    </svg>
  );
}

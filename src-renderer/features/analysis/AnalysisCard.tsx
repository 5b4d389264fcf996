/** Pieces the analysis cards share: a card still loading or failed, and the link to fix a site's settings. */
import { QueryProblem } from '../../components/ProblemState';
import { Skeleton } from '../../components/States';
import type { Query } from '../../lib/query';
import { href } from '../../lib/route';
import { datesInWords } from './words';

/** A link to the site's page, where its opening hours, floor area, location and weather are set. */
export function SiteLink({ siteId, children }: { siteId: number; children: string }) {
  return (
    <a className="btn btn-quiet btn-small" href={href.site(siteId)} data-testid="site-link">
      {children}
    </a>
  );
}

/** A failed query whose message has its dates in words (the core's messages give `YYYY-MM-DD`). */
export function inWords<Q extends Pick<Query<unknown>, 'error'>>(q: Q): Q {
  return q.error ? { ...q, error: datesInWords(q.error) } : q;
}

/** A card whose call has not answered yet (a skeleton), or failed (the problem in words, and where to fix it). */
export function AnalysisProblem({
  title,
  q,
  testId,
  siteId,
  rows = 3,
  chart = false,
}: {
  title: string;
  q: Pick<Query<unknown>, 'load' | 'error' | 'code' | 'details' | 'reload'>;
  testId: string;
  /** The meter's site: failures about the site's settings link to its page. */
  siteId: number | null;
  rows?: number;
  chart?: boolean;
}) {
  return (
    <section className="card analysis-card" aria-label={title} data-testid={testId} data-state={q.load}>
      <div className="card-header">
        <h2>{title}</h2>
      </div>
      {q.load === 'error' ? (
        <QueryProblem
          title={`Could not work out the ${title.toLowerCase()}`}
          q={inWords(q)}
          action={
            siteId !== null && (q.code === 'BAD_INPUT' || q.code === 'NOT_FOUND') ? (
              <SiteLink siteId={siteId}>Open the site’s page</SiteLink>
            ) : undefined
          }
        />
      ) : (
        <div className="card-pad">
          <Skeleton rows={rows} label={`Working out the ${title.toLowerCase()}`} />
          {chart && <div className="chart-skeleton" aria-hidden="true" />}
        </div>
      )}
    </section>
  );
}

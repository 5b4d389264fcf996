import { useEffect, useState } from 'react';
import { useCan } from '../../components/Can';
import { Page } from '../../components/Page';
import { formatInt, plural } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { href, navigate, parseRoute } from '../../lib/route';
import { useMetersStore } from '../../stores/meters';
import { NewSiteDialog } from '../sites/NewSiteDialog';
import { RegisterActions } from '../register/RegisterActions';
import { SiteSuggestionsCard } from '../register/SiteSuggestionsCard';
import { PortfolioTables } from './PortfolioTables';
import { hashOfTableState, tableStateOfHash, type TableState } from './portfolio-table';

export function MetersPage() {
  useDocumentTitle('Sites & meters');
  const { meters, fetchMeters } = useMetersStore();
  // the tables' view, order and filters live in the address (a link or a reload keeps them)
  const [table, setTable] = useState<TableState>(() => tableStateOfHash(window.location.hash));
  const [creating, setCreating] = useState(false);
  const can = useCan();

  useEffect(() => {
    void fetchMeters();
  }, [fetchMeters]);

  useEffect(() => {
    const to = hashOfTableState(table);
    if (window.location.hash !== to) window.history.replaceState(null, '', to);
  }, [table]);
  // a link to the page with other filters (the sidebar's, a pasted address) replaces them; the page's own
  // changes replace the address without this event
  useEffect(() => {
    const follow = () => {
      if (parseRoute(window.location.hash).page === 'meters') setTable(tableStateOfHash(window.location.hash));
    };
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);

  const total = meters?.length ?? 0;
  const readings = (meters ?? []).reduce((n, m) => n + m.readings, 0);

  return (
    <Page
      title="Sites & meters"
      subtitle={
        meters && total > 0
          ? `${plural(total, 'meter')} · ${formatInt(readings)} half-hourly readings · times in UK local time`
          : 'Every meter found in your imported files, and its site.'
      }
      actions={
        <>
          {meters && total > 0 && (
            <input
              className="search"
              type="search"
              placeholder={table.view === 'sites' ? 'Search site or postcode' : 'Search MPAN, label or site'}
              aria-label={table.view === 'sites' ? 'Filter sites' : 'Filter meters'}
              value={table.filter.q}
              onChange={(e) => setTable({ ...table, filter: { ...table.filter, q: e.currentTarget.value } })}
            />
          )}
          {can('sites.create') && (
            <button type="button" className="btn" onClick={() => setCreating(true)}>
              New site
            </button>
          )}
          <RegisterActions />
        </>
      }
    >
      <NewSiteDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(site) => {
          setCreating(false);
          navigate(href.site(site.id));
        }}
      />

      <SiteSuggestionsCard />
      <PortfolioTables state={table} onChange={setTable} />
    </Page>
  );
}

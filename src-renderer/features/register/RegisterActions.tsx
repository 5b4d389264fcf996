/**
 * "Import register…" and "Export register" (docs/registers.md). Import sends the chosen CSV or XLSX
 * (uploaded in a browser; its bytes in the desktop app), shows the dry run — the counts, each line
 * that creates or changes something with its values before and after, or every problem by line and
 * column — and imports it only on Confirm; Cancel leaves everything as it was. Export downloads the
 * portfolio as CSV or XLSX. Viewers see Export only.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { RegisterChange, RegisterError, RegisterImportResult } from '../../../src-shared/contract/types';
import { errorMessage } from '../../api/client';
import { getClient } from '../../api/instance';
import { useCan } from '../../components/Can';
import { DataTable, type Column } from '../../components/DataTable';
import { Spinner } from '../../components/States';
import { downloadDataUrl, downloadText } from '../../lib/download';
import { formatInt, plural } from '../../lib/format';
import { useQuery } from '../../lib/query';
import { useAppStore } from '../../stores/app';
import { useMetersStore } from '../../stores/meters';
import { base64OfBytes, changedLines, countsText, fieldWord, valueText } from './register-preview';
import '../../styles/register.css';

/** Lines of changes or problems the preview lists (the rest are counted). */
const SHOWN = 300;

type Source = { fileId: string; fileName: string } | { content: string; fileName: string };
type Step =
  | { step: 'choose' }
  | { step: 'checking'; file: string }
  | { step: 'failed'; file: string; message: string }
  | { step: 'preview' | 'importing'; file: string; result: RegisterImportResult };

export function RegisterActions() {
  const can = useCan();
  const [open, setOpen] = useState(false);
  return (
    <>
      {can('register.import') && (
        <button type="button" className="btn" onClick={() => setOpen(true)} data-testid="register-import">
          Import register…
        </button>
      )}
      <ExportMenu />
      {can('register.import') && <ImportDialog open={open} onClose={() => setOpen(false)} />}
    </>
  );
}

function ExportMenu() {
  const ref = useRef<HTMLDetailsElement>(null);
  const [busy, setBusy] = useState(false);
  // a click anywhere else closes the menu
  useEffect(() => {
    const close = (e: MouseEvent) => {
      if (ref.current?.open && !ref.current.contains(e.target as Node)) ref.current.open = false;
    };
    document.addEventListener('click', close);
    return () => document.removeEventListener('click', close);
  }, []);
  const save = async (format: 'csv' | 'xlsx') => {
    if (ref.current) ref.current.open = false;
    setBusy(true);
    try {
      const r = await getClient().call('register.export', { format });
      if (r.encoding === 'base64') downloadDataUrl(r.fileName, `data:${r.contentType};base64,${r.content}`);
      else downloadText(r.fileName, r.content, r.contentType);
      useAppStore.getState().toast({
        kind: 'success',
        title: `Register saved as ${r.fileName}`,
        message: `${plural(r.sites, 'site')} and ${plural(r.meters, 'meter')}`,
      });
    } catch (e) {
      useAppStore.getState().toastError('Could not export the register', e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="register-export" ref={ref}>
      <summary className="btn" data-testid="register-export" aria-busy={busy}>
        {busy ? 'Exporting…' : 'Export register'}
      </summary>
      <div className="register-export-menu" role="menu">
        <button type="button" role="menuitem" className="btn btn-quiet" onClick={() => void save('csv')}>
          CSV (.csv)
        </button>
        <button type="button" role="menuitem" className="btn btn-quiet" onClick={() => void save('xlsx')}>
          Excel workbook (.xlsx)
        </button>
      </div>
    </details>
  );
}

function ImportDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const source = useRef<Source | null>(null);
  const [s, setS] = useState<Step>({ step: 'choose' });

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setS({ step: 'choose' });
      source.current = null;
      d.showModal();
    } else if (!open && d.open) d.close();
  }, [open]);

  const choose = () => {
    if (!input.current) return;
    input.current.value = '';
    input.current.click();
  };

  const check = async (file: File) => {
    setS({ step: 'checking', file: file.name });
    try {
      const client = getClient();
      const src: Source = client.uploads
        ? { fileId: (await client.uploadFile(file)).fileId, fileName: file.name }
        : { content: base64OfBytes(new Uint8Array(await file.arrayBuffer())), fileName: file.name };
      const result = await client.call('register.import', { ...src, dryRun: true });
      source.current = src;
      setS({ step: 'preview', file: file.name, result });
    } catch (e) {
      setS({ step: 'failed', file: file.name, message: errorMessage(e) });
    }
  };

  const confirm = async () => {
    if (s.step !== 'preview' || !source.current) return;
    setS({ ...s, step: 'importing' });
    try {
      const result = await getClient().call('register.import', source.current);
      if (result.errors.length) {
        // something changed since the preview: show what is wrong now
        setS({ step: 'preview', file: s.file, result });
        return;
      }
      useAppStore.getState().toast({ kind: 'success', title: 'Register imported', message: countsText(result, true) });
      void useMetersStore.getState().fetchMeters();
      onClose();
    } catch (e) {
      setS({ step: 'failed', file: s.file, message: errorMessage(e) });
    }
  };

  const busy = s.step === 'checking' || s.step === 'importing';
  return (
    <dialog
      ref={ref}
      className="dialog register-dialog"
      aria-labelledby="register-title"
      onClose={onClose}
      onCancel={(e) => busy && e.preventDefault()}
      data-testid="register-dialog"
    >
      <h2 id="register-title">Import a site and meter register</h2>
      <input
        ref={input}
        type="file"
        accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        hidden
        data-testid="register-file"
        onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          if (f) void check(f);
        }}
      />
      {s.step === 'choose' && (
        <>
          <p className="muted">
            A spreadsheet (CSV or Excel .xlsx) with a line per meter: its site and the site’s address, postcode,
            location, floor area and opening hours; the meter’s MPAN or MPRN, fuel, label, supplier, agreed capacity,
            tariff and serial. Common column names are recognised (Site name, MPAN, Post code, kVA…).
          </p>
          <p className="muted small">
            You will see what it creates and changes before anything is saved. A blank cell leaves what is stored as it
            is.
          </p>
        </>
      )}
      {s.step === 'checking' && <Spinner label={`Checking ${s.file}…`} />}
      {s.step === 'failed' && (
        <p className="callout callout-error" role="alert">
          {s.file}: {s.message}
        </p>
      )}
      {(s.step === 'preview' || s.step === 'importing') && <Preview file={s.file} result={s.result} />}
      <div className="form-actions">
        {s.step === 'preview' || s.step === 'importing' ? (
          <>
            {s.result.errors.length === 0 && (
              <button
                type="button"
                className="btn btn-primary"
                onClick={() => void confirm()}
                disabled={busy || changedLines(s.result).length === 0}
                data-testid="register-confirm"
              >
                {s.step === 'importing' ? 'Importing…' : 'Confirm and import'}
              </button>
            )}
            <button type="button" className="btn" onClick={choose} disabled={busy}>
              Choose another file…
            </button>
          </>
        ) : (
          <button type="button" className="btn btn-primary" onClick={choose} disabled={busy}>
            Choose a file…
          </button>
        )}
        <button type="button" className="btn btn-quiet" onClick={onClose} disabled={busy}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}

function Preview({ file, result: r }: { file: string; result: RegisterImportResult }) {
  const tariffs = useQuery('register-tariffs', () => getClient().call('tariffs.list', {}));
  const columns = useMemo(() => changeColumns(new Map(tariffs.data?.map((t) => [t.id, t.name]))), [tariffs.data]);
  const lines = changedLines(r);
  const unchanged = r.changes.length - lines.length;
  return (
    <div className="register-preview" data-testid="register-preview">
      <p>
        <strong>{file}</strong>
        {r.errors.length === 0 && ` · ${countsText(r)}`}
        {r.errors.length === 0 && unchanged > 0 && (
          <span className="muted"> · {plural(unchanged, 'site or meter', 'sites and meters')} already as stored</span>
        )}
      </p>
      {r.errors.length === 0 && (
        <dl className="register-counts">
          {(
            [
              ['Sites to create', r.sitesCreated],
              ['Sites to change', r.sitesUpdated],
              ['Meters to create', r.metersCreated],
              ['Meters to change', r.metersUpdated],
            ] as const
          ).map(([label, n]) => (
            <div className="stat" key={label}>
              <dt>{label}</dt>
              <dd>{formatInt(n)}</dd>
            </div>
          ))}
        </dl>
      )}
      {r.ignoredColumns.length > 0 && <p className="muted small">Columns not read: {r.ignoredColumns.join(', ')}.</p>}
      {r.errors.length > 0 ? (
        <>
          <p className="callout callout-error" role="alert">
            {plural(r.errors.length, 'problem')} in the file: nothing will be imported. Correct{' '}
            {r.errors.length === 1 ? 'it' : 'them'} in the spreadsheet and choose it again.
          </p>
          <DataTable
            columns={ERROR_COLUMNS}
            rows={r.errors}
            rowKey={(_, i) => i}
            limit={SHOWN}
            className="table-compact register-table"
            testId="register-errors"
          />
          <More total={r.errors.length} />
        </>
      ) : lines.length > 0 ? (
        <>
          <DataTable
            columns={columns}
            rows={lines}
            rowKey={(c) => `${c.entity}:${c.key}`}
            rowProps={() => ({ 'data-testid': 'register-change' })}
            limit={SHOWN}
            className="table-compact register-table"
            testId="register-changes"
          />
          <More total={lines.length} />
        </>
      ) : null}
    </div>
  );
}

const ERROR_COLUMNS: Column<RegisterError>[] = [
  { header: 'Line', num: true, cell: (e) => e.line },
  { header: 'Column', cell: (e) => e.column ?? '—' },
  { header: 'Problem', cell: (e) => e.message },
];

/** The changes' columns; tariffs by their names in `tariffNames` (by id). */
const changeColumns = (tariffNames: ReadonlyMap<string, string>): Column<RegisterChange>[] => [
  { header: 'Line', num: true, cell: (c) => c.line },
  {
    header: 'Site or meter',
    cell: (c) => (
      <>
        <span className="muted small">{c.entity === 'site' ? 'Site' : 'Meter'} </span>
        <span className={c.entity === 'meter' ? 'mono' : undefined}>{c.key}</span>
      </>
    ),
  },
  {
    header: 'Action',
    cell: (c) => (
      <span className={`badge ${c.action === 'create' ? 'badge-done' : 'badge-queued'}`}>
        {c.action === 'create' ? 'New' : 'Change'}
      </span>
    ),
  },
  {
    header: 'What it sets',
    cell: (c) => (
      <ul className="register-fields">
        {c.fields.map((f) => (
          <li key={f.field}>
            <span className="muted">{fieldWord(f.field)}</span> {valueText(f, tariffNames)}
          </li>
        ))}
      </ul>
    ),
  },
];

/** "…and N more" under a list cut at SHOWN lines. */
function More({ total }: { total: number }) {
  return total > SHOWN ? <p className="muted small">…and {formatInt(total - SHOWN)} more.</p> : null;
}

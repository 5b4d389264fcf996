/**
 * The question asked before importing a file whose bytes were imported before (the core refuses
 * such a batch until told to): which earlier import, when and into which meters, then "Import
 * again" or "Cancel" — and, when only some of the files were seen before, "Import only the new files".
 */
import { formatUkDateTime } from '../../lib/format';
import { href } from '../../lib/route';
import { useImportsStore } from '../../stores/imports';

const LISTED = 5;

export function DuplicateConfirm() {
  const d = useImportsStore((s) => s.duplicate);
  const resolve = useImportsStore((s) => s.resolveDuplicate);
  if (!d) return null;
  const { files, fileIds } = d.details;
  const newFiles = fileIds.length - files.length;
  const one = files.length === 1;
  return (
    <div
      className="callout callout-warn confirm duplicate-confirm"
      role="alertdialog"
      aria-labelledby="duplicate-title"
      data-testid="duplicate-confirm"
    >
      <div>
        <strong id="duplicate-title">
          {one ? `${files[0]!.file} was imported before` : `${files.length} of these files were imported before`}
        </strong>
        <ul className="duplicate-list">
          {files.slice(0, LISTED).map((f) => (
            <li key={f.fileId}>
              {one ? 'The same file' : <span className="mono">{f.file}</span>}
              {' was imported'}
              {f.earlier.finishedAt ? ` on ${formatUkDateTime(f.earlier.finishedAt)}` : ''}
              {f.earlier.file !== f.file ? ` as ${f.earlier.file}` : ''}
              {f.earlier.meters.length > 0 && (
                <>
                  {' '}
                  into {f.earlier.meters.length === 1 ? 'meter' : 'meters'}{' '}
                  {f.earlier.meters.slice(0, 3).map((m, i) => (
                    <span key={m}>
                      {i > 0 ? ', ' : ''}
                      <a className="mono" href={href.meter(m)}>
                        {m}
                      </a>
                    </span>
                  ))}
                  {f.earlier.meters.length > 3 ? ` and ${f.earlier.meters.length - 3} more` : ''}
                </>
              )}
              .
            </li>
          ))}
          {files.length > LISTED && <li>… and {files.length - LISTED} more.</li>}
        </ul>
        <p className="small">
          Importing {one ? 'it' : 'them'} again adds nothing if the readings land on the same meters. If they land on
          another meter (for example one chosen in the options), the same readings are stored twice and every total
          counts them twice.
        </p>
      </div>
      <span className="job-actions">
        <button type="button" className="btn btn-small btn-primary" onClick={() => void resolve('all')}>
          Import again
        </button>
        {newFiles > 0 && (
          <button type="button" className="btn btn-small" onClick={() => void resolve('new')}>
            Import only the new {newFiles === 1 ? 'file' : `${newFiles} files`}
          </button>
        )}
        <button type="button" className="btn btn-small btn-quiet" onClick={() => void resolve('cancel')}>
          Cancel
        </button>
      </span>
    </div>
  );
}

/**
 * One bulk edit of the selected meters, in a dialog: choose (a site, existing or new; a supplier; a
 * tariff and the day it starts; a capacity; tags), then confirm with the count ("Assign 240 meters
 * to Bath Library?"). The page then runs it (`runBulk`: one `meters.bulkUpdate`, all or nothing) and
 * says what it is doing and, if it is refused, why in the core's words.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Fuel, MeterRow } from '../../../src-shared/contract/types';
import { errorMessage } from '../../api/client';
import { getClient } from '../../api/instance';
import { DateField } from '../../components/DateField';
import { Field } from '../../components/Field';
import { Form } from '../../components/Form';
import { formatDay, parseUkDate } from '../../lib/format';
import { useQuery } from '../../lib/query';
import { POSTCODE } from '../sites/NewSiteDialog';
import { NewSiteFields } from '../sites/NewSiteFields';
import { bulkArgs, bulkQuestion, metersWord, parseTags, type BulkChange } from './portfolio-table';

export type BulkKind = 'site' | 'supplier' | 'tariff' | 'capacity' | 'addTags' | 'removeTags';

const TITLES: Record<BulkKind, string> = {
  site: 'Assign to a site',
  supplier: 'Set the supplier',
  tariff: 'Assign a tariff',
  capacity: 'Set the agreed capacity',
  addTags: 'Add tags',
  removeTags: 'Remove tags',
};

/** The confirmation's button. */
const DO: Record<BulkKind, string> = {
  site: 'Assign',
  supplier: 'Set the supplier',
  tariff: 'Assign the tariff',
  capacity: 'Set the capacity',
  addTags: 'Add the tags',
  removeTags: 'Remove the tags',
};

const NEW_SITE = 'new';
const NO_SITE = 'none';

export function BulkDialog({
  kind,
  meters,
  suppliers,
  onClose,
  onConfirm,
}: {
  /** The edit to make; null: the dialog is closed. */
  kind: BulkKind | null;
  /** The selected meters (the rows as shown). */
  meters: MeterRow[];
  /** Suppliers already in use, offered as the supplier is typed. */
  suppliers: string[];
  onClose: () => void;
  /** The edit, confirmed (the dialog closes; the page runs it). */
  onConfirm: (change: BulkChange) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [step, setStep] = useState<'choose' | 'confirm'>('choose');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [change, setChange] = useState<BulkChange | null>(null);
  // the fields
  const [site, setSite] = useState('');
  const [siteName, setSiteName] = useState('');
  const [postcode, setPostcode] = useState('');
  const [supplier, setSupplier] = useState('');
  const [tariff, setTariff] = useState('');
  const [from, setFrom] = useState('');
  const [capacity, setCapacity] = useState('');
  const [tags, setTags] = useState('');
  const open = kind !== null;
  const sites = useQuery(kind === 'site' ? 'bulk-sites' : null, () => getClient().call('sites.list', {}));
  const tariffs = useQuery(kind === 'tariff' ? 'bulk-tariffs' : null, () => getClient().call('tariffs.list', {}));
  const fuels = useMemo(() => new Set<Fuel>(meters.map((m) => m.fuel)), [meters]);
  const tagsHeld = useMemo(() => [...new Set(meters.flatMap((m) => m.tags))].sort(), [meters]);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setStep('choose');
      setErrors({});
      setChange(null);
      setSite('');
      setSiteName('');
      setPostcode('');
      setSupplier('');
      setTariff('');
      setFrom('');
      setCapacity('');
      setTags('');
      d.showModal();
    } else if (!open && d.open) d.close();
  }, [open]);

  /** The change the fields describe, or the fields' problems. */
  const read = (): BulkChange | { problems: Record<string, string> } => {
    if (kind === 'site') {
      if (!site) return { problems: { site: 'Choose a site' } };
      if (site === NO_SITE) return { kind: 'site', siteId: null, siteName: null };
      if (site === NEW_SITE) {
        const e: Record<string, string> = {};
        if (!siteName.trim()) e.siteName = 'A site needs a name';
        if (postcode.trim() && !POSTCODE.test(postcode.trim())) e.postcode = 'Enter a UK postcode, e.g. BA1 1LT';
        return Object.keys(e).length
          ? { problems: e }
          : {
              kind: 'site',
              siteId: null,
              siteName: siteName.trim(),
              create: { postcode: postcode.trim() ? postcode.trim().toUpperCase() : null },
            };
      }
      const s = sites.data?.find((x) => String(x.id) === site);
      return s ? { kind: 'site', siteId: s.id, siteName: s.name } : { problems: { site: 'Choose a site' } };
    }
    if (kind === 'supplier') return { kind: 'supplier', supplier: supplier.trim() || null };
    if (kind === 'capacity') {
      const k = Number(capacity.trim());
      if (!capacity.trim() || !Number.isFinite(k) || k <= 0 || k > 1_000_000)
        return { problems: { capacity: 'Enter the agreed capacity in kVA, above 0 (e.g. 69)' } };
      return { kind: 'capacity', capacityKva: k };
    }
    if (kind === 'tariff') {
      const e: Record<string, string> = {};
      const t = tariffs.data?.find((x) => x.id === tariff);
      if (!t) e.tariff = 'Choose a tariff';
      else if ([...fuels].some((f) => f !== t.fuel)) {
        const other = meters.filter((m) => m.fuel !== t.fuel).length;
        e.tariff = `${metersWord(other)} of the selection ${other === 1 ? 'is' : 'are'} not ${t.fuel}: select only ${t.fuel} meters, or choose another tariff`;
      }
      const day = parseUkDate(from);
      if (!from.trim()) e.from = 'Enter the first day on the tariff (DD/MM/YYYY)';
      else if (!day.ok) e.from = day.error;
      if (Object.keys(e).length || !t || !day.ok) return { problems: e };
      return { kind: 'tariff', tariffId: t.id, tariffName: t.name, from: day.iso };
    }
    const p = parseTags(tags);
    if (!p.ok) return { problems: { tags: p.error } };
    return kind === 'addTags' ? { kind: 'addTags', tags: p.tags } : { kind: 'removeTags', tags: p.tags };
  };

  const next = () => {
    const r = read();
    if ('problems' in r) {
      setErrors(r.problems);
      return;
    }
    setErrors({});
    setChange(r);
    setStep('confirm');
  };

  const n = meters.length;
  return (
    <dialog
      ref={ref}
      className="dialog bulk-dialog"
      aria-labelledby="bulk-title"
      onClose={onClose}
      data-testid="bulk-dialog"
    >
      {kind && step === 'choose' && (
        <Form method="dialog" className="form" onSubmit={next}>
          <h2 id="bulk-title">{TITLES[kind]}</h2>
          <p className="muted small">For {metersWord(n)} selected.</p>
          {kind === 'site' && (
            <>
              <Field id="bulk-site" label="Site" error={errors.site}>
                {(c) => (
                  <select {...c} className="input" value={site} onChange={(e) => setSite(e.currentTarget.value)}>
                    <option value="">{sites.data ? 'Choose a site…' : 'Loading the sites…'}</option>
                    {(sites.data ?? []).map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name}
                        {s.postcode ? ` (${s.postcode})` : ''}
                      </option>
                    ))}
                    <option value={NEW_SITE}>A new site…</option>
                    <option value={NO_SITE}>No site (take them off their site)</option>
                  </select>
                )}
              </Field>
              {site === NEW_SITE && (
                <>
                  <NewSiteFields
                    idPrefix="bulk-site"
                    name={siteName}
                    postcode={postcode}
                    onName={setSiteName}
                    onPostcode={setPostcode}
                    nameError={errors.siteName}
                    postcodeError={errors.postcode}
                  />
                </>
              )}
            </>
          )}
          {kind === 'supplier' && (
            <Field id="bulk-supplier" label="Supplier" hint="Leave empty to clear it." error={errors.supplier}>
              {(c) => (
                <>
                  <input
                    {...c}
                    className="input"
                    value={supplier}
                    maxLength={120}
                    autoFocus
                    list="bulk-suppliers"
                    placeholder="e.g. British Gas Business"
                    onChange={(e) => setSupplier(e.currentTarget.value)}
                  />
                  <datalist id="bulk-suppliers">
                    {suppliers.map((s) => (
                      <option key={s} value={s} />
                    ))}
                  </datalist>
                </>
              )}
            </Field>
          )}
          {kind === 'tariff' && (
            <>
              <Field id="bulk-tariff" label="Tariff" error={errors.tariff}>
                {(c) => (
                  <select {...c} className="input" value={tariff} onChange={(e) => setTariff(e.currentTarget.value)}>
                    <option value="">{tariffs.data ? 'Choose a tariff…' : 'Loading the tariffs…'}</option>
                    {(tariffs.data ?? [])
                      .filter((t) => fuels.size !== 1 || fuels.has(t.fuel))
                      .map((t) => (
                        <option key={t.id} value={t.id}>
                          {t.name} · {t.supplier} ({t.fuel})
                        </option>
                      ))}
                  </select>
                )}
              </Field>
              {tariffs.data && tariffs.data.length === 0 && (
                <p className="callout callout-info small">No tariffs yet: add one on the Tariffs page first.</p>
              )}
              <Field id="bulk-from" label="From" hint="The first day on the tariff (UK date)." error={errors.from}>
                {(c) => <DateField {...c} value={from} onChange={setFrom} />}
              </Field>
            </>
          )}
          {kind === 'capacity' && (
            <Field id="bulk-capacity" label="Agreed capacity (kVA)" error={errors.capacity}>
              {(c) => (
                <input
                  {...c}
                  className="input input-narrow"
                  inputMode="decimal"
                  value={capacity}
                  autoFocus
                  placeholder="69"
                  onChange={(e) => setCapacity(e.currentTarget.value)}
                />
              )}
            </Field>
          )}
          {(kind === 'addTags' || kind === 'removeTags') && (
            <Field
              id="bulk-tags"
              label={kind === 'addTags' ? 'Tags to add' : 'Tags to remove'}
              hint="Separate tags with commas, e.g. school, leased."
              error={errors.tags}
            >
              {(c) => (
                <>
                  <input
                    {...c}
                    className="input"
                    value={tags}
                    autoFocus
                    list={kind === 'removeTags' ? 'bulk-held-tags' : undefined}
                    onChange={(e) => setTags(e.currentTarget.value)}
                  />
                  <datalist id="bulk-held-tags">
                    {tagsHeld.map((t) => (
                      <option key={t} value={t} />
                    ))}
                  </datalist>
                </>
              )}
            </Field>
          )}
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" data-testid="bulk-next">
              Next
            </button>
            <button type="button" className="btn btn-quiet" onClick={onClose}>
              Cancel
            </button>
          </div>
        </Form>
      )}
      {kind && step === 'confirm' && change && (
        <div className="form" role="alertdialog" aria-labelledby="bulk-title" aria-describedby="bulk-question">
          <h2 id="bulk-title">{TITLES[kind]}</h2>
          <p id="bulk-question" className="bulk-question" data-testid="bulk-question">
            {bulkQuestion(change, n, formatDay)}
          </p>
          <div className="form-actions">
            <button
              type="button"
              className="btn btn-primary"
              autoFocus
              onClick={() => onConfirm(change)}
              data-testid="bulk-confirm"
            >
              {DO[kind]}
            </button>
            <button type="button" className="btn btn-quiet" onClick={() => setStep('choose')}>
              Back
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}

/**
 * Runs a confirmed bulk edit on `meters`: a new site is made first, then one `meters.bulkUpdate`.
 * Resolves with the change as made (a new site's id known) and the meters it changed; a refusal is
 * thrown as an Error in words that say what was, and was not, changed.
 */
export async function runBulk(change: BulkChange, meters: string[]): Promise<{ change: BulkChange; meters: string[] }> {
  let c = change;
  let made: string | null = null;
  try {
    if (c.kind === 'site' && c.create) {
      const site = await getClient().call('sites.create', {
        name: c.siteName!,
        ...(c.create.postcode ? { postcode: c.create.postcode } : {}),
      });
      made = site.name;
      c = { kind: 'site', siteId: site.id, siteName: site.name };
    }
    const r = await getClient().call('meters.bulkUpdate', bulkArgs(c, meters));
    return { change: c, meters: r.meters };
  } catch (e) {
    const why = errorMessage(e);
    if (made) throw new Error(`The site “${made}” was made, but no meter was changed: ${why}`);
    throw new Error(/nothing was changed/i.test(why) ? why : `Nothing was changed: ${why}`);
  }
}

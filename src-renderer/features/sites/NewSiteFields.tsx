/**
 * A new site's name and (optional) postcode: the New site dialog's, and where a site is made on the spot
 * (a meter's site, a bulk assignment).
 */
import { Field } from '../../components/Field';

export function NewSiteFields({
  idPrefix,
  name,
  postcode,
  onName,
  onPostcode,
  nameError,
  postcodeError,
  nameLabel = 'New site name',
}: {
  idPrefix: string;
  /** The name field's label (the New site dialog says just "Name"). */
  nameLabel?: string;
  name: string;
  postcode: string;
  onName: (name: string) => void;
  onPostcode: (postcode: string) => void;
  nameError?: string | undefined;
  postcodeError?: string | undefined;
}) {
  return (
    <>
      <Field id={`${idPrefix}-name`} label={nameLabel} error={nameError}>
        {(c) => (
          <input
            {...c}
            className="input"
            value={name}
            maxLength={120}
            onChange={(e) => onName(e.currentTarget.value)}
            placeholder="e.g. Leeds depot"
            autoFocus
          />
        )}
      </Field>
      <Field id={`${idPrefix}-postcode`} label="Postcode (optional)" error={postcodeError}>
        {(c) => (
          <input
            {...c}
            className="input input-narrow"
            value={postcode}
            maxLength={10}
            onChange={(e) => onPostcode(e.currentTarget.value)}
            placeholder="LS1 4AP"
          />
        )}
      </Field>
    </>
  );
}

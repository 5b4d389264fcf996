/**
 * A write-only secret in a form: its state (set or not), and Set, Change or Clear; what is typed is
 * never shown back, and a stored one is never fetched.
 */
import { SECRET_LABEL, type Secret, type SecretName } from '../lib/secrets';
import '../styles/secrets.css';
import { Field } from './Field';

export function SecretField({
  id,
  label,
  hint,
  multiline = false,
  secret,
  stored,
  error,
  onChange,
}: {
  /** The control's id and test id (`<id>-state`, `<id>-set` for the state and the Set button). */
  id: string;
  label: string;
  hint?: string;
  /** A key file (a text area, kept exactly as pasted) rather than a password. */
  multiline?: boolean;
  secret: Secret;
  /** Whether one is stored now. */
  stored: boolean;
  error: string | undefined;
  onChange: (s: Secret) => void;
}) {
  const s = secret;
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      {(c) =>
        s.mode === 'replace' ? (
          <span className="secret-edit">
            {multiline ? (
              <textarea
                {...c}
                className="input mono secret-key"
                rows={4}
                value={s.text}
                spellCheck={false}
                placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
                onChange={(e) => onChange({ mode: 'replace', text: e.currentTarget.value })}
                data-testid={id}
              />
            ) : (
              <input
                {...c}
                type="password"
                className="input"
                value={s.text}
                autoComplete="new-password"
                onChange={(e) => onChange({ mode: 'replace', text: e.currentTarget.value })}
                data-testid={id}
              />
            )}
            <button type="button" className="btn btn-quiet btn-small" onClick={() => onChange({ mode: 'keep' })}>
              {stored ? 'Keep the saved one' : 'Cancel'}
            </button>
          </span>
        ) : (
          <span className="secret-state" data-testid={`${id}-state`}>
            <span {...c} className={s.mode === 'clear' ? 'warn' : stored ? 'secret-set' : 'muted'}>
              {s.mode === 'clear' ? 'Cleared when you save' : stored ? '•••••••• Set' : 'Not set'}
            </span>
            {s.mode === 'clear' ? (
              <button type="button" className="btn btn-quiet btn-small" onClick={() => onChange({ mode: 'keep' })}>
                Undo
              </button>
            ) : (
              <>
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => onChange({ mode: 'replace', text: '' })}
                  data-testid={`${id}-set`}
                >
                  {stored ? 'Change' : 'Set'}
                </button>
                {stored && (
                  <button type="button" className="btn btn-quiet btn-small" onClick={() => onChange({ mode: 'clear' })}>
                    Clear
                  </button>
                )}
              </>
            )}
          </span>
        )
      }
    </Field>
  );
}

const SECRET_HINT: Record<SecretName, string | undefined> = {
  password: undefined,
  privateKey: 'The whole key file (OpenSSH or PEM), pasted. Used instead of, or as well as, the password.',
  passphrase: 'Only if the private key is protected by one.',
  apiKey: 'Kept with the app’s other secrets; never shown again once saved.',
};

/** A form's secrets side by side, each a SecretField with id `<idPrefix>-<name>` and its error `secrets.<name>`. */
export function SecretFields<N extends SecretName>({
  names,
  idPrefix,
  secrets,
  stored,
  errors,
  onChange,
}: {
  names: readonly N[];
  idPrefix: string;
  secrets: Record<N, Secret>;
  /** The names of the secrets stored now. */
  stored: readonly string[];
  errors: Record<string, string>;
  onChange: (name: N, secret: Secret) => void;
}) {
  return (
    <div className="secret-fields">
      {names.map((n) => (
        <SecretField
          key={n}
          id={`${idPrefix}-${n}`}
          label={SECRET_LABEL[n]}
          hint={SECRET_HINT[n]}
          multiline={n === 'privateKey'}
          secret={secrets[n]}
          stored={stored.includes(n)}
          error={errors[`secrets.${n}`]}
          onChange={(secret) => onChange(n, secret)}
        />
      ))}
    </div>
  );
}

/**
 * Write-only secrets in forms (passwords, private keys, API keys): each is left as stored, replaced by
 * what is typed, or cleared, and what is stored is never shown back. Pure.
 */

/** The secrets the forms know (an SFTP sign-in, an API's key). */
export type SecretName = 'password' | 'privateKey' | 'passphrase' | 'apiKey';

export const SECRET_LABEL: Record<SecretName, string> = {
  password: 'Password',
  privateKey: 'Private key',
  passphrase: 'Key passphrase',
  apiKey: 'API key',
};

/** A secret in a form: left as stored, replaced by what is typed, or cleared. */
export type Secret = { mode: 'keep' } | { mode: 'replace'; text: string } | { mode: 'clear' };

/** A secret left as it is. */
export const KEEP_SECRET: Secret = { mode: 'keep' };

/** Whether a secret will be set once saved: typed now, or stored and not cleared. */
export function secretWillBeSet(s: Secret, stored: boolean): boolean {
  if (s.mode === 'replace') return s.text.trim() !== '';
  return s.mode === 'keep' && stored;
}

/**
 * What a save sends for a secret: the typed text (trimmed, unless `exact` as for a key file), null to
 * clear it, or undefined to leave it as stored (also when nothing was typed).
 */
export function secretArg(s: Secret, exact = false): string | null | undefined {
  if (s.mode === 'clear') return null;
  if (s.mode === 'replace' && s.text.trim()) return exact ? s.text : s.text.trim();
  return undefined;
}

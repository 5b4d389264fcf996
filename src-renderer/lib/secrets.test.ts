import { describe, expect, it } from 'vitest';
import { KEEP_SECRET, secretArg, secretWillBeSet } from './secrets';

describe('write-only secrets', () => {
  it('will be set when typed, or stored and kept; not when cleared or typed blank', () => {
    expect(secretWillBeSet(KEEP_SECRET, true)).toBe(true);
    expect(secretWillBeSet(KEEP_SECRET, false)).toBe(false);
    expect(secretWillBeSet({ mode: 'clear' }, true)).toBe(false);
    expect(secretWillBeSet({ mode: 'replace', text: '  ' }, true)).toBe(false);
    expect(secretWillBeSet({ mode: 'replace', text: 'pw' }, false)).toBe(true);
  });

  it('sends the typed text, null to clear, and nothing when left alone or blank', () => {
    expect(secretArg({ mode: 'replace', text: ' pw ' })).toBe('pw');
    const key = '-----BEGIN KEY-----\nabc\n-----END KEY-----\n';
    expect(secretArg({ mode: 'replace', text: key }, true)).toBe(key);
    expect(secretArg({ mode: 'clear' })).toBeNull();
    expect(secretArg(KEEP_SECRET)).toBeUndefined();
    expect(secretArg({ mode: 'replace', text: '' })).toBeUndefined();
  });
});

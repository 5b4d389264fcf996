import { describe, expect, it } from 'vitest';
import { actionChoices, actionText, detailsText, outcomeText, passwordHint, passwordProblems } from './words';

describe('new passwords', () => {
  it('counts down to twelve characters, then judges strength', () => {
    expect(passwordHint('')).toMatch(/^At least 12 characters/);
    expect(passwordHint('abcdefghij')).toBe('2 more characters needed (at least 12)');
    expect(passwordHint('abcdefghijk')).toBe('1 more character needed (at least 12)');
    expect(passwordHint('abcdefghijkl')).toBe('Long enough; longer is stronger');
    expect(passwordHint('Abcdefghijk7')).toBe('Strong enough');
    expect(passwordHint('correct horse battery')).toBe('Strong enough');
  });

  it('refuses a short password before a repeat that differs', () => {
    expect(passwordProblems('short', 'other')).toEqual({ password: 'a password needs at least 12 characters' });
    expect(passwordProblems('long enough pw', 'long enough pW')).toEqual({
      again: 'the two passwords are not the same',
    });
    expect(passwordProblems('long enough pw', 'long enough pw')).toEqual({});
  });
});

describe('audit entries in words', () => {
  it('names known actions and words unknown ones from the method name', () => {
    expect(actionText('users.create')).toBe('Added a user');
    expect(actionText('imports.dry-run')).toBe('Checked files (dry run)');
    expect(actionText('weather.bulkFetchAll')).toBe('weather: bulk fetch all');
    expect(actionText('upload')).toBe('Uploaded a file');
    expect(actionText('mystery')).toBe('mystery');
  });

  it('offers every known action once, A to Z', () => {
    const labels = actionChoices().map((c) => c.label);
    expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b)));
    expect(new Set(actionChoices().map((c) => c.value)).size).toBe(labels.length);
    expect(actionChoices().find((c) => c.value === 'tokens.revoke')?.label).toBe('Revoked an API token');
  });

  it('summarises details in a line, leaving out empty values and long lists', () => {
    expect(detailsText({ username: 'ana', role: 'viewer' })).toBe('username: ana · role: viewer');
    expect(detailsText({ username: 'ana', password: undefined, disabled: true })).toBe(
      'username: ana · disabled: true',
    );
    expect(detailsText({ meters: ['a', 'b'], jobs: [1, 2, 3, 4] })).toBe('meters: a, b · jobs: 4 items');
    expect(detailsText({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 })).toBe('a: 1 · b: 2 · c: 3 · d: 4 + 2 more');
    expect(detailsText({ note: 'x'.repeat(80) })).toBe(`note: ${'x'.repeat(57)}…`);
    expect(detailsText({ id: 'flat', validFrom: '2025-01-01' })).toBe('id: flat · validFrom: 01/01/2025');
    expect(detailsText({ at: '2025-07-01T12:00:00.000Z' })).toBe('at: 1 Jul 2025 13:00'); // BST
    expect(detailsText({ days: ['2025-12-25', '2025-12-26'] })).toBe('days: 25/12/2025, 26/12/2025');
    expect(detailsText({ name: 'a.csv', fileId: 'f-1', bytes: 2560, sha256: 'ab12' })).toBe(
      'name: a.csv · bytes: 2.5 KB',
    );
    expect(detailsText(null)).toBe('—');
    expect(detailsText({})).toBe('—');
  });

  it('says OK or what went wrong', () => {
    expect(outcomeText('ok')).toBe('OK');
    expect(outcomeText('FORBIDDEN')).toBe('Refused: their role does not allow it');
    expect(outcomeText('SOMETHING_NEW')).toBe('Failed (SOMETHING_NEW)');
  });
});

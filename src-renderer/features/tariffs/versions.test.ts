import { describe, expect, it } from 'vitest';
import { ukToday } from '../../../src-shared/domain/periods';
import { addDays, currentVersion, versionSpan, versionState } from './versions';
import { E7, version } from './testing';

describe('versions', () => {
  const v1 = version({ ...E7, validFrom: '2025-01-01' }, '2025-02-01');
  const v2 = version({ ...E7, validFrom: '2025-02-01', standingChargePencePerDay: 50 }, null);
  const v3 = version({ ...E7, validFrom: '2026-01-01' }, null);

  it('knows which version is in force, upcoming or ended (validTo exclusive)', () => {
    expect(versionState(v1, '2025-01-31')).toBe('current');
    expect(versionState(v1, '2025-02-01')).toBe('ended');
    expect(versionState(v3, '2025-12-31')).toBe('upcoming');
    expect(currentVersion({ versions: [v1, v2] }, '2025-06-01')).toBe(v2);
    expect(currentVersion({ versions: [v1, v2] }, '2025-01-15')).toBe(v1);
    // before every version: the first to start; after every version: the last
    expect(currentVersion({ versions: [v3] }, '2025-06-01')).toBe(v3);
    expect(currentVersion({ versions: [v1] }, '2025-06-01')).toBe(v1);
    expect(currentVersion({ versions: [] }, '2025-06-01')).toBeNull();
  });

  it('shows the last day a version applies, not its exclusive end', () => {
    expect(versionSpan(v1)).toBe('1–31 Jan 2025');
    expect(versionSpan(v2)).toBe('1 Feb 2025 onwards');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
  });

  it('takes today in UK local time (BST after 23:00 UTC is already tomorrow)', () => {
    expect(ukToday(Date.UTC(2025, 6, 1, 23, 30))).toBe('2025-07-02');
    expect(ukToday(Date.UTC(2025, 11, 31, 23, 30))).toBe('2025-12-31');
  });
});

import { describe, expect, it } from 'vitest';
import type { MeterFeed } from '../../../src-shared/contract/types';
import { dueText, everyText, feedLine, ukDateTime, whereText } from './words';

const feed = (more: Partial<MeterFeed>): MeterFeed => ({
  meter: '1200050000009',
  sources: [],
  lastImport: null,
  lastReceivedAt: null,
  nextDueAt: null,
  ...more,
});
const source = { id: 4, name: 'DC drop', kind: 'folder' as const, status: 'ok' as const, nextRunAt: null };

describe('data feed words', () => {
  it('writes UK times as DD/MM/YYYY HH:MM, in summer time and in winter', () => {
    // 05:10 UTC is 06:10 in BST (late March) and 05:10 in GMT (November)
    expect(ukDateTime('2026-03-30T05:10:00Z')).toBe('30/03/2026 06:10');
    expect(ukDateTime('2026-11-27T06:10:00Z')).toBe('27/11/2026 06:10');
    expect(ukDateTime(null)).toBe('—');
    expect(dueText('2026-11-27T07:10:00Z', Date.parse('2026-11-27T06:30:00Z'))).toBe('07:10');
    expect(dueText('2026-11-28T00:10:00Z', Date.parse('2026-11-27T23:30:00Z'))).toBe('28/11/2026 00:10');
  });

  it('says where the data comes from, or that it was imported by hand', () => {
    const now = Date.parse('2026-11-27T06:30:00Z');
    expect(
      feedLine(
        feed({ sources: [source], lastReceivedAt: '2026-11-27T06:10:00Z', nextDueAt: '2026-11-27T07:10:00Z' }),
        now,
      ),
    ).toEqual({
      text: 'Data from Watched folder ‘DC drop’ · last received 27/11/2026 06:10 · next due 07:10',
      tone: 'normal',
      sourceId: 4,
    });
    expect(
      feedLine(
        feed({ lastImport: { jobId: 9, file: 'file.csv', finishedAt: '2026-11-12T10:00:00Z', sourceId: null } }),
        now,
      ),
    ).toEqual({ text: 'Imported by hand · last import 12/11/2026 (file.csv)', tone: 'normal', sourceId: null });
    expect(feedLine(feed({}), now)).toBeNull();
    const behind = feedLine(
      feed({
        sources: [
          { ...source, status: 'behind' },
          { ...source, id: 5, name: 'Server', kind: 'sftp', status: 'failed' },
        ],
      }),
      now,
    )!;
    expect(behind.text).toBe(
      'Data from Watched folder ‘DC drop’ and SFTP pickup ‘Server’ · nothing received yet · Server: last run failed',
    );
    expect(behind.tone).toBe('red');
  });

  it('names intervals and places', () => {
    expect([15, 60, 360, 1440, 2880].map(everyText)).toEqual([
      'Every 15 minutes',
      'Every hour',
      'Every 6 hours',
      'Every day',
      'Every 2 days',
    ]);
    expect(
      whereText({ kind: 'sftp', config: { username: 'dc', host: 'sftp.dc.example', port: 2222, path: '/out' } }),
    ).toBe('dc@sftp.dc.example:2222:/out');
    expect(whereText({ kind: 'folder', config: { path: '/srv/drop', recursive: true } })).toBe(
      '/srv/drop (and subfolders)',
    );
    expect(whereText({ kind: 'octopus', config: { fuel: 'gas', meter: '1234567' } })).toBe('Gas 1234567');
  });
});

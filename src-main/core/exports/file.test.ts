/**
 * Exports and reports saved as files under plain Node: the file holds exactly what the stream export
 * writes, appears only when complete (no `.part` left), and a failed export leaves an existing file
 * as it was and nothing beside it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import { importFiles, makeCore, tempDir, writeTemp } from '../../../tests/helpers/core';
import { callAs, runExport, type ExportDeps, type ExportRequest } from './export';
import { exportToFile, saveBytes } from './file';

const MPAN = '1200050000009';
let core: Core;
let deps: ExportDeps;
beforeAll(async () => {
  core = await makeCore();
  const lines = ['MPAN,Timestamp,kWh'];
  for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2025, 0, 8); t += 1_800_000)
    lines.push(`${MPAN},${new Date(t).toISOString()},${((t / 1_800_000) % 7) / 4}`);
  await importFiles(core, [writeTemp('week.csv', lines.join('\n'))]);
  deps = { meters: core.meters, readings: core.readings, call: callAs(core.handlers, { role: 'viewer', actor: 't' }) };
}, 60_000);
afterAll(() => core?.stop());

const week: ExportRequest = { what: 'readings', scope: { meter: MPAN }, from: '2025-01-01', to: '2025-01-08' };

describe('exportToFile', () => {
  it('writes what the streamed export writes, renamed from .part when complete', async () => {
    const dir = tempDir();
    const saved = await exportToFile(deps, week, path.join(dir, 'week.csv'));
    const mem = new PassThrough();
    const chunks: Buffer[] = [];
    mem.on('data', (c: Buffer) => chunks.push(c));
    await runExport(deps, week, mem);
    const file = fs.readFileSync(saved.file);
    expect(file.equals(Buffer.concat(chunks))).toBe(true);
    expect(saved).toEqual({ file: path.join(dir, 'week.csv'), bytes: file.length, rows: 7 * 48 });
    expect(fs.readdirSync(dir)).toEqual(['week.csv']);
  });

  it('leaves an existing file untouched and no .part when the export fails', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'keep.csv');
    fs.writeFileSync(target, 'earlier');
    await expect(exportToFile(deps, { ...week, scope: { meter: '1200050000106' } }, target)).rejects.toThrow(
      /1200050000106/,
    );
    await expect(exportToFile(deps, { ...week, to: 'next week' }, target)).rejects.toThrow(/"to" \(next week\)/);
    expect(fs.readdirSync(dir)).toEqual(['keep.csv']);
    expect(fs.readFileSync(target, 'utf8')).toBe('earlier');
  });

  it('says in words when the folder does not exist', async () => {
    const nowhere = path.join(tempDir(), 'gone', 'x.csv');
    await expect(exportToFile(deps, week, nowhere)).rejects.toThrow(
      `Cannot write ${nowhere}: its folder does not exist`,
    );
  });
});

describe('saveBytes', () => {
  it('writes the bytes whole', async () => {
    const dir = tempDir();
    const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31) % 256));
    const saved = await saveBytes(path.join(dir, 'r.pdf'), bytes);
    expect(saved.bytes).toBe(bytes.length);
    expect(fs.readFileSync(saved.file).equals(bytes)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['r.pdf']);
  });
});

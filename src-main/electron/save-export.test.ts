/**
 * The desktop app's export save over IPC ('export:save'), under plain Node with a real core: the
 * page's request is asked a file name (the save dialog, faked), written there whole and equal to the
 * streamed export; cancelling writes nothing; a bad request or another page's frame is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../core/app';
import { callAs, runExport, type ExportRequest } from '../core/exports/export';
import { importFiles, makeCore, tempDir, writeTemp } from '../../tests/helpers/core';
import { CHANNELS, registerIpc } from './ipc';
import { indexUrlFor, isTrustedSender } from './security';
import { FakeIpcMain, topFrame } from './test-fakes';

const INDEX_URL = indexUrlFor(path.resolve('/opt/Eclectyc Energy/resources/app.asar/dist/renderer/index.html'));
const OURS = topFrame(`${INDEX_URL}#/reports`);
const MPAN = '1200050000009';
const req: ExportRequest = { what: 'days', scope: { meter: MPAN }, from: '2025-03-01', to: '2025-04-01' };

let core: Core;
let ipc: FakeIpcMain;
/** What the fake save dialog was offered, and what it answers next. */
const offered: string[] = [];
let answer: string | null = null;

beforeAll(async () => {
  core = await makeCore({ host: 'desktop' });
  const lines = ['MPAN,Timestamp,kWh'];
  for (let t = Date.UTC(2025, 2, 1); t < Date.UTC(2025, 3, 1); t += 1_800_000)
    lines.push(`${MPAN},${new Date(t).toISOString()},${((t / 1_800_000) % 11) / 8}`);
  await importFiles(core, [writeTemp('march.csv', lines.join('\n'))]);
  ipc = new FakeIpcMain();
  registerIpc(ipc, core, {
    isTrusted: (f) => isTrustedSender(f, INDEX_URL),
    chooseSaveFile: async (suggested) => {
      offered.push(suggested);
      return answer;
    },
  });
}, 60_000);
afterAll(() => core?.stop());

describe("IPC 'export:save'", () => {
  it('writes the export where the save dialog says, equal to the streamed export', async () => {
    const dir = tempDir();
    answer = path.join(dir, 'march days.csv');
    const r = (await ipc.invoke(OURS, CHANNELS.saveExport, req)) as { ok: true; value: { file: string; rows: number } };
    expect(offered.at(-1)).toBe(`eclectyc-days-meter-${MPAN}-2025-03-01-to-2025-03-31.csv`);
    expect(r.ok).toBe(true);
    expect(r.value).toMatchObject({ file: answer, rows: 31 });
    const mem = new PassThrough();
    const chunks: Buffer[] = [];
    mem.on('data', (c: Buffer) => chunks.push(c));
    await runExport(
      { meters: core.meters, readings: core.readings, call: callAs(core.handlers, { role: 'admin', actor: 't' }) },
      req,
      mem,
    );
    expect(fs.readFileSync(answer).equals(Buffer.concat(chunks))).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['march days.csv']);
  });

  it('writes nothing when the dialog is cancelled', async () => {
    answer = null;
    expect(await ipc.invoke(OURS, CHANNELS.saveExport, req)).toEqual({ ok: true, value: null });
  });

  it('refuses a request that is not an export before asking, and any other page', async () => {
    const asked = offered.length;
    const bad = (await ipc.invoke(OURS, CHANNELS.saveExport, { ...req, from: '1/3/2025' })) as {
      ok: false;
      error: { code: string; message: string };
    };
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGS' } });
    expect(bad.error.message).toMatch(/^Expected a real date written YYYY-MM-DD.*\(from\)/);
    const evil = await ipc.invoke(topFrame('https://evil.example/'), CHANNELS.saveExport, req);
    expect(evil).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(offered.length).toBe(asked);
  });
});

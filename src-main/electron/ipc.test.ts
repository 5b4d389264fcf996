import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../core/app';
import type { PushedEvent } from '../../src-shared/contract/events';
import { FIXTURES, makeCore } from '../../tests/helpers/core';
import { CHANNELS, forwardEvents, registerIpc } from './ipc';
import { indexUrlFor, isTrustedSender } from './security';
import { FakeIpcMain, topFrame } from './test-fakes';

const INDEX = path.resolve('/opt/Eclectyc Energy/resources/app.asar/dist/renderer/index.html');
const INDEX_URL = indexUrlFor(INDEX);
const OURS = topFrame(`${INDEX_URL}#/imports`);
const EVIL = topFrame('https://evil.example/index.html');

let core: Core;
afterEach(async () => {
  await core?.stop();
});

async function setup() {
  core = await makeCore({ host: 'desktop', version: '9.9.9' });
  const ipc = new FakeIpcMain();
  const dispose = registerIpc(ipc, core, { isTrusted: (f) => isTrustedSender(f, INDEX_URL) });
  const events: PushedEvent[] = [];
  core.events.subscribe((e) => events.push(e));
  return { ipc, dispose, events };
}

describe('registerIpc', () => {
  it('answers rpc calls through dispatch with Reply data', async () => {
    const { ipc } = await setup();
    expect(await ipc.invoke(OURS, CHANNELS.rpc, 'app.info', {})).toEqual({
      ok: true,
      value: { version: '9.9.9', dataDir: core.dataDir, host: 'desktop', role: 'admin' },
    });
    expect(await ipc.invoke(OURS, CHANNELS.rpc, 'meters.list', {})).toEqual({ ok: true, value: [] });
  });

  it('returns UNKNOWN_METHOD and INVALID_ARGS as data, never throwing across IPC', async () => {
    const { ipc } = await setup();
    const unknown = (await ipc.invoke(OURS, CHANNELS.rpc, 'meters.drop', {})) as {
      ok: boolean;
      error: { code: string };
    };
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    const notString = await ipc.invoke(OURS, CHANNELS.rpc, 42, {});
    expect(notString).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    const bad = await ipc.invoke(OURS, CHANNELS.rpc, 'imports.get', { id: 'x' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGS' } });
  });

  it('refuses calls from any frame but our own top-level index page', async () => {
    const { ipc } = await setup();
    const refused = { ok: false, error: { code: 'FORBIDDEN' } };
    expect(await ipc.invoke(EVIL, CHANNELS.rpc, 'app.info', {})).toMatchObject(refused);
    expect(await ipc.invoke(null, CHANNELS.rpc, 'app.info', {})).toMatchObject(refused);
    expect(await ipc.invoke(topFrame('file:///etc/passwd'), CHANNELS.rpc, 'app.info', {})).toMatchObject(refused);
    // Our page's URL, but inside an iframe: refused too.
    expect(await ipc.invoke({ url: INDEX_URL, parent: {} }, CHANNELS.rpc, 'app.info', {})).toMatchObject(refused);
    expect(await ipc.invoke(OURS, CHANNELS.rpc, 'app.info', {})).toMatchObject({ ok: true });
  });

  it('imports sent files as one batch, and ignores files:import from other frames', async () => {
    const { ipc, events } = await setup();
    const file = path.join(FIXTURES, 'csv', 'long-dry-run.csv');
    ipc.send(EVIL, CHANNELS.importFiles, { paths: [file], dryRun: false });
    await new Promise((r) => setTimeout(r, 50));
    expect(core.imports.list()).toEqual([]);
    expect(fs.readdirSync(path.join(core.dataDir)).includes('imports')).toBe(false);

    ipc.send(OURS, CHANNELS.importFiles, { paths: [file], dryRun: true });
    await expect.poll(() => core.imports.list().length).toBe(1);
    expect(core.imports.list()[0]).toMatchObject({ file: 'long-dry-run.csv', dryRun: true });
    expect(events.some((e) => e.event === 'imports.updated')).toBe(true);
  });

  it('reports a malformed files:import as an app.error event', async () => {
    const { ipc, events } = await setup();
    ipc.send(OURS, CHANNELS.importFiles, { paths: 'not-a-list' });
    expect(events).toEqual([{ event: 'app.error', payload: { message: expect.stringMatching(/could not be read/) } }]);
    expect(core.imports.list()).toEqual([]);
  });

  it('unregisters both channels', async () => {
    const { ipc, dispose } = await setup();
    dispose();
    expect(ipc.handlers.size).toBe(0);
    expect(ipc.listeners.get(CHANNELS.importFiles)?.size ?? 0).toBe(0);
  });
});

describe('forwardEvents', () => {
  it('sends every core event to every live window on the event channel', async () => {
    core = await makeCore();
    const sent: [string, string, unknown][] = [];
    const target = (name: string, destroyed = false) => ({
      isDestroyed: () => destroyed,
      send: (ch: string, e: unknown) => sent.push([name, ch, e]),
    });
    const stop = forwardEvents(core.events, () => [target('a'), target('gone', true), target('b')]);
    core.events.emit('meters.changed', { meterIds: ['1012477457919'] });
    const e = { event: 'meters.changed', payload: { meterIds: ['1012477457919'] } };
    expect(sent).toEqual([
      ['a', 'event', e],
      ['b', 'event', e],
    ]);
    stop();
    core.events.emit('app.error', { message: 'x' });
    expect(sent).toHaveLength(2);
  });
});

/**
 * Every method of the contract over HTTP as each role, signed in the way automation is (an API
 * token) and the way people are (a session from POST /auth/login): allowed for its least role and
 * above, 403 below it — and 401 for a stranger, before any work. The probes the issue describes,
 * rerun against a server with users.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type Method } from '../../src-shared/contract/api';
import { ROLE_RANK, type CreatedToken, type Role } from '../../src-shared/contract/types';
import type { Core } from '../../src-main/core/app';
import { closeHttpHost, createHttpHost, listen } from '../../src-main/server/http';
import { callAsAdmin, makeCore } from '../helpers/core';

const ROLES: Role[] = ['viewer', 'manager', 'admin'];
const PASSWORD = 'correct horse battery staple';
let core: Core;
let server: ReturnType<typeof createHttpHost>;
let base: string;
const tokens = {} as Record<Role, string>;
const cookies = {} as Record<Role, string>;

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base.replace(/\/$/, ''), ...headers },
    body: JSON.stringify(body),
  });
  return { status: r.status, headers: r.headers, body: (await r.json()) as { ok: boolean; error?: { code: string } } };
}

beforeAll(async () => {
  // the carbon and weather APIs on a closed port: nothing reaches the internet
  core = await makeCore({ carbonApi: 'http://127.0.0.1:9', weatherApi: 'http://127.0.0.1:9' });
  // the admin first: the first user must be one
  for (const role of [...ROLES].reverse()) {
    await callAsAdmin(core, 'users.create', { username: `${role}-person`, role, password: PASSWORD });
    tokens[role] = (await callAsAdmin<CreatedToken>(core, 'tokens.create', { name: `${role} robot`, role })).token;
  }
  server = createHttpHost(core, { auth: core.auth });
  await listen(server, 0, '127.0.0.1');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  for (const role of ROLES) {
    const r = await fetch(`${base}auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base.replace(/\/$/, '') },
      body: JSON.stringify({ username: `${role}-person`, password: PASSWORD }),
    });
    expect(r.status).toBe(200);
    cookies[role] = r.headers.get('set-cookie')!.split(';')[0]!;
  }
}, 60_000);

afterAll(async () => {
  if (server) await closeHttpHost(server);
  await core?.stop();
});

const methods = Object.keys(contract) as Method[];

describe('every method, as every role', () => {
  it.each(ROLES)(
    'as a %s with an API token: allowed at its least role and above, 403 below',
    async (role) => {
      const wrong: string[] = [];
      for (const m of methods) {
        const r = await post(`rpc/${m}`, {}, { authorization: `Bearer ${tokens[role]}` });
        const allowed = ROLE_RANK[role] >= ROLE_RANK[contract[m].role];
        const forbidden = r.status === 403 || r.body.error?.code === 'FORBIDDEN';
        // localOnly methods (paths on the server's disk) are refused to every HTTP caller
        const refusedLocal = 'localOnly' in contract[m] && forbidden;
        if (allowed ? forbidden && !refusedLocal : !forbidden) wrong.push(`${m} (${r.status} ${r.body.error?.code})`);
        if (r.status === 401) wrong.push(`${m} answered 401 to a valid token`);
      }
      expect(wrong).toEqual([]);
    },
    120_000,
  );

  it.each(ROLES)(
    'as a %s signed in: the same, with the session cookie',
    async (role) => {
      const wrong: string[] = [];
      for (const m of methods) {
        const r = await post(`rpc/${m}`, {}, { cookie: cookies[role] });
        const allowed = ROLE_RANK[role] >= ROLE_RANK[contract[m].role];
        const forbidden = r.status === 403 || r.body.error?.code === 'FORBIDDEN';
        if (allowed ? forbidden && !('localOnly' in contract[m]) : !forbidden) wrong.push(`${m} (${r.status})`);
      }
      expect(wrong).toEqual([]);
    },
    120_000,
  );

  it('a stranger gets 401 for every method, an upload and the event stream', async () => {
    for (const m of methods) expect([m, (await post(`rpc/${m}`, {})).status]).toEqual([m, 401]);
    const up = await fetch(`${base}upload?name=x.csv`, {
      method: 'POST',
      headers: { origin: base.slice(0, -1) },
      body: 'a',
    });
    expect(up.status).toBe(401);
    const events = await fetch(`${base}events`);
    expect(events.status).toBe(401);
    await events.body?.cancel();
  });

  it('a revoked token and a signed-out session are strangers', async () => {
    await callAsAdmin(core, 'tokens.revoke', { name: 'viewer robot' });
    expect((await post('rpc/app.info', {}, { authorization: `Bearer ${tokens.viewer}` })).status).toBe(401);
    expect((await post('auth/logout', {}, { cookie: cookies.viewer })).status).toBe(200);
    expect((await post('rpc/app.info', {}, { cookie: cookies.viewer })).status).toBe(401);
  });
});

describe('signing in and out in the audit log', () => {
  it('records each sign-in with how it ended, and each sign-out, never the password', async () => {
    const wrong = await post('auth/login', { username: 'manager-person', password: 'not the password at all' });
    expect(wrong.status).toBe(401);
    const signIns = await callAsAdmin<{ actor: string; action: string; outcome: string; details: unknown }[]>(
      core,
      'audit.list',
      { action: 'auth' },
    );
    expect(
      signIns
        .filter((e) => e.action === 'auth.login' && e.outcome === 'ok')
        .map((e) => e.actor)
        .sort(),
    ).toEqual(['admin-person (browser)', 'manager-person (browser)', 'viewer-person (browser)']);
    expect(signIns.find((e) => e.outcome === 'UNAUTHENTICATED')).toMatchObject({
      actor: 'manager-person (browser)',
      details: { reason: 'invalid' },
    });
    expect(signIns.some((e) => e.action === 'auth.logout' && e.actor === 'viewer-person (browser)')).toBe(true);
    expect(JSON.stringify(signIns)).not.toContain('not the password');
    expect(JSON.stringify(signIns)).not.toContain(PASSWORD);
  });
});

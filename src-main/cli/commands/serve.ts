/**
 * `eclectyc serve`: the app in a browser, served from this machine (or, signed in, from a server);
 * with `--database postgres://…`, the shared server that desktops sync with (server/shared-host.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createCore } from '../../core/app';
import { stderrLogger } from '../../core/events';
import { isLoopback } from '../../server/guard';
import { closeHttpHost, createHttpHost, listen } from '../../server/http';
import { DEFAULT_MAX_UPLOAD, formatSize, parseSize } from '../../server/limits';
import { createSharedAccounts } from '../../server/postgres/accounts';
import { SHARED_SERVER_PORT, startSharedServer } from '../../server/shared-host';
import { APP_VERSION } from '../../version';
import { str, untilStopped, UsageError, type Command, type Ctx, type Opts } from '../command';
import { databaseOption, openFailure, shownUrl } from '../database';

/** The `--public-url` addresses (comma-separated): each an http(s) URL naming a host. */
export function publicUrls(text: string | undefined): string[] {
  if (text === undefined) return [];
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => {
      let u: URL;
      try {
        u = new URL(t);
      } catch {
        throw new UsageError(`--public-url must be a URL such as https://energy.example.com, not "${t}"`);
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:')
        throw new UsageError(`--public-url must start with http:// or https://, not "${t}"`);
      return u.origin;
    });
}

/** A PEM file named by --tls-cert or --tls-key. */
function readPem(option: string, file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new UsageError(
      `--${option} ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
}

/** The `--port` option (0 to 65535), or `fallback`. */
function portOption(o: Opts, fallback: number): number {
  const portText = str(o, 'port');
  const port = portText === undefined ? fallback : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a number from 0 to 65535, not "${portText}"`);
  return port;
}

/** The browser app's options, which the shared server does not take. */
const APP_ONLY = ['public-url', 'tls-cert', 'tls-key', 'max-upload'] as const;

/**
 * `serve --database URL`: the shared server on PostgreSQL (migrations applied on start; a newer
 * schema refused) until Ctrl+C or SIGTERM. Everyone signs in; TLS belongs in a proxy in front.
 */
async function serveShared(ctx: Ctx, o: Opts, database: string): Promise<number> {
  for (const name of APP_ONLY)
    if (o[name] !== undefined)
      throw new UsageError(
        `serve --database does not take --${name}` +
          (name.startsWith('tls') ? ': put TLS in a reverse proxy in front of the shared server' : ''),
      );
  const host = str(o, 'host') ?? '127.0.0.1';
  const port = portOption(o, SHARED_SERVER_PORT);
  let server;
  try {
    server = await startSharedServer({ url: database, host, port, log: stderrLogger });
  } catch (e) {
    throw openFailure(e, database);
  }
  const users = await createSharedAccounts(server.store).listUsers();
  const schema = await server.store.schemaVersion();
  if (ctx.json) process.stdout.write(JSON.stringify({ url: server.url, database: shownUrl(database), schema }) + '\n');
  else {
    console.log(`Eclectyc shared server is running at ${server.url}`);
    console.log(`Database: ${shownUrl(database)} (schema ${schema})`);
    console.log('Everyone signs in (POST /auth/token) or sends an API token.');
    if (users.length === 0)
      console.log(
        `No user can sign in yet: add the first admin with "eclectyc users add NAME --role admin --database URL".`,
      );
    console.log('Press Ctrl+C to stop.');
  }
  if (!isLoopback(host) && host !== 'localhost')
    console.error(
      `Warning: serving plain HTTP on ${host}: passwords, tokens and readings cross the network unencrypted. ` +
        'Put TLS in front (a reverse proxy such as nginx or Caddy with a certificate).',
    );
  await untilStopped();
  console.error('Stopping…');
  await server.close();
  console.error('Stopped.');
  return 0;
}

export const serveCommand: Command = {
  name: 'serve',
  help: `  serve [--port N] [--host H] [--public-url URL,...] [--tls-cert FILE --tls-key FILE] [--max-upload SIZE]
                                    run the app in a browser (default http://127.0.0.1:8787/)
  serve --database postgres://USER@HOST:PORT/DB [--host H] [--port N]
                                    run the shared server desktops sync with (default port 8788)`,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'public-url': { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'max-upload': { type: 'string' },
    database: { type: 'string' },
  },
  async run(ctx, _args, o) {
    const database = databaseOption(o);
    if (database !== undefined) return serveShared(ctx, o, database);
    const host = str(o, 'host') ?? '127.0.0.1';
    const port = portOption(o, 8787);
    const certFile = str(o, 'tls-cert');
    const keyFile = str(o, 'tls-key');
    if ((certFile === undefined) !== (keyFile === undefined))
      throw new UsageError('--tls-cert and --tls-key go together: give both files (PEM) to serve HTTPS');
    const tls =
      certFile && keyFile ? { cert: readPem('tls-cert', certFile), key: readPem('tls-key', keyFile) } : undefined;
    const uploadText = str(o, 'max-upload');
    const maxUpload = uploadText === undefined ? DEFAULT_MAX_UPLOAD : parseSize(uploadText);
    if (maxUpload === null)
      throw new UsageError(`--max-upload must be a size such as 500MB or 2GB, not "${uploadText}"`);
    // Imports run on a worker thread so the server keeps answering while a big file goes in.
    const thread = path.join(__dirname, 'import-worker.cjs');
    const core = await createCore({
      dataDir: ctx.dataDir,
      host: 'server',
      version: APP_VERSION,
      log: stderrLogger,
      importThread: fs.existsSync(thread) ? thread : null,
      carbonPolling: true,
      ...(ctx.carbonApi ? { carbonApi: ctx.carbonApi } : {}),
    });
    const staticDir = path.join(__dirname, 'renderer');
    let server;
    try {
      server = createHttpHost(core, {
        staticDir,
        auth: core.auth,
        publicUrls: publicUrls(str(o, 'public-url')),
        maxUpload,
        tls,
      });
    } catch (e) {
      await core.stop();
      throw new UsageError(`--tls-cert/--tls-key: ${(e as Error).message}`);
    }
    const url = await listen(server, port, host);
    core.start();
    const beyond = !isLoopback(host) && host !== 'localhost';
    if (ctx.json) process.stdout.write(JSON.stringify({ url, dataDir: ctx.dataDir }) + '\n');
    else {
      console.log(`Eclectyc Energy is running at ${url}`);
      console.log(`Data folder: ${ctx.dataDir}`);
      console.log(`Uploads up to ${formatSize(maxUpload)}.`);
      if (beyond || core.auth.hasUsers()) console.log('Everyone signs in (or sends an API token).');
      if (beyond && !core.auth.hasUsers())
        console.log('No user can sign in yet: add the first admin with "eclectyc users add NAME --role admin".');
      console.log('Press Ctrl+C to stop.');
    }
    if (beyond && !tls)
      console.error(
        `Warning: serving plain HTTP on ${host}: passwords, session cookies and data cross the network unencrypted. ` +
          'Give --tls-cert and --tls-key, or put an HTTPS proxy in front and name it with --public-url.',
      );
    await untilStopped();
    // a second Ctrl+C or SIGTERM leaves at once (a running import resumes from its last chunk)
    const now = (signal: NodeJS.Signals): void => {
      console.error(`Stopping at once (${signal} again).`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once('SIGINT', now);
    process.once('SIGTERM', now);
    console.error('Stopping…');
    const t0 = Date.now();
    // half a second for answers in flight, then connections are cut: the whole stop stays well inside 3 s
    await Promise.all([closeHttpHost(server, 500), core.stop()]);
    console.error(`Stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
    // a carbon poll or health probe still waiting on the network has nothing left to write to: leave now
    setImmediate(() => process.exit());
    return 0;
  },
};

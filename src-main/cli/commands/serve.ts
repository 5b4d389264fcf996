/** `eclectyc serve`: the app in a browser, served from this machine. */
import fs from 'node:fs';
import path from 'node:path';
import { createCore } from '../../core/app';
import { stderrLogger } from '../../core/events';
import { closeHttpHost, createHttpHost, listen } from '../../server/http';
import { APP_VERSION } from '../../version';
import { str, untilStopped, UsageError, type Command } from '../command';

export const serveCommand: Command = {
  name: 'serve',
  help: '  serve [--port N] [--host H]       run the app in a browser (default http://127.0.0.1:8787/)',
  options: { port: { type: 'string' }, host: { type: 'string' } },
  async run(ctx, _args, o) {
    const portText = str(o, 'port');
    const host = str(o, 'host') ?? '127.0.0.1';
    const port = portText === undefined ? 8787 : Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port must be a number from 0 to 65535, not "${portText}"`);
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
    const server = createHttpHost(core, { staticDir });
    const url = await listen(server, port, host);
    core.start();
    if (ctx.json) process.stdout.write(JSON.stringify({ url, dataDir: ctx.dataDir }) + '\n');
    else {
      console.log(`Eclectyc Energy is running at ${url}`);
      console.log(`Data folder: ${ctx.dataDir}`);
      if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1')
        console.log('Warning: listening beyond this machine; anyone who can reach it has full access.');
      console.log('Press Ctrl+C to stop.');
    }
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
    await Promise.all([closeHttpHost(server), core.stop()]);
    console.error(`Stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
    // a carbon poll or health probe still waiting on the network has nothing left to write to: leave now
    setImmediate(() => process.exit());
    return 0;
  },
};

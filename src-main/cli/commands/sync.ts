/**
 * `eclectyc sync --server URL [--token T]`: syncs this data folder with a shared server once —
 * pushes what changed here, pulls what changed there — and prints what it did as JSON. With
 * --token it uses that API token (nothing is stored); without, the session the desktop signed in
 * with (Settings → Shared server). The server is set up for the folder when none is.
 */
import { str, UsageError, withCore, type Command } from '../command';

export const syncCommand: Command = {
  name: 'sync',
  help: `  sync --server URL [--token T]     sync this data folder with a shared server once; prints
                                    { "pushed", "pulled", "conflicts", "version" }`,
  options: { server: { type: 'string' }, token: { type: 'string' } },
  async run(ctx, args, o) {
    if (args.length > 0) throw new UsageError(`sync takes no arguments (got "${args[0]}"): use --server URL`);
    const server = str(o, 'server');
    if (!server) throw new UsageError('sync needs --server URL, e.g. --server https://energy.example.org:8788');
    let url: URL;
    try {
      url = new URL(server);
    } catch {
      throw new UsageError(`--server must be a URL such as https://energy.example.org:8788, not "${server}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new UsageError(`--server must start with http:// or https://, not "${server}"`);
    const token = str(o, 'token');
    if (o.token !== undefined && !token) throw new UsageError('--token needs the API token after it');
    return withCore(ctx, async (core) => {
      const r = await core.sync.sync({ server, ...(token ? { token } : {}) });
      const { pushed, pulled, conflicts, version } = r;
      process.stdout.write(JSON.stringify({ pushed, pulled, conflicts, version }) + '\n');
      return 0;
    });
  },
};

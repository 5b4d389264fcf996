/** `eclectyc worker`: run the import queue in this process (once until empty, or until stopped). */
import { call, out, untilStopped, withCore, type Command } from '../command';

export const workerCommand: Command = {
  name: 'worker',
  help: '  worker [--once]                   process queued and interrupted imports (--once: until empty)',
  options: { once: { type: 'boolean' } },
  async run(ctx, _args, o) {
    return withCore(ctx, async (core) => {
      if (o.once === true) {
        await call(core, 'imports.wait', {});
        const left = (await call(core, 'imports.list', { status: 'retrying' })).length;
        out(ctx, { done: true, retrying: left }, () =>
          console.log(`Queue empty${left ? ` (${left} job(s) waiting to retry)` : ''}.`),
        );
        return 0;
      }
      core.start();
      console.error('Worker running; press Ctrl+C to stop.');
      await untilStopped();
      return 0;
    });
  },
};

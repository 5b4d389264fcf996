/** `eclectyc call METHOD`: any contract method, its arguments as JSON, its result printed as JSON. */
import fs from 'node:fs';
import { isMethod, type Args, type Method } from '../../../src-shared/contract/api';
import { call, str, UsageError, withCore, type Command } from '../command';

export const callCommand: Command = {
  name: 'call',
  help: `  call METHOD [--args JSON | --args-file FILE]
                                    any method of the app's contract (docs/cli.md lists them),
                                    its result printed as JSON`,
  options: { args: { type: 'string' }, 'args-file': { type: 'string' } },
  async run(ctx, [method], o) {
    const argsText = str(o, 'args');
    const argsFile = str(o, 'args-file');
    if (!method) throw new UsageError('call needs a METHOD, e.g. eclectyc call meters.list (docs/cli.md lists them)');
    if (!isMethod(method)) throw new UsageError(`unknown method "${method}"; docs/cli.md lists the methods`);
    if (argsText !== undefined && argsFile !== undefined) throw new UsageError('give --args or --args-file, not both');
    let text = argsText;
    if (argsFile !== undefined) {
      try {
        text = fs.readFileSync(argsFile, 'utf8');
      } catch {
        throw new UsageError(`--args-file ${argsFile}: no such file`);
      }
    }
    let args: unknown = {};
    if (text !== undefined && text.trim() !== '') {
      try {
        args = JSON.parse(text);
      } catch (e) {
        throw new UsageError(`the arguments are not valid JSON (${(e as Error).message})`);
      }
    }
    return withCore(ctx, async (core) => {
      const value = await call(core, method, args as Args<Method>);
      process.stdout.write(JSON.stringify(value ?? null, null, 2) + '\n');
      return 0;
    });
  },
};

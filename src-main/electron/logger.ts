/** The desktop log: <data folder>/logs/desktop.log (one previous file kept), echoed to stderr. */
import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import type { Logger } from '../core/events';

export const MAX_LOG_BYTES = 5 * 1024 * 1024;

export function createFileLogger(file: string, echo?: Logger, now: () => Date = () => new Date()): Logger {
  let ready = false;
  const write = (level: string, msg: string, rest: unknown[]) => {
    const extra = rest
      .map((r) =>
        r instanceof Error
          ? `\n${r.stack ?? r.message}`
          : ` ${typeof r === 'string' ? r : inspect(r, { depth: 4, breakLength: Infinity })}`,
      )
      .join('');
    const line = `${now().toISOString()} [${level}] ${msg}${extra}\n`;
    try {
      if (!ready) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        ready = true;
      }
      try {
        if (fs.statSync(file).size > MAX_LOG_BYTES) fs.renameSync(file, `${file}.1`);
      } catch {
        // no log file yet
      }
      fs.appendFileSync(file, line);
    } catch {
      // Logging must never take the app down (disk full, folder gone): stderr still has it.
    }
  };
  return {
    info: (m, ...r) => (write('info', m, r), echo?.info(m, ...r)),
    warn: (m, ...r) => (write('warn', m, r), echo?.warn(m, ...r)),
    error: (m, ...r) => (write('error', m, r), echo?.error(m, ...r)),
  };
}

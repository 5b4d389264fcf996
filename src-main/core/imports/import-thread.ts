/**
 * Worker-thread entry for imports: parsing and storing run here, off the host's main thread, on
 * the thread's own SQLite connection (WAL lets the host keep reading). The host's queue sends one
 * job at a time and receives progress and the outcome as messages. Started with workerData.parse,
 * the same script is the parsing half of a large import instead (parse-chunks.ts); with
 * workerData.repair, one share of a roll-up rebuild's check (aggregation-service.ts).
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { applyPragmas } from '../db/pragmas';
import { ReadingsStore } from '../readings/store';
import { serveParse, type ParseRequest } from './parse-chunks';
import { runImport, type JobRow } from './run-import';
import { classifyFailure, type ThreadRequest, type ThreadMessage } from './thread-protocol';

if (!parentPort) throw new Error('import-thread must run in a worker thread');
const port = parentPort;

const data = workerData as { parse?: ParseRequest; repair?: { dbPath: string; meterIds: number[] } } | null;
const parse = data?.parse;
if (data?.repair) {
  // one share of a roll-up rebuild's check (aggregation-service.ts)
  const db = new Database(data.repair.dbPath, { readonly: true });
  try {
    port.postMessage({ repairs: new ReadingsStore(db).summaryRepairs(data.repair.meterIds) });
  } catch (e) {
    port.postMessage({ error: (e as Error).message });
  } finally {
    db.close();
  }
} else if (parse) {
  void serveParse(parse, port, (dbPath) => {
    const db = new Database(dbPath, { readonly: true });
    db.pragma('busy_timeout = 10000');
    return db;
  });
} else
  port.on('message', (req: ThreadRequest) => {
    void (async () => {
      const sqlite = new Database(req.dbPath);
      try {
        applyPragmas(sqlite, 10_000);
        const job = sqlite
          .prepare(
            'SELECT j.*, f.path, f.bytes FROM import_jobs j JOIN stored_files f ON f.id = j.file_id WHERE j.id = ?',
          )
          .get(req.jobId) as JobRow;
        await runImport(
          sqlite,
          job,
          req.owner,
          (p) => port.postMessage({ type: 'progress', ...p } satisfies ThreadMessage),
          { parseWorker: __filename, dbPath: req.dbPath, shouldStop: () => Atomics.load(req.stop, 0) === 1 },
        );
        port.postMessage({ type: 'done' } satisfies ThreadMessage);
      } catch (e) {
        port.postMessage({ type: 'failed', ...classifyFailure(e) } satisfies ThreadMessage);
      } finally {
        sqlite.close();
      }
    })();
  });

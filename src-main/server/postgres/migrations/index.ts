/**
 * The server's migrations, in order. Each is a numbered module holding its SQL as text (bundled
 * into dist/cli.cjs, so nothing is looked up on disk at run time). Append only: never edit one
 * that has shipped; add the next number.
 */
import { sql as m0001 } from './0001_initial';
import { sql as m0002 } from './0002_ordered_versions';
import { sql as m0003 } from './0003_conflicts_activity';
import { sql as m0004 } from './0004_accounts';
import { sql as m0005 } from './0005_deleted_meters';

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { id: 1, name: '0001_initial', sql: m0001 },
  { id: 2, name: '0002_ordered_versions', sql: m0002 },
  { id: 3, name: '0003_conflicts_activity', sql: m0003 },
  { id: 4, name: '0004_accounts', sql: m0004 },
  { id: 5, name: '0005_deleted_meters', sql: m0005 },
];

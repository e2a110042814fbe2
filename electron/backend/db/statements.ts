// Prepared statements, prepared once per SQL text and connection: on a save, preparing a statement costs more than
// running it, so services on the save path ask this cache instead of calling db.prepare each time.
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Db } from './connection';

export type Sql = (text: string) => Statement;

export function statementCache(db: Db): Sql {
  const statements = new Map<string, Statement>();
  return (text) => {
    let statement = statements.get(text);
    if (!statement) statements.set(text, (statement = db.prepare(text)));
    return statement;
  };
}

// Reading and writing one row of the settings table (key → text value); callers choose their own keys and formats.
import type { Db } from './connection';

export function readSetting(db: Db, key: string): string | undefined {
  return db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
}

/** Inserts or replaces the value; call inside the caller's transaction when it goes with other changes. */
export function writeSetting(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

// The allocation vault on real SQLite files: a list from before schema 5 (allocations in plaintext) is moved aside by
// the migration and sealed by the first pharmacist who opens it, leaving no arm in any table; the sealed payload and
// the password wraps are authenticated (a changed byte opens nothing).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend } from '../backend';
import { keyFromFile, openKeyed } from '../db/encryption';
import { runMigrations } from '../db/migrate';
import { hashPassword } from '../auth/password';
import { ok } from '../testing/apiResults';
import { TEST_PASSWORD, tempDir } from '../testing/fixtures';
import { seal, unseal } from './allocationVault';
import { generatePermutedBlocks } from './permutedBlocks';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

describe('allocation vault', () => {
  it('seals a plaintext list from schema 4 at the first pharmacist’s open; no arm is left in any table', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, 'old.db');
    const entries = generatePermutedBlocks('legacy-seed-1', 9);
    const db = openKeyed(file, keyFromFile(file));
    runMigrations(db, 4);
    const hash = await hashPassword(TEST_PASSWORD);
    db.prepare("INSERT INTO users (username, display_name, role, password_hash, created_at, password_changed_at) VALUES ('pharma', 'P', 'pharmacist', ?, 'x', 'x')").run(hash);
    const insert = db.prepare('INSERT INTO randomisation_list (rand_no, kit_no, block_no, allocation) VALUES (?, ?, ?, ?)');
    for (const e of entries) insert.run(e.randNo, e.kitNo, e.blockNo, e.allocation);
    db.close();

    const backend = createBackend({ dbFile: file, transport: 'browser', appVersion: 'test' });
    try {
      const s = backend.services;
      expect(s.db.prepare('SELECT COUNT(*) FROM legacy_allocations').pluck().get()).toBe(entries.length);
      expect((await backend.dispatch('auth.login', { username: 'pharma', password: TEST_PASSWORD }, 'p')).ok).toBe(true);
      const rows = await ok<{ randNo: string; allocation: string; blockNo: number }[]>(backend.dispatch('randomisation.allocations', { password: TEST_PASSWORD }, 'p'));
      expect(rows.map((r) => [r.randNo, r.blockNo, r.allocation])).toEqual(entries.map((e) => [e.randNo, e.blockNo, e.allocation]));
      expect(s.db.prepare('SELECT COUNT(*) FROM legacy_allocations').pluck().get()).toBe(0);
      const dump = (s.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[])
        .map((name) => JSON.stringify(s.db.prepare(`SELECT * FROM "${name}"`).raw().all(), (_k, v: unknown) => (Buffer.isBuffer(v) ? '<blob>' : v)))
        .join('\n');
      expect(dump).not.toMatch(/\bMSC\b|PLACEBO/);
      // And it opens again, now from the vault.
      expect(await ok<unknown[]>(backend.dispatch('randomisation.allocations', { password: TEST_PASSWORD }, 'p'))).toHaveLength(entries.length);
    } finally {
      backend.close();
    }
  });

  it('AES-256-GCM with the context bound: a flipped byte or another context opens nothing', () => {
    const key = Buffer.alloc(32, 7);
    const sealed = seal(key, Buffer.from('R001,K-1001,1,MSC'), 'ctx-a');
    expect(unseal(key, sealed, 'ctx-a').toString()).toBe('R001,K-1001,1,MSC');
    expect(() => unseal(key, sealed, 'ctx-b')).toThrow();
    const flipped = Buffer.from(sealed);
    flipped[30] = flipped[30]! ^ 1;
    expect(() => unseal(key, flipped, 'ctx-a')).toThrow();
  });
});

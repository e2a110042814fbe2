// The audit chain: rows link, verify passes on an honest log and finds the first tampered row.
import { keyFromFile, openKeyed } from '../db/encryption';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connection';
import { tempDir } from '../testing/tempDir';
import { AuditTrail, GENESIS_HASH, rowHash, verifyAuditChain } from './auditTrail';
import { stamp } from './clock';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

function setup() {
  const t = tempDir();
  cleanup = t.cleanup;
  const file = join(t.dir, 'a.db');
  const db = openDatabase(file);
  return { db, file, audit: new AuditTrail(db) };
}

describe('clock', () => {
  it('gives UTC and Asia/Shanghai (UTC+8) for the same instant', () => {
    const s = stamp(new Date('2026-03-01T17:30:05.000Z'));
    expect(s.utc).toBe('2026-03-01T17:30:05.000Z');
    expect(s.local).toBe('2026-03-02 01:30:05 +08:00');
  });
});

describe('audit trail', () => {
  it('chains rows from the genesis hash', () => {
    const { db, audit } = setup();
    audit.append({ action: 'login', username: 'nurse' });
    audit.append([
      { action: 'item.create', itemCode: 'weightKg', newValue: '55' },
      { action: 'item.update', itemCode: 'weightKg', oldValue: '55', newValue: '56', reason: 'transcription error' },
    ]);
    const rows = db.prepare('SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq').all() as { seq: number; prev_hash: string; hash: string }[];
    expect(rows).toHaveLength(3);
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
    expect(rows[2]!.prev_hash).toBe(rows[1]!.hash);
    expect(verifyAuditChain(db)).toEqual({ ok: true, rows: 3, head: rows[2]!.hash });
    db.close();
  });

  it('finds an altered value in a copy where the triggers were dropped', () => {
    const { db, file, audit } = setup();
    for (let i = 0; i < 5; i++) audit.append({ action: 'item.update', itemCode: 'creatinine', oldValue: String(i), newValue: String(i + 1) });
    db.close();
    const raw = openKeyed(file, keyFromFile(file));
    raw.exec('DROP TRIGGER audit_log_no_update');
    raw.prepare("UPDATE audit_log SET new_value = '999' WHERE seq = 3").run();
    const result = verifyAuditChain(raw);
    expect(result).toMatchObject({ ok: false, brokenSeq: 3 });
    raw.close();
  });

  it('finds a deleted row in the middle', () => {
    const { db, file, audit } = setup();
    for (let i = 0; i < 4; i++) audit.append({ action: 'login', username: `u${i}` });
    db.close();
    const raw = openKeyed(file, keyFromFile(file));
    raw.exec('DROP TRIGGER audit_log_no_delete');
    raw.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    expect(verifyAuditChain(raw)).toMatchObject({ ok: false, brokenSeq: 2 });
    raw.close();
  });

  it('finds a row re-hashed in place but no longer linked to its successor', () => {
    const { db, file, audit } = setup();
    for (let i = 0; i < 3; i++) audit.append({ action: 'login', username: `u${i}` });
    db.close();
    const raw = openKeyed(file, keyFromFile(file));
    raw.exec('DROP TRIGGER audit_log_no_update');
    // A forger who recomputes row 1's hash after editing it still breaks row 2's link.
    const row = raw.prepare('SELECT * FROM audit_log WHERE seq = 1').get() as Parameters<typeof rowHash>[0] & { hash: string };
    const forged = { ...row, username: 'someone-else' };
    raw.prepare('UPDATE audit_log SET username = ?, hash = ? WHERE seq = 1').run(forged.username, rowHash(forged));
    expect(verifyAuditChain(raw)).toMatchObject({ ok: false, brokenSeq: 2 });
    raw.close();
  });
});

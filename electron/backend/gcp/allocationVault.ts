// The allocation vault: the sealed list's allocations and blocks, encrypted (AES-256-GCM, node:crypto) under a random
// list key. The list key is stored only wrapped: once per holder under a key derived from that holder's own password
// (scrypt, its own salt; the login hash is a different scrypt with another salt), and once for the sponsor in an
// OpenPGP message to the installed sponsor key (the recovery copy). Nobody else, the administrator included, can read
// an allocation with the database and its key in hand. A holder is a pharmacist (the list's maker, or one granted by
// a holder with both present) or an investigator granted emergency unblinding the same way. A password reset by
// someone else, a deactivation or a role change drops the holder's wrap: the new password was not theirs alone.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync } from 'node:crypto';
import * as openpgp from 'openpgp';
import type { User } from '../../../shared/api/calls/common';
import type { AuditTrail } from '../audit/auditTrail';
import { stamp } from '../audit/clock';
import type { Db } from '../db/connection';
import { fail } from '../errors';
import { fingerprintOf, readPublicKey } from '../export/pgpKeys';
import type { Allocation, ListEntry } from './permutedBlocks';

export type AccessPurpose = 'pharmacist' | 'emergency';

export interface AccessHolder {
  userId: number;
  username: string;
  role: string;
  purpose: AccessPurpose;
  grantedBy: string;
  grantedAt: string;
}

/** What the encrypted payload holds: every entry with its arm and block. */
export interface VaultPayload {
  entries: ListEntry[];
}

const SCRYPT = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

/** The key that wraps a holder's copy of the list key: scrypt of their own password with a salt of its own. */
function passwordKey(password: string, salt: Buffer): Buffer {
  return scryptSync(password.normalize('NFKC'), salt, 32, SCRYPT);
}

/** AES-256-GCM: 12-byte nonce, 16-byte tag, then the ciphertext; `context` is bound as associated data. */
export function seal(key: Buffer, plaintext: Buffer, context: string): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), body]);
}

export function unseal(key: Buffer, sealed: Buffer, context: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
}

/** The list as the sponsor's recovery copy and the commitment cover it: one line per entry in number order. */
export function listCsv(entries: readonly ListEntry[]): string {
  return `rand_no,kit_no,block_no,allocation\n${entries.map((e) => `${e.randNo},${e.kitNo},${e.blockNo},${e.allocation}`).join('\n')}\n`;
}

/** A keyed commitment to the list (HMAC-SHA256 under the list key): proves which list it was, tests no guess. */
export const commitment = (listKey: Buffer, entries: readonly ListEntry[]) => createHmac('sha256', listKey).update(listCsv(entries)).digest('hex');

const PAYLOAD_CONTEXT = 'kunming-ln-ecrf allocation list v1';
const wrapContext = (userId: number, purpose: AccessPurpose) => `kunming-ln-ecrf list key v1 user ${userId} ${purpose}`;

interface AccessRow {
  user_id: number;
  purpose: AccessPurpose;
  salt: Buffer;
  wrapped_key: Buffer;
  granted_by: string;
  granted_at: string;
}

export class AllocationVault {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditTrail,
  ) {}

  exists(): boolean {
    return Boolean(this.db.prepare('SELECT 1 FROM allocation_vault WHERE id = 1').get());
  }

  /** A list from before the vault (schema 5) whose allocations still wait, in plaintext, for a pharmacist to seal them. */
  legacyRows(): number {
    return this.db.prepare('SELECT COUNT(*) FROM legacy_allocations').pluck().get() as number;
  }

  /** The list key for `user`, unwrapped with their password; a wrong password or no grant opens nothing. */
  unlock(user: User, password: string, purposes: readonly AccessPurpose[]): Buffer {
    const row = this.db.prepare('SELECT * FROM allocation_access WHERE user_id = ?').get(user.id) as AccessRow | undefined;
    if (!row || !purposes.includes(row.purpose)) {
      return fail(
        'FORBIDDEN',
        '您没有随机表的密钥：请持有密钥的非盲药师与您一同在「分组信息」中为您授权',
        'You hold no key to the list: a pharmacist who holds one must grant you access, with both of you present, on the allocation screen',
      );
    }
    try {
      return unseal(passwordKey(password, row.salt), row.wrapped_key, wrapContext(user.id, row.purpose));
    } catch {
      return fail('REAUTH_FAILED', '密码错误，无法打开随机表', 'Wrong password: the list stays sealed');
    }
  }

  /** The decrypted payload. */
  read(listKey: Buffer): VaultPayload {
    const row = this.db.prepare('SELECT payload FROM allocation_vault WHERE id = 1').get() as { payload: Buffer } | undefined;
    if (!row) return { entries: [] };
    return JSON.parse(unseal(listKey, row.payload, PAYLOAD_CONTEXT).toString('utf8')) as VaultPayload;
  }

  /** Writes the payload (a new list key for a new list) and its commitment; call inside the caller's transaction. */
  write(listKey: Buffer, payload: VaultPayload, recovery: { armored: string; fingerprint: string } | null): string {
    const at = stamp().utc;
    const sealed = seal(listKey, Buffer.from(JSON.stringify(payload)), PAYLOAD_CONTEXT);
    const commit = commitment(listKey, payload.entries);
    this.db
      .prepare(
        `INSERT INTO allocation_vault (id, payload, commitment, recovery_armored, recovery_fingerprint, created_at, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET payload = excluded.payload, commitment = excluded.commitment,
           recovery_armored = excluded.recovery_armored, recovery_fingerprint = excluded.recovery_fingerprint, updated_at = excluded.updated_at`,
      )
      .run(sealed, commit, recovery?.armored ?? null, recovery?.fingerprint ?? null, at, at);
    return commit;
  }

  commitment(): string | null {
    return (this.db.prepare('SELECT commitment FROM allocation_vault WHERE id = 1').pluck().get() as string | undefined) ?? null;
  }

  recoveryFingerprint(): string | null {
    return (this.db.prepare('SELECT recovery_fingerprint FROM allocation_vault WHERE id = 1').pluck().get() as string | null | undefined) ?? null;
  }

  /** The recovery copy (an OpenPGP message to the sponsor's key: gpg --decrypt opens it), or null. */
  recoveryArmored(): string | null {
    return (this.db.prepare('SELECT recovery_armored FROM allocation_vault WHERE id = 1').pluck().get() as string | null | undefined) ?? null;
  }

  /** Encrypts the list and the list key to the sponsor's installed public key (made before the write transaction). */
  async recoveryCopy(listKey: Buffer, payload: VaultPayload): Promise<{ armored: string; fingerprint: string } | null> {
    const sponsor = this.db.prepare("SELECT public_key FROM export_keys WHERE role = 'sponsor'").pluck().get() as string | undefined;
    if (!sponsor) return null;
    const key = await readPublicKey(sponsor, { zh: '申办方公钥', en: 'The sponsor public key' }, 'encrypt');
    const text = `# KM01 sealed randomisation list: sponsor recovery copy\n# list key (HMAC key of the commitment): ${listKey.toString('hex')}\n${listCsv(payload.entries)}`;
    const armored = (await openpgp.encrypt({ message: await openpgp.createMessage({ text }), encryptionKeys: key, format: 'armored' })) as string;
    return { armored, fingerprint: fingerprintOf(key) };
  }

  /** Stores the recovery copy made for the current list (e.g. once a sponsor key is installed after the list). */
  storeRecovery(recovery: { armored: string; fingerprint: string }): void {
    this.db.prepare('UPDATE allocation_vault SET recovery_armored = ?, recovery_fingerprint = ? WHERE id = 1').run(recovery.armored, recovery.fingerprint);
  }

  /** Wraps the list key under `holder`'s password (call inside the caller's transaction); replaces an earlier wrap. */
  wrapFor(holder: User, password: string, purpose: AccessPurpose, listKey: Buffer, grantedBy: string): void {
    const salt = randomBytes(16);
    const wrapped = seal(passwordKey(password, salt), listKey, wrapContext(holder.id, purpose));
    this.db
      .prepare(
        `INSERT INTO allocation_access (user_id, purpose, salt, wrapped_key, granted_by, granted_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET purpose = excluded.purpose, salt = excluded.salt, wrapped_key = excluded.wrapped_key,
           granted_by = excluded.granted_by, granted_at = excluded.granted_at`,
      )
      .run(holder.id, purpose, salt, wrapped, grantedBy, stamp().utc);
  }

  /** After the holder changed their own password: the same key, wrapped under the new one (old one checked by the caller). */
  rewrap(user: User, oldPassword: string, newPassword: string): void {
    const row = this.db.prepare('SELECT * FROM allocation_access WHERE user_id = ?').get(user.id) as AccessRow | undefined;
    if (!row) return;
    const listKey = unseal(passwordKey(oldPassword, row.salt), row.wrapped_key, wrapContext(user.id, row.purpose));
    this.wrapFor(user, newPassword, row.purpose, listKey, row.granted_by);
  }

  /** Drops a holder's wrap (password set by someone else, deactivated, other role), audited; call in a transaction. */
  revoke(userId: number, username: string, reason: string, actor: { id: number | null; username: string }): void {
    const removed = this.db.prepare('DELETE FROM allocation_access WHERE user_id = ?').run(userId).changes;
    if (removed) {
      this.audit.append({ userId: actor.id, username: actor.username, action: 'access.revoke', itemCode: 'allocation', oldValue: username, details: { reason } });
    }
  }

  holders(): AccessHolder[] {
    return (
      this.db
        .prepare(
          `SELECT a.user_id, u.username, u.role, a.purpose, a.granted_by, a.granted_at FROM allocation_access a JOIN users u ON u.id = a.user_id ORDER BY a.granted_at, a.user_id`,
        )
        .all() as { user_id: number; username: string; role: string; purpose: AccessPurpose; granted_by: string; granted_at: string }[]
    ).map((r) => ({ userId: r.user_id, username: r.username, role: r.role, purpose: r.purpose, grantedBy: r.granted_by, grantedAt: r.granted_at }));
  }

  /** The arm of one number, from an unlocked payload. */
  static armOf(payload: VaultPayload, randNo: string): Allocation | null {
    return payload.entries.find((e) => e.randNo === randNo)?.allocation ?? null;
  }
}

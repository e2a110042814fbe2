// The site's OpenPGP signing key is stored wrapped: its secret parts are encrypted by openpgp.js (S2K + AES) under a
// passphrase derived from the database key (HKDF-SHA256), so a copy of the export_keys row, or a dump of a database
// opened some other way, does not give anyone a key the sponsor trusts. A key stored unwrapped by an earlier version
// is wrapped the first time it is used.
import { hkdfSync } from 'node:crypto';
import * as openpgp from 'openpgp';
import type { DbKey } from '../db/encryption';

/** The passphrase of the site key: 256 bits derived from the database key, for this purpose only. */
export function siteKeyPassphrase(dbKey: DbKey): string {
  return Buffer.from(hkdfSync('sha256', dbKey, Buffer.alloc(0), 'kunming-ln-ecrf site signing key v1', 32)).toString('hex');
}

export async function wrapSiteKey(armoredPrivate: string, dbKey: DbKey): Promise<string> {
  const key = await openpgp.readPrivateKey({ armoredKey: armoredPrivate });
  if (!key.isDecrypted()) return armoredPrivate;
  const wrapped = await openpgp.encryptKey({ privateKey: key, passphrase: siteKeyPassphrase(dbKey) });
  return wrapped.armor();
}

/** Whether a stored site key is still unwrapped (from before issue 12). */
export async function isWrapped(armoredPrivate: string): Promise<boolean> {
  return !(await openpgp.readPrivateKey({ armoredKey: armoredPrivate })).isDecrypted();
}

export async function unwrapSiteKey(armoredPrivate: string, dbKey: DbKey): Promise<openpgp.PrivateKey> {
  const key = await openpgp.readPrivateKey({ armoredKey: armoredPrivate });
  if (key.isDecrypted()) return key;
  return openpgp.decryptKey({ privateKey: key, passphrase: siteKeyPassphrase(dbKey) });
}

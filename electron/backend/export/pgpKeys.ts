// OpenPGP keys for sponsor bundles (openpgp.js): v4 Ed25519/Cv25519 key pairs that gpg 2.2 reads,
// and strict reading of armored keys with bilingual errors for anything gpg 2.2 could not use.
import * as openpgp from 'openpgp';
import { fail } from '../errors';

/**
 * openpgp 6 `type: 'curve25519'` makes RFC 9580 Ed25519/X25519 keys that gpg 2.2 cannot import
 * ("secret key info missing"), so we ask for the classic EdDSA/ECDH curve explicitly, in v4 format.
 */
export async function generateKeyPair(name: string, email: string): Promise<{ publicKey: string; privateKey: string; fingerprint: string }> {
  const { privateKey: generated } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name, email }],
    format: 'object',
    config: { v6Keys: false },
  });
  await preferDigestsGpgHas(generated);
  const privateKey = generated.armor();
  const publicKey = generated.toPublic().armor();
  return { publicKey, privateKey, fingerprint: formatFingerprint(generated.getFingerprint()) };
}

/** Digest algorithms every gpg 2.2 knows, in the order openpgp.js itself prefers them. */
const GPG22_DIGESTS = [openpgp.enums.hash.sha512, openpgp.enums.hash.sha256];

/**
 * openpgp.js 6 writes SHA3-512 and SHA3-256 (digest algorithms 14 and 12) into every user ID's preferences, with no
 * option to leave them out; gpg 2.2 has neither and warns at import that the key "contains preferences for unavailable
 * algorithms". Each self-certification is made again, by openpgp.js, with SHA-512 and SHA-256 only (its salt
 * notation kept, not doubled) and checked before the key is used.
 */
async function preferDigestsGpgHas(key: openpgp.PrivateKey): Promise<void> {
  const primary = key.keyPacket;
  for (const user of key.users) {
    if (!user.userID) continue;
    for (const sig of user.selfCertifications) {
      sig.preferredHashAlgorithms = (sig.preferredHashAlgorithms ?? GPG22_DIGESTS).filter((h) => GPG22_DIGESTS.includes(h));
      if (sig.preferredHashAlgorithms.length === 0) sig.preferredHashAlgorithms = [...GPG22_DIGESTS];
      // openpgp.js takes the config as a fifth argument its typings leave out.
      const resign = sig.sign.bind(sig) as (k: typeof primary, data: object, date: Date, detached: boolean, config: openpgp.Config) => Promise<void>;
      await resign(primary, { userID: user.userID, key: primary }, sig.created ?? new Date(), false, { ...openpgp.config, nonDeterministicSignaturesViaNotation: false });
    }
  }
  await key.verifyPrimaryKey();
}

/** Upper-case hex in groups of four, as gpg prints it. */
export function formatFingerprint(hex: string): string {
  return hex.toUpperCase().replace(/(.{4})(?=.)/g, '$1 ');
}

export function fingerprintOf(key: openpgp.Key): string {
  return formatFingerprint(key.getFingerprint());
}

async function readAnyKey(armored: string, what: { zh: string; en: string }): Promise<openpgp.Key> {
  let key: openpgp.Key;
  try {
    key = await openpgp.readKey({ armoredKey: armored.trim() });
  } catch (error) {
    return fail(
      'VALIDATION',
      `${what.zh}不是有效的 OpenPGP 密钥（ASCII armored）：${(error as Error).message}`,
      `${what.en} is not a valid ASCII-armored OpenPGP key: ${(error as Error).message}`,
    );
  }
  if (key.keyPacket.version !== 4) {
    fail('VALIDATION', `${what.zh}是 v${key.keyPacket.version} 格式，gpg 2.2 无法读取，请提供 v4 密钥`, `${what.en} is a v${key.keyPacket.version} key, which gpg 2.2 cannot read; provide a v4 key`);
  }
  return key;
}

/** A public key we can encrypt to (the sponsor's) or verify with (a trusted site's). */
export async function readPublicKey(armored: string, what = { zh: '公钥', en: 'The public key' }, purpose: 'encrypt' | 'verify' = 'encrypt'): Promise<openpgp.PublicKey> {
  const key = await readAnyKey(armored, what);
  if (key.isPrivate()) {
    fail('VALIDATION', `${what.zh}包含私钥；请只提供公钥，私钥不应离开申办方`, `${what.en} contains a secret key; provide the public key only (the secret key must stay with its owner)`);
  }
  const pub = key as openpgp.PublicKey;
  try {
    if (purpose === 'encrypt') await pub.getEncryptionKey();
    else await pub.getSigningKey();
  } catch (error) {
    fail(
      'VALIDATION',
      `${what.zh}不能用于${purpose === 'encrypt' ? '加密' : '验证签名'}（可能已过期或被吊销）：${(error as Error).message}`,
      `${what.en} cannot be used to ${purpose} (expired or revoked?): ${(error as Error).message}`,
    );
  }
  return pub;
}

/** An unencrypted private key (sponsor decryption key or site signing key). */
export async function readPrivateKey(armored: string, what = { zh: '私钥', en: 'The secret key' }): Promise<openpgp.PrivateKey> {
  const key = await readAnyKey(armored, what);
  if (!key.isPrivate()) fail('VALIDATION', `${what.zh}只是公钥，需要私钥`, `${what.en} is only a public key; the secret key is needed`);
  const priv = key as openpgp.PrivateKey;
  if (!priv.isDecrypted()) {
    fail('VALIDATION', `${what.zh}有密码保护，请先用 gpg 导出无密码副本`, `${what.en} is passphrase-protected; export an unprotected copy first`);
  }
  return priv;
}

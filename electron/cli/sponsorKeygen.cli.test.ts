// `ecrf sponsor keygen` as the sponsor runs it, then the sponsor's everyday tool: gpg 2.2 imports the key pair,
// encrypts to it, decrypts and signs with it, and says nothing about algorithms it does not have (issue 14: a key
// that preferred SHA3-256 and SHA3-512, digest algorithms 12 and 14, made gpg 2.2 warn on import).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../backend/testing/cli';
import { tempDir } from '../backend/testing/tempDir';

let cli: { cli: string; remove(): void };
let dir: string;
let cleanup: () => void;
beforeAll(async () => {
  cli = await buildCli();
  ({ dir, cleanup } = tempDir('ecrf-keygen-'));
});
afterAll(() => {
  cli?.remove();
  cleanup?.();
});

function gpg(home: string, args: string[], input?: string) {
  const r = spawnSync('gpg', ['--homedir', home, '--batch', '--yes', '--no-tty', ...args], { input, encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

describe('ecrf sponsor keygen', () => {
  it('makes a key pair gpg 2.2 imports and uses without a warning, preferring only digests it has', async () => {
    expect(gpg(dir, ['--version']).out).toMatch(/gpg \(GnuPG\) 2\.2\./);
    const out = join(dir, 'keys');
    const r = await runCli(cli.cli, ['sponsor', 'keygen', '--out', out, '--name', 'Sponsor DM', '--email', 'dm@sponsor.example.org']);
    expect(r.code, r.stderr).toBe(0);
    const home = join(dir, 'gnupg');
    mkdirSync(home, { mode: 0o700 });
    const pub = gpg(home, ['--import', join(out, 'sponsor.pub.asc')]);
    const sec = gpg(home, ['--import', join(out, 'sponsor.sec.asc')]);
    expect(pub.status, pub.err).toBe(0);
    expect(sec.status, sec.err).toBe(0);
    for (const said of [pub.err, sec.err]) {
      expect(said).not.toMatch(/WARNING|unavailable|preference for digest algorithm/i);
    }
    // The user ID's preferred digests as gpg reads them from the key: SHA-512 (10) and SHA-256 (8), nothing else.
    const packets = spawnSync('gpg', ['--list-packets', join(out, 'sponsor.pub.asc')], { encoding: 'utf8', env: { ...process.env, GNUPGHOME: home } });
    expect([...packets.stdout.matchAll(/pref-hash-algos: ([\d ]+)\)/g)].map((m) => m[1])).toEqual(['10 8']);

    // The sponsor trusts their own key (ownertrust ultimate), as after `gpg --edit-key … trust`.
    const fpr = /fingerprint: ([0-9A-F ]+)/.exec(r.stdout)![1]!.replace(/ /g, '');
    expect(gpg(home, ['--import-ownertrust'], `${fpr}:6:\n`).status).toBe(0);
    const enc = gpg(home, ['--armor', '--encrypt', '--sign', '--recipient', 'dm@sponsor.example.org'], 'endpoint table\n');
    expect(enc.status, enc.err).toBe(0);
    expect(enc.err).not.toMatch(/WARNING/i);
    const dec = gpg(home, ['--decrypt'], enc.out);
    expect(dec.status, dec.err).toBe(0);
    expect(dec.out).toBe('endpoint table\n');
    expect(dec.err).toMatch(/Good signature/);
    expect(dec.err).not.toMatch(/WARNING/i);
    expect(readFileSync(join(out, 'sponsor.pub.asc'), 'utf8')).toMatch(/BEGIN PGP PUBLIC KEY BLOCK/);
  });
});

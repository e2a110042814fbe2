// `ecrf sponsor`: the sponsor's side: make a key pair gpg 2.2 reads, and import bundles (verify, decrypt, check, load).
import type { Command } from 'commander';
import Database from 'better-sqlite3-multiple-ciphers';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../../backend/export/cliOutput';
import { generateKeyPair } from '../../backend/export/pgpKeys';
import { ImportRefused } from '../../backend/export/importRefusal';
import { importBundle } from '../../backend/export/sponsorImport';
import { endpointReport, parseAllocation, reportCsv, reportHtml, reportText } from '../../backend/export/sponsorReport';
import { fail } from '../../backend/errors';

export function registerSponsor(program: Command): void {
  const sponsor = program.command('sponsor').description('sponsor side: key pair, bundle import and the primary endpoint report / 申办方工具');
  sponsor
    .command('keygen')
    .description('create an OpenPGP v4 Ed25519/Cv25519 key pair (readable by gpg 2.2): sponsor.pub.asc + sponsor.sec.asc')
    .requiredOption('--out <dir>', 'folder for the two key files')
    .option('--name <name>', 'user id name', 'Sponsor data management')
    .option('--email <email>', 'user id e-mail', 'data-management@sponsor.example.org')
    .action((opts: { out: string; name: string; email: string }) =>
      runCommand(async () => {
        mkdirSync(opts.out, { recursive: true });
        const k = await generateKeyPair(opts.name, opts.email);
        writeFileSync(join(opts.out, 'sponsor.pub.asc'), k.publicKey, { flag: 'wx' });
        writeFileSync(join(opts.out, 'sponsor.sec.asc'), k.privateKey, { flag: 'wx', mode: 0o600 });
        console.log(`${join(opts.out, 'sponsor.pub.asc')}\n${join(opts.out, 'sponsor.sec.asc')} (keep secret / 请妥善保管)\nfingerprint: ${k.fingerprint}`);
      }),
    );
  sponsor
    .command('import')
    .description('verify the site signature, decrypt, check every hash, the sequence and the audit chain, then load into the sponsor database; exit 2 damaged, 3 wrong key, 4 wrong site, 5 replay, 6 gap, 7 fork, 8 format')
    .requiredOption('--key <secret>', "the sponsor's secret key (.asc)")
    .requiredOption('--trust <sitePub>', "the site's public key (.asc), from `ecrf keys site-public`")
    .requiredOption('--into <db>', 'sponsor SQLite database (created if missing)')
    .argument('<bundle>', 'the .tar.gpg bundle')
    .option('--json', 'print the outcome as one JSON line')
    .action((bundle: string, opts: { key: string; trust: string; into: string; json?: boolean }) =>
      runCommand(async () => {
        const r = await importBundle({
          bundleFile: bundle,
          sponsorSecretKey: readFileSync(opts.key, 'utf8'),
          trustedSiteKey: readFileSync(opts.trust, 'utf8'),
          intoDb: opts.into,
        }).catch((error: unknown) => {
          // --json: the refusal as one line too (stderr still has the words, the exit code the kind).
          if (opts.json && error instanceof ImportRefused) console.log(JSON.stringify({ status: 'refused', kind: error.kind, exitCode: error.exitCode, message: error.bilingual }));
          throw error;
        });
        if (opts.json) console.log(JSON.stringify(r));
        else if (r.status === 'already-imported') {
          console.log(`已导入过，未做任何更改 / already imported, nothing changed: ${r.site} bundle ${r.sequence} (sha256 ${r.sha256})`);
        } else if (r.status === 'test-verified') {
          console.log(
            `测试数据包：签名、哈希与稽查链均已核对，未导入 / TEST bundle: signature, hashes and audit chain verified; not loaded\n` +
              `  ${r.site} (would-be bundle ${r.sequence}): subjects ${r.subjects}, forms ${r.forms}, audit rows ${r.auditRows}`,
          );
        } else {
          console.log(
            `已导入 / imported: ${r.site} bundle ${r.sequence} (${r.scope}), signature OK, all hashes OK, audit chain extends the previous head\n` +
              `  subjects ${r.subjects}, forms ${r.forms}, audit rows ${r.auditRows}; audit head row ${r.auditHead.seq} ${r.auditHead.hash}`,
          );
        }
      }),
    );
  sponsor
    .command('report')
    .description('the primary endpoint table (renal response at Month 6 from the confirmed RESPONSE of record; remission with an exact 95% Clopper-Pearson interval), overall and, with --allocation, by arm: printed, and written as primary-endpoint.csv and primary-endpoint.html')
    .requiredOption('--db <sponsorDb>', 'the sponsor database (made by `ecrf sponsor import`)')
    .option('--allocation <file>', 'the allocation list decrypted from the recovery copy at database lock (`ecrf randomisation recovery-copy | gpg --decrypt`)')
    .option('--out <dir>', 'folder for primary-endpoint.csv and primary-endpoint.html', '.')
    .action((opts: { db: string; allocation?: string; out: string }) =>
      runCommand(async () => {
        if (!existsSync(opts.db)) fail('VALIDATION', `申办方数据库 ${opts.db} 不存在`, `the sponsor database ${opts.db} does not exist`);
        const allocation = opts.allocation ? parseAllocation(readFileSync(opts.allocation, 'utf8')) : undefined;
        const db = new Database(opts.db, { readonly: true, fileMustExist: true });
        let report;
        try {
          report = endpointReport(db, allocation);
        } finally {
          db.close();
        }
        mkdirSync(opts.out, { recursive: true });
        writeFileSync(join(opts.out, 'primary-endpoint.csv'), `\uFEFF${reportCsv(report)}`);
        writeFileSync(join(opts.out, 'primary-endpoint.html'), reportHtml(report));
        console.log(`${reportText(report)}\n\n${join(opts.out, 'primary-endpoint.csv')}\n${join(opts.out, 'primary-endpoint.html')}`);
      }),
    );
}

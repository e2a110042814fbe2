// Crash safety: a child saving forms is SIGKILLed at random moments; every acknowledged save survives, the file and audit chain stay sound.
import { keyFromFile, openKeyed } from '../db/encryption';
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createBackend } from '../backend';
import { verifyAuditChain } from '../audit/auditTrail';
import { generateDemo } from '../demo/demoStudy';
import { randomiseForDemo } from '../demo/demoRandomise';
import { tempDir } from '../testing/tempDir';

const ROOT = resolve(__dirname, '../../..');
const KILLS = Number(process.env.RELIABILITY_KILLS ?? (process.env.RELIABILITY_LONG ? 1000 : 200));
let dir: { dir: string; cleanup: () => void };
let dbFile: string;
let childJs: string;

beforeAll(async () => {
  dir = tempDir();
  dbFile = join(dir.dir, 'crash.db');
  const backend = createBackend({ dbFile, transport: 'browser', appVersion: 'crash-test' });
  await generateDemo(backend.services, { subjects: 4, seed: 7, today: '2013-06-30' }, (id, date, user) => randomiseForDemo(backend.services, id, date, user));
  backend.close();
  // Bundled once next to node_modules so the native better-sqlite3 resolves; a tsx start per kill would cost ~300 ms.
  mkdirSync(join(ROOT, '.cache/reliability'), { recursive: true });
  childJs = join(ROOT, '.cache/reliability', `crashSaver-${process.pid}.cjs`);
  await build({ entryPoints: [join(__dirname, 'crashSaver.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: childJs, external: ['better-sqlite3-multiple-ciphers'], logLevel: 'silent',
    define: { 'import.meta.url': '__importMetaUrl' }, banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" } });
});

afterAll(() => {
  dir?.cleanup();
  if (childJs) rmSync(childJs, { force: true });
});

/** Spawns the saver, kills it waitMs after it is ready (mid-loop), resolves with the highest acknowledged version per form and the ack count. */
function runAndKill(waitMs: number): Promise<{ acked: Map<number, number>; count: number }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [childJs, dbFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked = new Map<number, number>();
    let buf = '';
    let stderr = '';
    let count = 0;
    let timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        if (l === 'ready') {
          timer = setTimeout(() => child.kill('SIGKILL'), waitMs);
          continue;
        }
        count++;
        const [id, v] = l.split(' ').map(Number);
        acked.set(id!, Math.max(acked.get(id!) ?? 0, v!));
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child exited early (${code}): ${stderr.slice(-500)}`));
      else done({ acked, count });
    });
  });
}

test(`${KILLS} SIGKILLs mid-save lose no acknowledged save and break neither the file nor the audit chain`, async () => {
  const acked = new Map<number, number>();
  let totalAcks = 0;
  for (let k = 0; k < KILLS; k++) {
    const { acked: got, count } = await runAndKill(20 + Math.floor(Math.random() * 181));
    for (const [id, v] of got) acked.set(id, Math.max(acked.get(id) ?? 0, v));
    totalAcks += count;
    const db = openKeyed(dbFile, keyFromFile(dbFile));
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const version = db.prepare('SELECT version FROM form_instances WHERE id = ?').pluck();
      for (const [id, v] of acked) expect(version.get(id) as number, `form ${id} after kill ${k}`).toBeGreaterThanOrEqual(v);
      if (k % 20 === 0 || k === KILLS - 1) expect(verifyAuditChain(db)).toMatchObject({ ok: true });
    } finally {
      db.close();
    }
  }
  expect(totalAcks).toBeGreaterThan(KILLS * 2); // the kills really landed while saves were going on
}, 600_000);

// Runs the real `ecrf` command line in a child process, as a site or a sponsor would: the CLI is bundled once per test
// file from the current sources (next to node_modules, so the native better-sqlite3-multiple-ciphers resolves), and each run returns its
// exit code, signal and output. Also the insider's tools: SQL on the database file with its key.
import { build } from 'esbuild';
import Database from 'better-sqlite3-multiple-ciphers';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isPlaintextDatabase, keyFilePath, openKeyed, readKeyFile } from '../db/encryption';

const ROOT = resolve(__dirname, '../../..');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Bundles electron/cli/ecrf.ts into .cache/cli-test/; returns the file and a function removing it. */
export async function buildCli(): Promise<{ cli: string; remove(): void }> {
  mkdirSync(join(ROOT, '.cache/cli-test'), { recursive: true });
  const cli = join(ROOT, '.cache/cli-test', `ecrf-${process.pid}-${Date.now()}.cjs`);
  await build({
    entryPoints: [join(ROOT, 'electron/cli/ecrf.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: cli,
    external: ['better-sqlite3-multiple-ciphers', 'electron'], logLevel: 'silent',
    define: { __APP_VERSION__: JSON.stringify('cli-test'), 'import.meta.url': '__importMetaUrl' },
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  return { cli, remove: () => rmSync(cli, { force: true }) };
}

export interface RunOptions {
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
  /** Run the command as this argv prefix (e.g. a read-only mount namespace), then node and the CLI. */
  wrap?: string[];
  /** Called with the child's pid once it has started (to kill it mid-way). */
  onStart?: (pid: number) => void;
  /** Resolve as soon as stderr or stdout matches (the child is killed with SIGKILL). */
  killWhen?: RegExp;
}

export function runCli(cli: string, args: string[], options: RunOptions = {}): Promise<CliRun> {
  const argv = [...(options.wrap ?? []), process.execPath, cli, ...args];
  return new Promise((done, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const check = () => {
      if (options.killWhen && (options.killWhen.test(stderr) || options.killWhen.test(stdout))) child.kill('SIGKILL');
    };
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      check();
    });
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
      check();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('spawn', () => options.onStart?.(child.pid!));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** The database file opened as an insider with its key file (the encryption at rest is no obstacle to them). */
export function openAsInsider(dbFile: string, options: Database.Options = {}): Database.Database {
  const keyFile = keyFilePath(dbFile);
  return existsSync(keyFile) && !isPlaintextDatabase(dbFile) ? openKeyed(dbFile, readKeyFile(keyFile), options) : new Database(dbFile, options);
}

/**
 * SQL on a database file as an insider with the file and its key in hand would run it (the sqlite3 shell of SQLCipher):
 * the key file beside the database (a plaintext file is opened as it is). A statement that returns rows prints them
 * as the shell does (columns joined by |, one row a line); several statements are run as a script.
 */
export function sqlite3(dbFile: string, sql: string): string {
  const db = openAsInsider(dbFile);
  try {
    let statement: Database.Statement | null = null;
    try {
      statement = db.prepare(sql);
    } catch (error) {
      if (!/more than one statement/.test((error as Error).message)) throw error;
    }
    if (!statement) {
      db.exec(sql);
      return '';
    }
    if (!statement.reader) {
      statement.run();
      return '';
    }
    const rows = statement.raw().all() as unknown[][];
    return rows.map((r) => `${r.map((v) => (v === null ? '' : String(v))).join('|')}\n`).join('');
  } finally {
    db.close();
  }
}

/**
 * argv prefix that runs a command with `dir` mounted read-only (a private mount namespace: nothing changes outside the
 * child), as a CD, a write-protected USB stick or a read-only network share would present it.
 */
export function readOnlyMount(dir: string): string[] {
  const d = dir.replaceAll("'", "'\\''");
  return ['unshare', '-rm', 'sh', '-c', `mount --bind '${d}' '${d}' && mount -o remount,bind,ro '${d}' && exec "$@"`, 'sh'];
}

export interface CliFixture {
  /** A fresh temp folder for the test file. */
  dir: string;
  /** The bundled CLI (run it with process.execPath). */
  cli: string;
  /** The system temp folder every run is given (TMPDIR): a folder of its own, to check what a command leaves there. */
  tmp: string;
  ecrf(args: string[], options?: RunOptions): Promise<CliRun>;
  /** Runs and expects exit 0 (the failure message is the command's stderr). */
  ok(args: string[], options?: RunOptions): Promise<CliRun>;
  cleanup(): void;
}

/** The CLI bundled from the current sources and a temp folder, for one test file (beforeAll / afterAll). */
export async function cliFixture(): Promise<CliFixture> {
  const { tempDir } = await import('./tempDir');
  const dir = tempDir();
  const tmp = join(dir.dir, 'tmp');
  mkdirSync(tmp);
  const built = await buildCli();
  const ecrf = (args: string[], options: RunOptions = {}) => runCli(built.cli, args, { ...options, env: { TMPDIR: tmp, ...options.env } });
  return {
    dir: dir.dir,
    cli: built.cli,
    tmp,
    ecrf,
    async ok(args, options) {
      const r = await ecrf(args, options);
      if (r.code !== 0) throw new Error(`ecrf ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return r;
    },
    cleanup() {
      built.remove();
      dir.cleanup();
    },
  };
}

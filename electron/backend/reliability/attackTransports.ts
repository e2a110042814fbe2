// The two ways an attacker reaches the API, for the insider attack suite: the dispatcher the Electron IPC handler
// wraps, and the browser-mode loopback host over real HTTP (with the per-run token, as the page has it).
import { request } from 'node:http';
import type { ApiResult } from '../../../shared/api/result';
import { startBrowserHost, type BrowserHost } from '../host/browserHost';
import { testBackend, type TestBackend } from '../testing/fixtures';

export type Call = (name: string, args: unknown, session: string) => Promise<ApiResult<unknown>>;

export interface AttackTarget {
  t: TestBackend;
  call: Call;
  host: BrowserHost | null;
  close(): Promise<void>;
}

export function httpRequest(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: Buffer; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export const TRANSPORTS = ['ipc', 'http'] as const;
export type TransportName = (typeof TRANSPORTS)[number];

/** A fresh study database with the API reachable through `transport`. */
export async function attackTarget(transport: TransportName, rendererDir: string, options: { now?: () => number } = {}): Promise<AttackTarget> {
  const t = await testBackend(options);
  if (transport === 'ipc') {
    return { t, host: null, call: (name, args, session) => t.backend.dispatch(name, args, session), close: async () => t.cleanup() };
  }
  const host = await startBrowserHost({ backend: t.backend, rendererDir });
  const call: Call = async (name, args, session) => {
    const res = await httpRequest(host.port, `/api/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ecrf-token': host.token, 'x-ecrf-session': `attack-${session}`.replace(/[^A-Za-z0-9-]/g, '-').padEnd(16, '0') },
      body: JSON.stringify(args),
    });
    return JSON.parse(res.body.toString('utf8')) as ApiResult<unknown>;
  };
  return {
    t,
    host,
    call,
    close: async () => {
      await host.close();
      t.cleanup();
    },
  };
}

// The browser-mode host: token required, loopback only, Host header checked, static files confined.
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testBackend, type TestBackend } from '../testing/fixtures';
import { isLoopback, startBrowserHost, type BrowserHost } from './browserHost';
import { RENDERER_FILE_LIST } from './rendererFiles';

let t: TestBackend;
let host: BrowserHost;
afterEach(async () => {
  await host?.close();
  t?.cleanup();
});

async function start() {
  t = await testBackend();
  const rendererDir = join(t.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>ecrf</title>');
  writeFileSync(join(rendererDir, RENDERER_FILE_LIST), JSON.stringify(['index.html']));
  writeFileSync(join(t.dir, 'secret.txt'), 'do not serve');
  host = await startBrowserHost({ backend: t.backend, rendererDir });
}

/** Raw request so the Host header and path can be set exactly. */
function raw(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

const apiHeaders = (token: string) => ({
  'content-type': 'application/json',
  'x-ecrf-token': token,
  'x-ecrf-session': 'abcdef0123456789abcdef',
});

describe('browser host', () => {
  it('binds to 127.0.0.1 and hands out the token only in the URL fragment', async () => {
    await start();
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(host.openUrl).toBe(`${host.url}#token=${host.token}`);
    expect(host.token).toMatch(/^[0-9a-f]{64}$/);
    const page = await raw('/');
    expect(page.status).toBe(200);
    expect(page.body).not.toContain(host.token);
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'self'");
  });

  it('answers API calls with the token and refuses them without or with a wrong one', async () => {
    await start();
    const ok = await raw('/api/app.info', { method: 'POST', headers: apiHeaders(host.token), body: '{}' });
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { needsSetup: true } });
    const missing = await raw('/api/app.info', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(missing.status).toBe(401);
    const wrong = await raw('/api/app.info', { method: 'POST', headers: apiHeaders('f'.repeat(64)), body: '{}' });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses a foreign Host header (DNS rebinding) and malformed JSON', async () => {
    await start();
    const rebind = await raw('/api/app.info', { method: 'POST', headers: { ...apiHeaders(host.token), host: 'evil.example:80' }, body: '{}' });
    expect(rebind.status).toBe(421);
    const bad = await raw('/api/app.info', { method: 'POST', headers: apiHeaders(host.token), body: '{not json' });
    expect(bad.status).toBe(400);
  });

  it('does not serve files outside the renderer folder', async () => {
    await start();
    const escape = await raw('/../secret.txt');
    expect(escape.body).not.toContain('do not serve');
    const encoded = await raw('/%2e%2e/secret.txt');
    expect(encoded.body).not.toContain('do not serve');
  });

  it('classifies loopback addresses', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopback('192.168.1.20')).toBe(false);
    expect(isLoopback('10.0.0.1')).toBe(false);
    expect(isLoopback(undefined)).toBe(false);
  });
});

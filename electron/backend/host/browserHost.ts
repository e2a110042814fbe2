// Browser mode: serves the built renderer and the same API over HTTP on 127.0.0.1 only, guarded by a
// random per-run token that the page receives in the URL fragment (never sent back as a URL).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import type { Backend } from '../backend';
import { CONTENT_SECURITY_POLICY } from '../security/csp';
import { rendererFiles } from './rendererFiles';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};
const MAX_BODY = 8 * 1024 * 1024;

export interface BrowserHost {
  url: string;
  /** URL including the token fragment: open this in the browser. */
  openUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export interface HostOptions {
  backend: Backend;
  rendererDir: string;
  port?: number;
  token?: string;
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json; charset=utf-8'): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

const sendError = (res: ServerResponse, status: number, code: string, zh: string, en: string) =>
  send(res, status, JSON.stringify({ ok: false, error: { code, message: { zh, en } } }));

function tokenMatches(expected: Buffer, given: string | string[] | undefined): boolean {
  if (typeof given !== 'string') return false;
  const buffer = Buffer.from(given);
  return buffer.length === expected.length && timingSafeEqual(buffer, expected);
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startBrowserHost(options: HostOptions): Promise<BrowserHost> {
  const token = options.token ?? randomBytes(32).toString('hex');
  const expected = Buffer.from(token);
  const files = rendererFiles(options.rendererDir);
  options.backend.services.backup.protectFolders([options.rendererDir]);
  let allowedHosts = new Set<string>();

  const server: Server = createServer(async (req, res) => {
    try {
      if (!isLoopback(req.socket.remoteAddress)) {
        return sendError(res, 403, 'FORBIDDEN', '仅允许本机访问', 'Only connections from this computer are accepted');
      }
      // Refuse DNS-rebinding: the Host header must name the loopback address we bound.
      if (!allowedHosts.has(String(req.headers.host))) {
        return sendError(res, 421, 'FORBIDDEN', '主机名不被接受', 'Host header not accepted');
      }
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://127.0.0.1');
      } catch {
        return sendError(res, 400, 'BAD_REQUEST', '路径无效', 'Malformed path');
      }
      if (url.pathname.startsWith('/api/')) {
        if (req.method !== 'POST') return sendError(res, 405, 'BAD_REQUEST', '仅支持 POST', 'POST only');
        if (!tokenMatches(expected, req.headers['x-ecrf-token'])) {
          return sendError(res, 401, 'UNAUTHENTICATED', '缺少或错误的访问令牌', 'Missing or wrong bridge token');
        }
        const session = req.headers['x-ecrf-session'];
        if (typeof session !== 'string' || !/^[A-Za-z0-9-]{16,64}$/.test(session)) {
          return sendError(res, 400, 'BAD_REQUEST', '缺少会话标识', 'Missing session id');
        }
        const body = await readBody(req);
        if (body === null) return sendError(res, 413, 'BAD_REQUEST', '请求过大', 'Request too large');
        let args: unknown;
        try {
          args = body.length ? JSON.parse(body) : {};
        } catch {
          return sendError(res, 400, 'BAD_REQUEST', '请求不是有效的 JSON', 'Request body is not valid JSON');
        }
        let name: string;
        try {
          name = decodeURIComponent(url.pathname.slice('/api/'.length));
        } catch {
          return sendError(res, 400, 'BAD_REQUEST', '路径无效', 'Malformed path');
        }
        const result = await options.backend.dispatch(name, args, `browser:${session}`);
        return send(res, 200, JSON.stringify(result));
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'BAD_REQUEST', '不支持的方法', 'Method not allowed');
      const found = files.lookup(url.pathname);
      if (found.kind === 'bad_request') return sendError(res, 400, 'BAD_REQUEST', '路径无效', 'Malformed path');
      if (found.kind === 'not_found') return sendError(res, 404, 'NOT_FOUND', '未找到', 'Not found');
      if (found.kind === 'not_built') {
        return send(res, 500, 'Renderer not built: run "npm run build" first. / 界面尚未构建，请先运行 npm run build', 'text/plain; charset=utf-8');
      }
      const file = found.path;
      res.writeHead(200, {
        'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-cache',
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
    } catch (error) {
      console.error('[ecrf] host error', error);
      if (!res.headersSent) sendError(res, 500, 'INTERNAL', '内部错误', 'Internal error');
    }
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    openUrl: `${url}#token=${token}`,
    token,
    port,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

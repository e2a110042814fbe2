// The UI's only door to the back end: window.ecrf from the Electron preload, or the loopback bridge in
// browser mode. Both implement the same EcrfApi; call() unwraps the envelope and throws ApiCallError.
import { CALL_NAMES, type CallArgs, type CallName, type CallResult, type EcrfApi } from '../../../shared/api/contract';
import type { ApiError, ApiResult } from '../../../shared/api/result';

declare global {
  interface Window {
    ecrf?: EcrfApi;
  }
}

export class ApiCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message.en);
    this.name = 'ApiCallError';
  }
}

const TOKEN_KEY = 'ecrf.bridgeToken';

/** Browser mode: the token arrives once in the URL fragment (#token=…), is kept for this tab, and removed from the address bar. */
function bridgeToken(): string | null {
  const match = /(?:^#|&)token=([0-9a-f]{16,128})/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function sessionId(): string {
  let id = sessionStorage.getItem('ecrf.session');
  if (!id) {
    id = crypto.randomUUID();
    sessionStorage.setItem('ecrf.session', id);
  }
  return id;
}

function browserBridge(token: string): EcrfApi {
  const session = sessionId();
  const call = async (name: string, args: unknown): Promise<ApiResult<unknown>> => {
    try {
      const response = await fetch(`api/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Ecrf-Token': token, 'X-Ecrf-Session': session },
        body: JSON.stringify(args ?? {}),
      });
      return (await response.json()) as ApiResult<unknown>;
    } catch {
      return {
        ok: false,
        error: {
          code: 'INTERNAL',
          message: { zh: '无法连接本机服务，数据未发送。请确认 eCRF 仍在运行。', en: 'Cannot reach the local service; nothing was sent. Is the eCRF still running?' },
        },
      };
    }
  };
  return Object.fromEntries(CALL_NAMES.map((name) => [name, (args: unknown) => call(name, args)])) as unknown as EcrfApi;
}

function pickTransport(): EcrfApi | null {
  if (window.ecrf) return window.ecrf;
  const token = bridgeToken();
  return token ? browserBridge(token) : null;
}

const transport = pickTransport();

export const hasTransport = transport !== null;

export async function call<K extends CallName>(name: K, args: CallArgs<K>): Promise<CallResult<K>> {
  if (!transport) {
    throw new ApiCallError({
      code: 'UNAUTHENTICATED',
      message: { zh: '缺少访问令牌：请使用启动时打印的完整网址打开。', en: 'Missing access token: open the full URL printed at start-up.' },
    });
  }
  const result = (await transport[name](args as never)) as ApiResult<CallResult<K>>;
  if (!result.ok) throw new ApiCallError(result.error);
  return result.value;
}

/** True when a call failed because the session is locked (15 min idle) or gone: the app returns to login. */
export function isSessionEnd(e: unknown): boolean {
  return e instanceof ApiCallError && (e.error.code === 'SESSION_LOCKED' || e.error.code === 'UNAUTHENTICATED');
}

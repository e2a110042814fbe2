// The single entry point both transports call: looks up the call, parses arguments with the
// contract's zod schema, checks access, runs the handler, and returns { ok, value } or a typed error.
import { z } from 'zod';
import { CONTRACT, isCallName, type CallName } from '../../../shared/api/contract';
import type { ApiResult } from '../../../shared/api/result';
import type { Access } from '../../../shared/api/define';
import type { User } from '../../../shared/api/calls/common';
import type { ValidationIssue } from '../../../shared/protocol/types';
import { AppError } from '../errors';
import type { Services } from '../backend';
import { handlers, type CallContext } from './handlers';


export type Transport = 'electron' | 'browser';

/** The only non-public call a user whose password an administrator set may make before changing it. */
const PASSWORD_CHANGE_CALLS: ReadonlySet<string> = new Set(['users.changeOwnPassword']);
export type Dispatch = (name: string, rawArgs: unknown, sessionKey: string) => Promise<ApiResult<unknown>>;

const err = (code: AppError['code'], zh: string, en: string, issues?: ValidationIssue[]) =>
  new AppError(code, { zh, en }, issues);

/** Turns zod issues on call arguments into bilingual validation issues naming the field. */
function argumentIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => {
    const field = issue.path.join('.') || '(arguments)';
    return {
      checkId: `api.${issue.code}`,
      fieldId: field,
      severity: 'error' as const,
      message: { zh: `字段 ${field} 无效：${issue.message}`, en: `Field ${field} is invalid: ${issue.message}` },
    };
  });
}

function allowed(access: Access, user: User | null): boolean {
  if (access === 'public') return true;
  if (!user) return false;
  if (access === 'user') return true;
  return access.includes(user.role);
}

export function createDispatcher(services: Services): Dispatch {
  return async (name, rawArgs, sessionKey) => {
    try {
      if (typeof name !== 'string' || !isCallName(name)) {
        throw err('BAD_REQUEST', `未知的调用：${String(name).slice(0, 60)}`, `Unknown call: ${String(name).slice(0, 60)}`);
      }
      const def = CONTRACT[name as CallName];
      let user: User | null = null;
      if (def.access !== 'public') {
        const state = services.sessions.touch(sessionKey);
        if (state === 'locked') {
          services.sessions.end(sessionKey);
          throw err('SESSION_LOCKED', '超过 15 分钟未操作，屏幕已锁定，请重新登录', 'Locked after 15 minutes idle; log in again');
        }
        if (!state) throw err('UNAUTHENTICATED', '请先登录', 'Please log in');
        user = state;
        // The account may have been locked or deactivated since the login (another session, the command line).
        const verdict = services.users.sessionVerdict(user.id);
        if (verdict === 'ended') {
          services.sessions.endForUser(user.id);
          throw err('UNAUTHENTICATED', '账户已锁定或停用，请重新登录或联系管理员', 'The account is locked or deactivated; log in again or ask an administrator');
        }
        if (verdict === 'must_change_password' && !PASSWORD_CHANGE_CALLS.has(name)) {
          throw err('PASSWORD_CHANGE_REQUIRED', '请先把管理员设置的密码改为您自己的密码', 'First replace the password an administrator set with one of your own');
        }
        if (!allowed(def.access, user)) {
          throw err('FORBIDDEN', '您的角色无权执行此操作', 'Your role is not allowed to do this');
        }
      } else {
        user = services.sessions.peek(sessionKey);
      }
      const parsed = def.args.safeParse(rawArgs ?? {});
      if (!parsed.success) {
        throw err('VALIDATION', '请求数据无效，未作任何更改', 'Invalid request; nothing was changed', argumentIssues(parsed.error));
      }
      const ctx: CallContext = { sessionKey, user };
      const handler = handlers[name as CallName] as (a: unknown, c: CallContext, s: Services) => unknown;
      const value = await handler(parsed.data, ctx, services);
      // The result schema strips anything the contract does not declare (e.g. allocation for blinded calls).
      return { ok: true, value: def.result.parse(value) };
    } catch (error) {
      if (error instanceof AppError) return { ok: false, error: error.toApiError() };
      const detail = error instanceof Error ? error.message : String(error);
      console.error(`[ecrf] ${String(name)} failed:`, error);
      return {
        ok: false,
        error: { code: 'INTERNAL', message: { zh: `内部错误，数据未更改：${detail}`, en: `Internal error, nothing was changed: ${detail}` } },
      };
    }
  };
}

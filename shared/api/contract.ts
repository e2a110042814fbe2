// The API contract between the UI and the back end: every call, its access rule and zod schemas.
// Both transports (Electron IPC and the browser-mode loopback bridge) carry exactly these calls.
import type { z } from 'zod';
import { authCalls } from './calls/auth';
import { clinicalCalls } from './calls/clinical';
import { exportCalls } from './calls/export';
import { formCalls } from './calls/forms';
import { subjectCalls } from './calls/subjects';
import { queryCalls } from './calls/queries';
import { auditCalls } from './calls/audit';
import { userCalls } from './calls/users';
import { lifecycleCalls } from './calls/lifecycle';
import { randomisationCalls } from './calls/randomisation';
import { backupCalls } from './calls/backup';
import { safetyCalls } from './calls/safety';
import { printCalls } from './calls/print';
import type { ApiResult } from './result';

export const CONTRACT = {
  ...authCalls,
  ...subjectCalls,
  ...formCalls,
  ...clinicalCalls,
  ...exportCalls,
  ...queryCalls,
  ...auditCalls,
  ...userCalls,
  ...lifecycleCalls,
  ...randomisationCalls,
  ...backupCalls,
  ...safetyCalls,
  ...printCalls,
} as const;

export type Contract = typeof CONTRACT;
export type CallName = keyof Contract;
export type CallArgs<K extends CallName> = z.input<Contract[K]['args']>;
export type CallResult<K extends CallName> = z.output<Contract[K]['result']>;

export const CALL_NAMES = Object.keys(CONTRACT) as CallName[];

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(CONTRACT, name);
}

/** The object the preload exposes as window.ecrf and the browser bridge implements: one function per call. */
export type EcrfApi = { [K in CallName]: (args: CallArgs<K>) => Promise<ApiResult<CallResult<K>>> };

// Every call of the API contract, implemented over the services: one handler group per contract module.
import type { CallName } from '../../../shared/api/contract';
import { authHandlers } from './handlers/authHandlers';
import { clinicalHandlers } from './handlers/clinicalHandlers';
import { exportHandlers } from './handlers/exportHandlers';
import { formHandlers } from './handlers/formHandlers';
import { subjectHandlers } from './handlers/subjectHandlers';
import { queryHandlers } from './handlers/queriesHandlers';
import { auditHandlers } from './handlers/auditHandlers';
import { userHandlers } from './handlers/usersHandlers';
import { lifecycleHandlers } from './handlers/lifecycleHandlers';
import { randomisationHandlers } from './handlers/randomisationHandlers';
import { backupHandlers } from './handlers/backupHandlers';
import { safetyHandlers } from './handlers/safetyHandlers';
import { printHandlers } from './handlers/printHandlers';

export type { CallContext } from './handlerTypes';

export const handlers = {
  ...authHandlers,
  ...subjectHandlers,
  ...formHandlers,
  ...clinicalHandlers,
  ...exportHandlers,
  ...queryHandlers,
  ...auditHandlers,
  ...userHandlers,
  ...lifecycleHandlers,
  ...randomisationHandlers,
  ...backupHandlers,
  ...safetyHandlers,
  ...printHandlers,
} satisfies Record<CallName, unknown>;

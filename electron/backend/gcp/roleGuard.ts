// Per-service permission checks: the back end re-checks the role even after the contract's access rule.
import type { Role, User } from '../../../shared/api/calls/common';
import { fail } from '../errors';

/** Roles that never see the treatment allocation. */
export const isBlinded = (user: Pick<User, 'role'>): boolean => user.role !== 'pharmacist';

export function requireRole(user: User, roles: readonly Role[]): void {
  if (!roles.includes(user.role)) fail('FORBIDDEN', '您的角色无权执行此操作', 'Your role is not allowed to do this');
}

// User administration by the admin: list accounts, create with a role, unlock, deactivate, reset a password; all audited.
import type { Role, User } from '../../../shared/api/calls/common';
import type { AuditTrail } from '../audit/auditTrail';
import { stamp } from '../audit/clock';
import { hashPassword } from '../auth/password';
import type { Db } from '../db/connection';
import { fail } from '../errors';
import type { UserService } from '../services/userService';
import { requireRole } from './roleGuard';

export interface UserAccount extends User {
  locked: boolean;
  active: boolean;
  failedAttempts: number;
  createdAt: string;
  passwordChangedAt: string;
}

interface Row {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  failed_attempts: number;
  locked: number;
  active: number;
  created_at: string;
  password_changed_at: string;
}

const toAccount = (r: Row): UserAccount => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  locked: r.locked === 1,
  active: r.active === 1,
  failedAttempts: r.failed_attempts,
  createdAt: r.created_at,
  passwordChangedAt: r.password_changed_at,
});

export class UserAdminService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditTrail,
    private readonly users: UserService,
  ) {}

  list(actor: User): UserAccount[] {
    requireRole(actor, ['admin']);
    return (this.db.prepare('SELECT * FROM users ORDER BY id').all() as Row[]).map(toAccount);
  }

  private row(id: number): Row {
    return (this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as Row | undefined) ?? fail('NOT_FOUND', `用户 ${id} 不存在`, `User ${id} not found`);
  }

  async create(input: { username: string; displayName: string; password: string; role: Role }, actor: User): Promise<UserAccount> {
    requireRole(actor, ['admin']);
    const user = await this.users.createUser(input, actor);
    return toAccount(this.row(user.id));
  }

  private update(id: number, actor: User, set: string, params: unknown[], what: string, oldValue: string, newValue: string): UserAccount {
    const at = stamp();
    this.db.transaction(() => {
      const target = this.row(id);
      this.db.prepare(`UPDATE users SET ${set} WHERE id = ?`).run(...params, id);
      this.audit.append(
        { userId: actor.id, username: actor.username, action: 'user.update', itemCode: what, oldValue, newValue, details: { target: target.username } },
        at,
      );
    }).immediate();
    return toAccount(this.row(id));
  }

  unlock(id: number, actor: User): UserAccount {
    requireRole(actor, ['admin']);
    const target = this.row(id);
    if (!target.locked) fail('CONFLICT', `账户 ${target.username} 未被锁定`, `Account ${target.username} is not locked`);
    return this.update(id, actor, 'locked = 0, failed_attempts = 0', [], 'locked', 'true', 'false');
  }

  deactivate(id: number, actor: User): UserAccount {
    requireRole(actor, ['admin']);
    const target = this.row(id);
    if (target.id === actor.id) fail('FORBIDDEN', '不能停用自己的账户', 'You cannot deactivate your own account');
    if (!target.active) fail('CONFLICT', `账户 ${target.username} 已停用`, `Account ${target.username} is already deactivated`);
    return this.update(id, actor, 'active = 0', [], 'active', 'true', 'false');
  }

  reactivate(id: number, actor: User): UserAccount {
    requireRole(actor, ['admin']);
    const target = this.row(id);
    if (target.active) fail('CONFLICT', `账户 ${target.username} 已是启用状态`, `Account ${target.username} is already active`);
    return this.update(id, actor, 'active = 1', [], 'active', 'false', 'true');
  }

  /** Sets a new password chosen by the admin (the user should change it); also clears a lockout. */
  async resetPassword(id: number, password: string, actor: User): Promise<UserAccount> {
    requireRole(actor, ['admin']);
    this.row(id);
    const hash = await hashPassword(password);
    const at = stamp();
    // The hash itself never enters the audit trail.
    return this.update(id, actor, 'password_hash = ?, password_changed_at = ?, locked = 0, failed_attempts = 0', [hash, at.utc], 'password', '(hidden)', '(reset)');
  }
}

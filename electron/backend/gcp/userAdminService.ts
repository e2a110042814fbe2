// User administration by the admin: list accounts, create with a role, edit, unlock, deactivate, reset a password;
// any user changes their own password. Every change is audited; deactivation and role changes end open sessions.
import type { Role, User } from '../../../shared/api/calls/common';
import type { UserAccount } from '../../../shared/api/calls/users';
import type { AuditTrail } from '../audit/auditTrail';
import { stamp } from '../audit/clock';
import { hashPassword } from '../auth/password';
import { checkPasswordPolicy } from '../auth/passwordPolicy';
import type { SessionStore } from '../auth/sessions';
import type { Db } from '../db/connection';
import { fail } from '../errors';
import type { UserService } from '../services/userService';
import type { AllocationVault } from './allocationVault';
import { requireRole } from './roleGuard';

export type { UserAccount };

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

/** Who makes a change: a logged-in admin (or the user themself), or the local operator at the command line (no user id). */
type Actor = { id: number | null; username: string };

/** The person at this computer running `ecrf users …` (recovery when no admin can log in); audited under this name. */
export const LOCAL_OPERATOR: Actor = { id: null, username: 'ecrf-cli (local operator)' };

/** One column change: the SQL assignment, its parameters, and what the audit row shows (never a hash). */
interface Change {
  item: string;
  set: string;
  params: unknown[];
  oldValue: string;
  newValue: string;
  /** Why this change drops the account's key to the allocation list, if it does. */
  revokesListKey?: string;
}

export class UserAdminService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditTrail,
    private readonly users: UserService,
    private readonly sessions: SessionStore,
    private readonly vault: AllocationVault,
  ) {}

  list(actor: User): UserAccount[] {
    requireRole(actor, ['admin']);
    return this.operatorList();
  }

  /** Every account (never the password hash), for the admin screen and `ecrf users list` at the command line. */
  operatorList(): UserAccount[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY id').all() as Row[]).map(toAccount);
  }

  private row(id: number): Row {
    return (this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as Row | undefined) ?? fail('NOT_FOUND', `用户 ${id} 不存在`, `User ${id} not found`);
  }

  /** Refuses a change that would leave no active administrator (checked inside the write transaction). */
  private keepAnAdmin(target: Row): void {
    if (target.role !== 'admin' || !target.active) return;
    const admins = this.db.prepare("SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1").pluck().get() as number;
    if (admins <= 1) {
      fail('FORBIDDEN', `${target.username} 是唯一的在用管理员，不能停用或更改其角色`, `${target.username} is the only active administrator and cannot be deactivated or given another role`);
    }
  }

  async create(input: { username: string; displayName: string; password: string; role: Role }, actor: User): Promise<UserAccount> {
    requireRole(actor, ['admin']);
    const user = await this.users.createUser(input, actor, { mustChange: true });
    return toAccount(this.row(user.id));
  }

  /**
   * Applies the changes in one transaction with one 'user.update' audit row per changed column. A change that makes
   * the account's key to the allocation list untrustworthy (a password someone else set, deactivation, another role)
   * drops that key in the same transaction.
   */
  private apply(id: number, actor: Actor, changes: (target: Row) => Change[]): UserAccount {
    const at = stamp();
    this.db.transaction(() => {
      const target = this.row(id);
      const list = changes(target);
      if (list.length === 0) return;
      const revokes = list.filter((c) => c.revokesListKey);
      if (revokes.length) this.vault.revoke(target.id, target.username, revokes.map((c) => c.revokesListKey).join('; '), actor);
      this.db.prepare(`UPDATE users SET ${list.map((c) => c.set).join(', ')} WHERE id = ?`).run(...list.flatMap((c) => c.params), id);
      this.audit.append(
        list.map((c) => ({
          userId: actor.id,
          username: actor.username,
          action: 'user.update' as const,
          itemCode: c.item,
          oldValue: c.oldValue,
          newValue: c.newValue,
          details: { target: target.username },
        })),
        at,
      );
    }).immediate();
    return toAccount(this.row(id));
  }

  update(id: number, input: { displayName?: string | undefined; role?: Role | undefined }, actor: User): UserAccount {
    requireRole(actor, ['admin']);
    let roleChanged = false;
    const account = this.apply(id, actor, (target) => {
      const list: Change[] = [];
      if (input.displayName !== undefined && input.displayName !== target.display_name) {
        list.push({ item: 'display_name', set: 'display_name = ?', params: [input.displayName], oldValue: target.display_name, newValue: input.displayName });
      }
      if (input.role !== undefined && input.role !== target.role) {
        this.keepAnAdmin(target);
        roleChanged = true;
        list.push({ item: 'role', set: 'role = ?', params: [input.role], oldValue: target.role, newValue: input.role, revokesListKey: 'role changed' });
      }
      if (list.length === 0) fail('CONFLICT', '没有需要保存的更改', 'Nothing to change');
      return list;
    });
    // A new role takes effect at the next login: open sessions would still carry the old one.
    if (roleChanged) this.sessions.endForUser(id);
    else this.sessions.refreshUser({ id: account.id, username: account.username, displayName: account.displayName, role: account.role });
    return account;
  }

  unlock(id: number, actor: User): UserAccount {
    requireRole(actor, ['admin']);
    return this.apply(id, actor, (target) => {
      if (!target.locked) fail('CONFLICT', `账户 ${target.username} 未被锁定`, `Account ${target.username} is not locked`);
      return [{ item: 'locked', set: 'locked = 0, failed_attempts = 0', params: [], oldValue: 'true', newValue: 'false' }];
    });
  }

  deactivate(id: number, actor: User): UserAccount {
    requireRole(actor, ['admin']);
    const account = this.apply(id, actor, (target) => {
      if (target.id === actor.id) fail('FORBIDDEN', '不能停用自己的账户', 'You cannot deactivate your own account');
      if (!target.active) fail('CONFLICT', `账户 ${target.username} 已停用`, `Account ${target.username} is already deactivated`);
      this.keepAnAdmin(target);
      return [{ item: 'active', set: 'active = 0', params: [], oldValue: 'true', newValue: 'false', revokesListKey: 'deactivated' }];
    });
    this.sessions.endForUser(id);
    return account;
  }

  reactivate(id: number, actor: User): UserAccount {
    requireRole(actor, ['admin']);
    return this.apply(id, actor, (target) => {
      if (target.active) fail('CONFLICT', `账户 ${target.username} 已是启用状态`, `Account ${target.username} is already active`);
      return [{ item: 'active', set: 'active = 1', params: [], oldValue: 'false', newValue: 'true' }];
    });
  }

  /**
   * Sets a new password chosen by the admin (the user should change it); also clears a lockout. The user's open
   * sessions end (a reset often follows a suspected compromise).
   */
  async resetPassword(id: number, password: string, actor: User): Promise<UserAccount> {
    requireRole(actor, ['admin']);
    checkPasswordPolicy(password, this.row(id).username);
    const hash = await hashPassword(password);
    const at = stamp();
    // The hash itself never enters the audit trail.
    const account = this.apply(id, actor, () => [
      { item: 'password', set: 'password_hash = ?, password_changed_at = ?, locked = 0, failed_attempts = 0, must_change_password = 1', params: [hash, at.utc], oldValue: '(hidden)', newValue: '(reset by admin)', revokesListKey: 'password reset by an administrator' },
    ]);
    this.sessions.endForUser(id);
    return account;
  }

  private byUsername(username: string): Row {
    return (
      (this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as Row | undefined) ??
      fail('NOT_FOUND', `用户 ${username} 不存在`, `User ${username} not found`)
    );
  }

  /** Command-line recovery (e.g. the only admin is locked out): clears a lockout and reactivates, audited as the local operator. */
  operatorUnlock(username: string): UserAccount {
    const target = this.byUsername(username);
    return this.apply(target.id, LOCAL_OPERATOR, (row) => {
      const list: Change[] = [];
      if (row.locked || row.failed_attempts > 0) list.push({ item: 'locked', set: 'locked = 0, failed_attempts = 0', params: [], oldValue: String(row.locked === 1), newValue: 'false' });
      if (!row.active) list.push({ item: 'active', set: 'active = 1', params: [], oldValue: 'false', newValue: 'true' });
      if (list.length === 0) fail('CONFLICT', `账户 ${row.username} 未被锁定，也未停用`, `Account ${row.username} is neither locked nor deactivated`);
      return list;
    });
  }

  /** Command-line recovery of a forgotten password (the operator has the database file); also clears a lockout. */
  async operatorResetPassword(username: string, password: string): Promise<UserAccount> {
    const target = this.byUsername(username);
    checkPasswordPolicy(password, target.username);
    const hash = await hashPassword(password);
    const at = stamp();
    return this.apply(target.id, LOCAL_OPERATOR, () => [
      { item: 'password', set: 'password_hash = ?, password_changed_at = ?, locked = 0, failed_attempts = 0, must_change_password = 1', params: [hash, at.utc], oldValue: '(hidden)', newValue: '(reset at the command line)', revokesListKey: 'password reset at the command line' },
    ]);
  }

  /** Any user: confirms the old password (REAUTH_FAILED keeps the session), then stores the new one. */
  async changeOwnPassword(oldPassword: string, newPassword: string, actor: User): Promise<null> {
    if (oldPassword === newPassword) fail('VALIDATION', '新密码不能与旧密码相同', 'The new password must differ from the old one');
    checkPasswordPolicy(newPassword, actor.username);
    await this.users.reauthenticate(actor, oldPassword);
    const hash = await hashPassword(newPassword);
    const at = stamp();
    this.apply(actor.id, actor, () => {
      // The same key to the allocation list, now wrapped under the new password (the old one was just checked).
      this.vault.rewrap(actor, oldPassword, newPassword);
      return [
        { item: 'password', set: 'password_hash = ?, password_changed_at = ?, must_change_password = 0', params: [hash, at.utc], oldValue: '(hidden)', newValue: '(changed by user)' },
      ];
    });
    const refreshed = this.users.byId(actor.id);
    if (refreshed) this.sessions.refreshUser(refreshed);
    return null;
  }
}

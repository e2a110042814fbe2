// Users: the first-run admin account, login with lockout after 5 failed attempts, user lookup.
import type { Role, User } from '../../../shared/api/calls/common';
import type { AuditTrail } from '../audit/auditTrail';
import { stamp } from '../audit/clock';
import { hashPassword, verifyPassword } from '../auth/password';
import type { Db } from '../db/connection';
import { fail } from '../errors';

export const MAX_FAILED_LOGINS = 5;

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  failed_attempts: number;
  locked: number;
  active: number;
}

const toUser = (row: UserRow): User => ({ id: row.id, username: row.username, displayName: row.display_name, role: row.role });

export class UserService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditTrail,
  ) {}

  needsSetup(): boolean {
    return (this.db.prepare('SELECT COUNT(*) FROM users').pluck().get() as number) === 0;
  }

  byId(id: number): User | null {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  async createUser(
    input: { username: string; displayName: string; password: string; role: Role },
    actor: User | null,
  ): Promise<User> {
    const hash = await hashPassword(input.password);
    const at = stamp();
    return this.db.transaction(() => {
      const exists = this.db.prepare('SELECT 1 FROM users WHERE username = ?').get(input.username);
      if (exists) fail('CONFLICT', `用户名 ${input.username} 已存在`, `Username ${input.username} is already taken`);
      const id = Number(
        this.db
          .prepare(
            `INSERT INTO users (username, display_name, role, password_hash, created_at, password_changed_at)
             VALUES (?, ?, ?, ?, ?, ?)`,
          )
          .run(input.username, input.displayName, input.role, hash, at.utc, at.utc).lastInsertRowid,
      );
      this.audit.append(
        {
          userId: actor?.id ?? id,
          username: actor?.username ?? input.username,
          action: 'user.create',
          newValue: input.username,
          details: { role: input.role, displayName: input.displayName },
        },
        at,
      );
      return { id, username: input.username, displayName: input.displayName, role: input.role };
    }).immediate();
  }

  /** First run only: creates the administrator. Refused once any user exists. */
  async setupAdmin(input: { username: string; displayName: string; password: string }): Promise<User> {
    if (!this.needsSetup()) fail('FORBIDDEN', '管理员账户已创建', 'The administrator account already exists');
    return this.createUser({ ...input, role: 'admin' }, null);
  }

  /** Checks the password; 5 consecutive failures lock the account until an administrator unlocks it. */
  async authenticate(username: string, password: string): Promise<User> {
    const row = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
    const badCredentials = () => fail('UNAUTHENTICATED', '用户名或密码错误', 'Wrong username or password');
    if (!row || !row.active) {
      this.audit.append({ username, action: 'login.failed', details: { reason: 'unknown_user' } });
      return badCredentials();
    }
    if (row.locked) {
      this.audit.append({ userId: row.id, username: row.username, action: 'login.failed', details: { reason: 'locked' } });
      return fail('LOCKED_OUT', '账户已锁定（连续 5 次密码错误），请联系管理员解锁', 'Account locked after 5 failed attempts; ask an administrator to unlock it');
    }
    const ok = await verifyPassword(password, row.password_hash);
    if (!ok) {
      const attempts = row.failed_attempts + 1;
      const lock = attempts >= MAX_FAILED_LOGINS;
      this.db.transaction(() => {
        this.db.prepare('UPDATE users SET failed_attempts = ?, locked = ? WHERE id = ?').run(attempts, lock ? 1 : 0, row.id);
        this.audit.append({ userId: row.id, username: row.username, action: 'login.failed', details: { attempts } });
        if (lock) this.audit.append({ userId: row.id, username: row.username, action: 'login.lockout', details: { attempts } });
      })();
      if (lock) {
        return fail('LOCKED_OUT', '密码连续错误 5 次，账户已锁定，请联系管理员', 'Five wrong passwords: the account is now locked; ask an administrator');
      }
      return badCredentials();
    }
    this.db.transaction(() => {
      this.db.prepare('UPDATE users SET failed_attempts = 0 WHERE id = ?').run(row.id);
      this.audit.append({ userId: row.id, username: row.username, action: 'login' });
    })();
    return toUser(row);
  }

  /** Re-checks the password of a logged-in user (e-signature, unblinding) without counting as a login. */
  async reauthenticate(user: User, password: string): Promise<void> {
    const row = this.db.prepare('SELECT password_hash FROM users WHERE id = ?').get(user.id) as
      | { password_hash: string }
      | undefined;
    if (!row || !(await verifyPassword(password, row.password_hash))) {
      this.audit.append({ userId: user.id, username: user.username, action: 'login.failed', details: { reason: 'reauthentication' } });
      fail('REAUTH_FAILED', '密码错误，请重新输入您本人的登录密码', 'Wrong password: re-enter your own login password');
    }
  }
}

// Users: the first-run admin account, login with lockout after 5 failed attempts, re-authentication, user lookup.
// Every password check first reserves an attempt in one IMMEDIATE transaction (the lockout is decided there, before
// the slow scrypt), so parallel attempts cannot race past the limit; an unknown, inactive or locked account is
// checked against a dummy hash and answered with the same words, so neither time nor text tells them apart.
import { randomBytes } from 'node:crypto';
import type { Role, User } from '../../../shared/api/calls/common';
import type { AuditTrail } from '../audit/auditTrail';
import { stamp } from '../audit/clock';
import { hashPassword, verifyPassword } from '../auth/password';
import { checkPasswordPolicy } from '../auth/passwordPolicy';
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
  must_change_password: number;
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  ...(row.must_change_password ? { mustChangePassword: true } : {}),
});

/** One answer for every failed login: a wrong password, an unknown, deactivated or locked account. */
export const LOGIN_REFUSED = {
  zh: '用户名或密码错误。连续 5 次密码错误后账户将被锁定，需管理员解锁',
  en: 'Wrong username or password. After 5 wrong passwords an account is locked until an administrator unlocks it',
} as const;

/** What the state of an account means for its open sessions. */
export type SessionVerdict = 'ok' | 'must_change_password' | 'ended';

/** A hash of a random password with the real parameters: unknown users cost the same scrypt as known ones. */
let dummyHash: Promise<string> | null = null;
const dummy = () => (dummyHash ??= hashPassword(randomBytes(24).toString('base64')));

export class UserService {
  private endSessions: (userId: number) => void = () => {};
  /** Password checks of one account run one after another in this process (parallel requests queue up). */
  private readonly checking = new Map<number, Promise<unknown>>();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditTrail,
  ) {
    void dummy();
  }

  /** Called when an account is locked: its open sessions end at once. */
  onLocked(endSessions: (userId: number) => void): void {
    this.endSessions = endSessions;
  }

  needsSetup(): boolean {
    return (this.db.prepare('SELECT COUNT(*) FROM users').pluck().get() as number) === 0;
  }

  byId(id: number): User | null {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  /** Whether a session of this user may go on: an account deactivated, locked or gone ends it. */
  sessionVerdict(userId: number): SessionVerdict {
    const row = this.db.prepare('SELECT active, locked, must_change_password FROM users WHERE id = ?').get(userId) as
      | Pick<UserRow, 'active' | 'locked' | 'must_change_password'>
      | undefined;
    if (!row || !row.active || row.locked) return 'ended';
    return row.must_change_password ? 'must_change_password' : 'ok';
  }

  /**
   * Creates an account. `mustChange`: the password was chosen by someone else (an administrator), so its owner must
   * replace it at the first login. `firstRun`: refused unless the users table is still empty (checked in the write
   * transaction, so concurrent first-run setups create exactly one administrator).
   */
  async createUser(
    input: { username: string; displayName: string; password: string; role: Role },
    actor: User | null,
    options: { mustChange?: boolean; firstRun?: boolean } = {},
  ): Promise<User> {
    checkPasswordPolicy(input.password, input.username);
    const hash = await hashPassword(input.password);
    const at = stamp();
    return this.db.transaction(() => {
      if (options.firstRun && !this.needsSetup()) fail('FORBIDDEN', '管理员账户已创建', 'The administrator account already exists');
      const exists = this.db.prepare('SELECT 1 FROM users WHERE username = ?').get(input.username);
      if (exists) fail('CONFLICT', `用户名 ${input.username} 已存在`, `Username ${input.username} is already taken`);
      const id = Number(
        this.db
          .prepare(
            `INSERT INTO users (username, display_name, role, password_hash, created_at, password_changed_at, must_change_password)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(input.username, input.displayName, input.role, hash, at.utc, at.utc, options.mustChange ? 1 : 0).lastInsertRowid,
      );
      this.audit.append(
        {
          userId: actor?.id ?? id,
          username: actor?.username ?? input.username,
          action: 'user.create',
          newValue: input.username,
          details: { role: input.role, displayName: input.displayName, ...(options.mustChange ? { mustChangePassword: true } : {}) },
        },
        at,
      );
      return toUser(this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow);
    }).immediate();
  }

  /** First run only: creates the administrator. Refused once any user exists, also under concurrent requests. */
  async setupAdmin(input: { username: string; displayName: string; password: string }): Promise<User> {
    if (!this.needsSetup()) fail('FORBIDDEN', '管理员账户已创建', 'The administrator account already exists');
    return this.createUser({ ...input, role: 'admin' }, null, { firstRun: true });
  }

  /**
   * Reserves one attempt before the password is checked, in one IMMEDIATE transaction: the attempt counter goes up
   * first (so attempts in flight count), and an account that already has MAX_FAILED_LOGINS is locked here and its
   * sessions end. Returns the row to check the password against, or null (unknown, inactive or locked).
   */
  private reserveAttempt(where: { username: string } | { id: number }): UserRow | null {
    let lockedNow: UserRow | null = null;
    const row = this.db
      .transaction((): UserRow | null => {
        const found = ('id' in where
          ? this.db.prepare('SELECT * FROM users WHERE id = ?').get(where.id)
          : this.db.prepare('SELECT * FROM users WHERE username = ?').get(where.username)) as UserRow | undefined;
        if (!found || !found.active || found.locked) return null;
        if (found.failed_attempts >= MAX_FAILED_LOGINS) {
          this.db.prepare('UPDATE users SET locked = 1 WHERE id = ?').run(found.id);
          this.audit.append({ userId: found.id, username: found.username, action: 'login.lockout', details: { attempts: found.failed_attempts } });
          lockedNow = found;
          return null;
        }
        this.db.prepare('UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = ?').run(found.id);
        return found;
      })
      .immediate();
    if (lockedNow) this.endSessions((lockedNow as UserRow).id);
    return row;
  }

  /** After a wrong password: audits it and locks the account once the reserved attempts reach the limit. */
  private recordFailure(row: UserRow, reason: 'wrong_password' | 'reauthentication'): boolean {
    const locked = this.db
      .transaction((): boolean => {
        const now = this.db.prepare('SELECT failed_attempts, locked FROM users WHERE id = ?').get(row.id) as Pick<UserRow, 'failed_attempts' | 'locked'>;
        this.audit.append({ userId: row.id, username: row.username, action: 'login.failed', details: { reason, attempts: now.failed_attempts } });
        if (now.locked) return true;
        if (now.failed_attempts < MAX_FAILED_LOGINS) return false;
        this.db.prepare('UPDATE users SET locked = 1 WHERE id = ?').run(row.id);
        this.audit.append({ userId: row.id, username: row.username, action: 'login.lockout', details: { attempts: now.failed_attempts } });
        return true;
      })
      .immediate();
    if (locked) this.endSessions(row.id);
    return locked;
  }

  /** After the right password: clears the counter, unless the account was locked or deactivated meanwhile. */
  private recordSuccess(row: UserRow, action: 'login' | null): UserRow | null {
    return this.db
      .transaction((): UserRow | null => {
        const now = this.db.prepare('SELECT * FROM users WHERE id = ?').get(row.id) as UserRow | undefined;
        if (!now || !now.active || now.locked) return null;
        this.db.prepare('UPDATE users SET failed_attempts = 0 WHERE id = ?').run(row.id);
        if (action) this.audit.append({ userId: row.id, username: row.username, action });
        return now;
      })
      .immediate();
  }

  /**
   * Runs `check` after every earlier check of the same account in this process: the attempt counter then counts
   * exactly (a run of parallel right passwords never locks an account), and across processes the reservation in the
   * database still bounds the guesses.
   */
  private async oneAtATime<T>(userId: number | undefined, check: () => Promise<T>): Promise<T> {
    if (userId === undefined) return check();
    const before = this.checking.get(userId) ?? Promise.resolve();
    const run = before.then(check, check);
    const settled = run.catch(() => undefined);
    this.checking.set(userId, settled);
    void settled.then(() => {
      if (this.checking.get(userId) === settled) this.checking.delete(userId);
    });
    return run;
  }

  private idOf(username: string): number | undefined {
    return this.db.prepare('SELECT id FROM users WHERE username = ?').pluck().get(username) as number | undefined;
  }

  /** Checks the password; 5 wrong passwords in a row lock the account until an administrator unlocks it. */
  async authenticate(username: string, password: string): Promise<User> {
    const refused = () => fail('UNAUTHENTICATED', LOGIN_REFUSED.zh, LOGIN_REFUSED.en);
    const outcome = await this.oneAtATime(this.idOf(username), async (): Promise<User | 'refused' | 'wrong'> => {
      const row = this.reserveAttempt({ username });
      if (!row) return 'refused';
      if (!(await verifyPassword(password, row.password_hash))) {
        this.recordFailure(row, 'wrong_password');
        return 'wrong';
      }
      const now = this.recordSuccess(row, 'login');
      if (!now) {
        this.audit.append({ userId: row.id, username: row.username, action: 'login.failed', details: { reason: 'refused' } });
        return 'wrong';
      }
      return toUser(now);
    });
    if (outcome === 'refused') {
      // Unknown, deactivated or locked: the same scrypt work and the same words as a wrong password.
      await verifyPassword(password, await dummy());
      this.audit.append({ username, action: 'login.failed', details: { reason: 'refused' } });
      return refused();
    }
    if (outcome === 'wrong') return refused();
    return outcome;
  }

  /**
   * The grantee of a key to the list, typing their own password at the granting pharmacist's side: checked like a
   * login (counts toward the lockout, same answer for unknown users), but opens no session; their password must be
   * their own (not one an administrator set).
   */
  async authenticateForGrant(username: string, password: string): Promise<User> {
    const user = await this.authenticate(username, password);
    if (user.mustChangePassword) {
      fail('CONFLICT', `${user.username} 须先登录并把管理员设置的密码改为自己的密码`, `${user.username} must first log in and replace the password an administrator set with their own`);
    }
    return user;
  }

  /**
   * Re-checks the password of a logged-in user (e-signature, randomisation, unblinding, own password change). A wrong
   * password counts toward the lockout like a failed login; the fifth locks the account and ends its sessions.
   */
  async reauthenticate(user: User, password: string): Promise<void> {
    const outcome = await this.oneAtATime(user.id, async (): Promise<'ok' | 'refused' | 'wrong' | 'locked'> => {
      const row = this.reserveAttempt({ id: user.id });
      if (!row) return 'refused';
      if (!(await verifyPassword(password, row.password_hash))) return this.recordFailure(row, 'reauthentication') ? 'locked' : 'wrong';
      return this.recordSuccess(row, null) ? 'ok' : 'refused';
    });
    switch (outcome) {
      case 'ok':
        return;
      case 'refused':
        await verifyPassword(password, await dummy());
        return fail('LOCKED_OUT', '账户已锁定或停用，请联系管理员', 'The account is locked or deactivated; ask an administrator');
      case 'locked':
        return fail('LOCKED_OUT', '密码连续错误 5 次，账户已锁定，请联系管理员', 'Five wrong passwords: the account is now locked; ask an administrator');
      case 'wrong':
        return fail('REAUTH_FAILED', '密码错误，请重新输入您本人的登录密码', 'Wrong password: re-enter your own login password');
    }
  }
}

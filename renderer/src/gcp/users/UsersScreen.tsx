// The admin's user administration screen (用户管理): every account with role and state, create, edit, reset password,
// unlock, deactivate / reactivate; the back end keeps one active admin and ends a deactivated user's sessions.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserAccount } from '../../../../shared/api/calls/users';
import { call, isSessionEnd } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useSession } from '../../session';
import { wardDateTime } from '../../../../shared/rules/wardClock';
import { CreateUserDialog, EditUserDialog, ResetPasswordDialog } from './UserDialogs';

type Dialog = { kind: 'create' } | { kind: 'edit' | 'reset'; account: UserAccount } | null;

export function UsersScreen({ onBack, onSessionLost }: { onBack(): void; onSessionLost(): void }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const [accounts, setAccounts] = useState<UserAccount[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  /** The last action, translated when shown so it follows the language toggle. */
  const [notice, setNotice] = useState<{ key: string; username: string } | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);

  const fail = useCallback((e: unknown) => (isSessionEnd(e) ? onSessionLost() : setError(e)), [onSessionLost]);
  const load = useCallback(() => {
    call('users.list', {}).then(setAccounts, fail);
  }, [fail]);
  useEffect(load, [load]);

  const done = (key: string) => (account: UserAccount) => {
    setDialog(null);
    setError(null);
    setNotice({ key, username: account.username });
    load();
  };
  const act = (name: 'users.unlock' | 'users.deactivate' | 'users.reactivate', account: UserAccount, key: string) => {
    if (name === 'users.deactivate' && !window.confirm(t('users.deactivateConfirm', { username: account.username }))) return;
    setNotice(null);
    call(name, { userId: account.id }).then(done(key), fail);
  };

  return (
    <section className="card users-screen">
      <div className="form-head">
        <button type="button" className="link-button" onClick={onBack}>
          {t('users.back')}
        </button>
        <h1>{t('users.title')}</h1>
        <p className="muted">{t('users.intro')}</p>
      </div>
      <div className="users-toolbar">
        <button type="button" className="btn btn-primary" onClick={() => setDialog({ kind: 'create' })} data-testid="user-create-open">
          ＋ {t('users.create')}
        </button>
        {notice && (
          <span className="banner banner-ok" role="status" data-testid="users-notice">
            {t(`users.done_${notice.key}`, { username: notice.username })}
          </span>
        )}
      </div>
      <ErrorBanner error={error} />
      {accounts && (
        <table className="clin-table users-table" data-testid="users-table">
          <thead>
            <tr>
              <th>{t('users.username')}</th>
              <th>{t('users.displayName')}</th>
              <th>{t('users.role')}</th>
              <th>{t('users.state')}</th>
              <th>{t('users.createdAt')}</th>
              <th>{t('users.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id} data-testid={`user-row-${a.username}`} className={a.active ? undefined : 'user-inactive'}>
                <td className="mono">
                  {a.username} {a.id === user.id && <span className="muted small">{t('users.you')}</span>}
                </td>
                <td>{a.displayName}</td>
                <td>
                  <span className="role-tag">{t(`roles.${a.role}`)}</span>
                </td>
                <td>
                  {!a.active ? (
                    <span className="user-state user-state-off">{t('users.inactive')}</span>
                  ) : a.locked ? (
                    <span className="user-state user-state-locked">⚠ {t('users.locked', { count: a.failedAttempts })}</span>
                  ) : (
                    <span className="user-state user-state-on">{t('users.active')}</span>
                  )}
                </td>
                <td className="nowrap">{wardDateTime(a.createdAt)}</td>
                <td>
                  <div className="user-actions">
                    <button type="button" className="btn btn-small" onClick={() => setDialog({ kind: 'edit', account: a })} data-testid="user-edit-open">
                      {t('users.edit')}
                    </button>
                    <button type="button" className="btn btn-small" onClick={() => setDialog({ kind: 'reset', account: a })} data-testid="user-reset-open">
                      {t('users.resetPassword')}
                    </button>
                    {a.locked && (
                      <button type="button" className="btn btn-small" onClick={() => act('users.unlock', a, 'unlocked')} data-testid="user-unlock">
                        {t('users.unlock')}
                      </button>
                    )}
                    {a.id !== user.id &&
                      (a.active ? (
                        <button type="button" className="btn btn-small btn-deactivate" onClick={() => act('users.deactivate', a, 'deactivated')} data-testid="user-deactivate">
                          {t('users.deactivate')}
                        </button>
                      ) : (
                        <button type="button" className="btn btn-small" onClick={() => act('users.reactivate', a, 'reactivated')} data-testid="user-reactivate">
                          {t('users.reactivate')}
                        </button>
                      ))}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {dialog?.kind === 'create' && <CreateUserDialog onDone={done('created')} onCancel={() => setDialog(null)} onSessionLost={onSessionLost} />}
      {dialog?.kind === 'edit' && (
        <EditUserDialog account={dialog.account} onDone={done('updated')} onCancel={() => setDialog(null)} onSessionLost={onSessionLost} />
      )}
      {dialog?.kind === 'reset' && (
        <ResetPasswordDialog account={dialog.account} onDone={done('reset')} onCancel={() => setDialog(null)} onSessionLost={onSessionLost} />
      )}
    </section>
  );
}

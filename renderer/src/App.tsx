// Top-level flow: first-run setup, login, then the study screens; the language toggle is always visible.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../shared/api/calls/common';
import type { CallResult } from '../../shared/api/contract';
import { ApiCallError, call } from './api/client';
import { ErrorBanner } from './components/ErrorBanner';
import { ChangeOwnPasswordDialog } from './gcp/users/ChangeOwnPasswordButton';
import { TopBar } from './components/TopBar';
import { LoginScreen } from './screens/LoginScreen';
import { ReadOnlyScreen } from './screens/ReadOnlyScreen';
import { SetupScreen } from './screens/SetupScreen';
import { StudyScreens, forgetRoute, noteSessionLost } from './screens/StudyScreens';
import { SessionContext } from './session';

export function App() {
  const { t } = useTranslation();
  const [info, setInfo] = useState<CallResult<'app.info'> | null>(null);
  const [user, setUser] = useState<User | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [lockedNotice, setLockedNotice] = useState(false);
  /** The login after an idle lock: the study screens go back to where the user was. */
  const [resumed, setResumed] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const appInfo = await call('app.info', {});
      setInfo(appInfo);
      // A database opened read-only answers nothing else: the read-only screen says why.
      if (!appInfo.readOnly) setUser(await call('auth.me', {}));
    } catch (e) {
      setError(e);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // Any call answered SESSION_LOCKED (15 minutes idle) returns the user to the login screen.
  useEffect(() => {
    const onRejection = (event: PromiseRejectionEvent) => {
      if (event.reason instanceof ApiCallError && event.reason.error.code === 'SESSION_LOCKED') {
        noteSessionLost();
        setLockedNotice(true);
        setUser(null);
      }
    };
    window.addEventListener('unhandledrejection', onRejection);
    return () => window.removeEventListener('unhandledrejection', onRejection);
  }, []);

  const logout = useCallback(() => {
    forgetRoute();
    void call('auth.logout', {}).finally(() => setUser(null));
  }, []);

  const onSessionLost = useCallback(() => {
    noteSessionLost();
    setLockedNotice(true);
    setUser(null);
  }, []);

  let body;
  if (error) body = <ErrorBanner error={error} />;
  else if (!info) body = <div className="loading">{t('app.loading')}</div>;
  else if (info.readOnly) body = <ReadOnlyScreen readOnly={info.readOnly} />;
  else if (info.needsSetup)
    body = (
      <SetupScreen
        onDone={(u) => {
          setUser(u);
          setInfo({ ...info, needsSetup: false });
        }}
      />
    );
  else if (!user)
    body = (
      <LoginScreen
        notice={lockedNotice ? t('login.locked') : undefined}
        onDone={(u) => {
          setResumed(lockedNotice);
          setLockedNotice(false);
          setUser(u);
        }}
      />
    );
  else if (user.mustChangePassword)
    body = <ChangeOwnPasswordDialog forced onLogout={logout} onClose={() => setUser({ ...user, mustChangePassword: false })} />;
  else
    body = (
      <SessionContext.Provider value={{ user, info, logout }}>
        {user.role === 'admin' && info.keyStorage === 'weak-os-keystore' && (
          <div className="banner banner-warn" role="alert" data-testid="weak-keystore">
            {t('app.weakKeystore')}
          </div>
        )}
        <StudyScreens onSessionLost={onSessionLost} resumed={resumed} />
      </SessionContext.Provider>
    );

  return (
    <div className="app">
      <TopBar info={info} user={user} onLogout={logout} />
      <main className="app-main">{body}</main>
    </div>
  );
}

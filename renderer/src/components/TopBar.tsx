// The header: study, site, mode, the logged-in user with role, the language toggle and log out.
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/api/calls/common';
import type { CallResult } from '../../../shared/api/contract';
import { currentLang, setLanguage } from '../i18n';
import { QueryNavButton } from '../gcp/queries/QueryNavButton';
import { ChangeOwnPasswordButton } from '../gcp/users/ChangeOwnPasswordButton';

export function TopBar({ info, user, onLogout }: { info: CallResult<'app.info'> | null; user: User | null; onLogout(): void }) {
  const { t } = useTranslation();
  const lang = currentLang();
  return (
    <header className="topbar">
      <div className="topbar-title">
        <span className="topbar-name">{t('app.title')}</span>
        <span className="topbar-sub">
          {t('app.study')}
          {info && <> · {t('app.site', { site: info.site })} · {t(info.transport === 'browser' ? 'app.mode_browser' : 'app.mode_electron')}</>}
        </span>
      </div>
      <div className="topbar-actions">
        {user && <QueryNavButton user={user} />}
        {user && (
          <span className="topbar-user" data-testid="current-user">
            {user.displayName} <span className="role-tag">{t(`roles.${user.role}`)}</span>
          </span>
        )}
        <button
          type="button"
          className="btn btn-ghost"
          title={t('app.languageTitle')}
          onClick={() => setLanguage(lang === 'en' ? 'zh-CN' : 'en')}
          data-testid="lang-toggle"
        >
          {t('app.language')}
        </button>
        {user && <ChangeOwnPasswordButton />}
        {user && (
          <button type="button" className="btn btn-ghost" onClick={onLogout}>
            {t('app.logout')}
          </button>
        )}
      </div>
    </header>
  );
}

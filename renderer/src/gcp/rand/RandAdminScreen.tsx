// The administrator's "随机化与备份" screen: the list's status (used / remaining; the pharmacist makes the list), and
// the backup folder, interval, last backup and "back up now".
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupStatus } from '../../../../shared/api/calls/backup';
import type { RandomisationStatus } from '../../../../shared/api/calls/randomisation';
import { call } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useApiAction } from '../../components/useApiAction';
import { wardDateTime } from '../../../../shared/rules/wardClock';
import { formatBytes } from './formatBytes';
import { ListStatus, type Notice } from './RandListPanel';

export function RandAdminScreen({ onBack, onSessionLost }: { onBack(): void; onSessionLost(): void }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<RandomisationStatus | null>(null);
  const [backup, setBackup] = useState<BackupStatus | null>(null);
  const { busy, error, run, report } = useApiAction(onSessionLost);
  /** The last success, kept as a message key so it follows the language toggle. */
  const [notice, setNotice] = useState<Notice | null>(null);
  const [folder, setFolder] = useState('');
  const [interval, setIntervalHours] = useState('4');

  const refresh = useCallback(async () => {
    try {
      const [s, b] = await Promise.all([call('randomisation.status', {}), call('backup.status', {})]);
      setStatus(s);
      setBackup(b);
      setFolder(b.folder);
      setIntervalHours(String(b.intervalHours));
    } catch (e) {
      report(e);
    }
  }, [report]);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const act = (body: () => Promise<Notice>) => {
    setNotice(null);
    return run(async () => {
      setNotice(await body());
      await refresh();
    });
  };

  return (
    <section className="card rand-screen">
      <div className="list-header">
        <button type="button" className="btn" onClick={onBack}>
          ← {t('rand.back')}
        </button>
        <h1>{t('rand.adminTitle')}</h1>
      </div>
      <ErrorBanner error={error} />
      {notice && (
        <div className="banner banner-ok" role="status" data-testid="rand-notice">
          {t(notice.key, notice.params)}
        </div>
      )}

      <h2>{t('rand.listTitle')}</h2>
      {status && <ListStatus status={status} />}
      <p className="muted">{t('rand.listByPharmacist')}</p>
      <h2>{t('rand.backupTitle')}</h2>
      {backup && (
        <div className="rand-backup" data-testid="backup-status">
          <div className="field">
            <label htmlFor="backup-folder">{t('rand.backupFolder')}</label>
            <div className="field-control">
              <input id="backup-folder" className="mono" value={folder} onChange={(e) => setFolder(e.target.value)} data-testid="backup-folder" />
            </div>
            <span className="field-help">
              {t('rand.backupFolderHelp')} {backup.defaultFolder && t('rand.backupFolderDefault')}
            </span>
          </div>
          <div className="field">
            <label htmlFor="backup-interval">{t('rand.backupInterval')}</label>
            <div className="field-control">
              <input id="backup-interval" inputMode="numeric" className="rand-narrow" value={interval} onChange={(e) => setIntervalHours(e.target.value)} data-testid="backup-interval" />
            </div>
            <span className="field-help">{t('rand.backupKeep', { keep: backup.keep, files: backup.files })}</span>
          </div>
          <div className="rand-actions">
            <button
              type="button"
              className="btn"
              disabled={busy || !folder.trim() || !(Number(interval) >= 1)}
              onClick={() =>
                void act(async () => {
                  await call('backup.setFolder', { folder: folder.trim(), intervalHours: Math.round(Number(interval)) });
                  return { key: 'rand.backupSaved', params: {} };
                })
              }
              data-testid="backup-save"
            >
              {t('rand.backupSave')}
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy}
              onClick={() =>
                void act(async () => {
                  const r = await call('backup.now', {});
                  return { key: 'rand.backupDone', params: { file: r.file } };
                })
              }
              data-testid="backup-now"
            >
              {busy ? t('rand.backupRunning') : t('rand.backupNow')}
            </button>
          </div>
          <p data-testid="backup-last">
            <strong>{t('rand.backupLast')}</strong>
            {backup.last
              ? t('rand.backupLastLine', { at: wardDateTime(backup.last.atUtc), size: formatBytes(backup.last.sizeBytes), trigger: t(`rand.trigger_${backup.last.trigger}`) })
              : t('rand.backupNone')}
          </p>
          {backup.last && <p className="mono muted rand-file-name">{backup.last.file}</p>}
          <p className="muted">{t('rand.backupRestoreHint')}</p>
        </div>
      )}
    </section>
  );
}

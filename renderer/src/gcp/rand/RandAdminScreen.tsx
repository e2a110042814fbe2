// The administrator's "随机化与备份" screen: list status (used / remaining), generate from a seed, import a CSV,
// and the backup folder, interval, last backup and "back up now".
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupStatus } from '../../../../shared/api/calls/backup';
import type { RandomisationStatus } from '../../../../shared/api/calls/randomisation';
import { call } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useApiAction } from '../../components/useApiAction';
import { wardDateTime } from '../../../../shared/rules/wardClock';
import { formatBytes } from './formatBytes';

function ListStatus({ status }: { status: RandomisationStatus }) {
  const { t } = useTranslation();
  if (!status.present) return <p className="banner banner-warn" data-testid="rand-status">{t('rand.listNone')}</p>;
  return (
    <div className="rand-status" data-testid="rand-status">
      <p className="rand-summary">{t('rand.listSummary', { size: status.size, used: status.used, remaining: status.remaining })}</p>
      <div className="rand-meter" aria-hidden="true">
        <span style={{ width: `${status.size ? Math.round((100 * status.used) / status.size) : 0}%` }} />
      </div>
      {status.source && status.createdAt && (
        <p className="muted">
          {t('rand.listCreated', { source: t(`rand.listSource_${status.source}`), by: status.createdBy ?? '', at: wardDateTime(status.createdAt) })}
        </p>
      )}
      {status.listSha256 && (
        <p className="muted">
          {t('rand.listHash')}: <span className="mono hash">{status.listSha256}</span>
        </p>
      )}
    </div>
  );
}

export function RandAdminScreen({ onBack, onSessionLost }: { onBack(): void; onSessionLost(): void }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<RandomisationStatus | null>(null);
  const [backup, setBackup] = useState<BackupStatus | null>(null);
  const { busy, error, run, report } = useApiAction(onSessionLost);
  /** The last success, kept as a message key so it follows the language toggle. */
  const [notice, setNotice] = useState<{ key: string; params: Record<string, string | number> } | null>(null);
  const [seed, setSeed] = useState('');
  const [size, setSize] = useState('30');
  const [csv, setCsv] = useState<{ name: string; text: string } | null>(null);
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

  const act = (body: () => Promise<{ key: string; params: Record<string, string | number> }>) => {
    setNotice(null);
    return run(async () => {
      setNotice(await body());
      await refresh();
    });
  };

  const sealed = Boolean(status && status.used > 0);
  const generate = () => {
    if (status?.present && !window.confirm(t('rand.replaceConfirm'))) return;
    void act(async () => {
      const r = await call('randomisation.generateList', { seed: seed.trim(), size: Number(size) });
      setSeed('');
      return { key: 'rand.generated', params: { size: r.size } };
    });
  };
  const importCsv = () => {
    if (!csv) return;
    if (status?.present && !window.confirm(t('rand.replaceConfirm'))) return;
    void act(async () => {
      const r = await call('randomisation.importList', { csv: csv.text });
      setCsv(null);
      return { key: 'rand.imported', params: { size: r.size } };
    });
  };
  const sizeNumber = Number(size);
  const sizeOk = Number.isInteger(sizeNumber) && sizeNumber >= 1 && sizeNumber <= 99_990;

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
      {sealed ? (
        <p className="banner banner-info">{t('rand.listSealed')}</p>
      ) : (
        <div className="rand-panels">
          <div className="rand-panel">
            <h3>{t('rand.generateTitle')}</h3>
            <p className="muted">{t('rand.generateIntro')}</p>
            <div className="field">
              <label htmlFor="rand-seed">{t('rand.seed')}</label>
              <div className="field-control">
                <input id="rand-seed" value={seed} onChange={(e) => setSeed(e.target.value)} autoComplete="off" data-testid="rand-seed" />
              </div>
              <span className="field-help">{t('rand.seedHelp')}</span>
            </div>
            <div className="field">
              <label htmlFor="rand-size">{t('rand.size')}</label>
              <div className="field-control">
                <input id="rand-size" inputMode="numeric" value={size} onChange={(e) => setSize(e.target.value)} data-testid="rand-size" />
              </div>
              <span className="field-help">{t('rand.sizeHelp')}</span>
            </div>
            <button type="button" className="btn btn-primary" disabled={busy || seed.trim().length < 8 || !sizeOk} onClick={generate} data-testid="rand-generate">
              {t('rand.generate')}
            </button>
          </div>
          <div className="rand-panel">
            <h3>{t('rand.importTitle')}</h3>
            <p className="muted">{t('rand.importIntro')}</p>
            <label className="btn rand-file">
              {t('rand.importChoose')}
              <input
                type="file"
                accept=".csv,text/csv"
                data-testid="rand-csv"
                onChange={async (e) => {
                  const file = e.target.files?.[0];
                  e.target.value = '';
                  if (file) setCsv({ name: file.name, text: await file.text() });
                }}
              />
            </label>
            {csv && <span className="mono rand-file-name">{csv.name}</span>}
            <div>
              <button type="button" className="btn btn-primary" disabled={busy || !csv} onClick={importCsv} data-testid="rand-import">
                {t('rand.importButton')}
              </button>
            </div>
          </div>
        </div>
      )}

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

// The sponsor export screen (monitors and administrators): keys shown by fingerprint, scope, folder, progress, result.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExportResultView, ExportStatusView } from '../../../shared/api/calls/export';
import type { CallResult } from '../../../shared/api/contract';
import { call } from '../api/client';
import { ErrorBanner } from '../components/ErrorBanner';
import { useApiAction } from '../components/useApiAction';
import { useSession } from '../session';
import { wardDateTime } from '../../../shared/rules/wardClock';

type Progress = CallResult<'export.progress'>['progress'];

function ProgressLine({ progress }: { progress: Progress }) {
  const { t } = useTranslation();
  if (!progress) return <span>{t('exportUi.creating')}</span>;
  const pct = progress.total ? Math.min(100, Math.floor((100 * progress.done) / progress.total)) : 0;
  const label =
    progress.phase === 'reading'
      ? t('exportUi.phase_reading', { done: progress.done, total: progress.total })
      : progress.phase === 'encrypting'
        ? t('exportUi.phase_encrypting', { pct })
        : t(`exportUi.phase_${progress.phase}`);
  const overall = progress.phase === 'reading' ? pct * 0.6 : progress.phase === 'done' ? 100 : 60 + pct * 0.4;
  return (
    <div className="export-progress" data-testid="export-progress">
      <progress max={100} value={Math.round(overall)} aria-label={label} />
      <span>{label}</span>
    </div>
  );
}

export function ExportScreen({ onBack, onSessionLost }: { onBack(): void; onSessionLost(): void }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const isAdmin = user.role === 'admin';
  const [status, setStatus] = useState<ExportStatusView | null>(null);
  const { error, run: runAction, report } = useApiAction(onSessionLost);
  const [scope, setScope] = useState<'full' | 'changes'>('full');
  const [outDir, setOutDir] = useState('');
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<Progress>(null);
  const [result, setResult] = useState<ExportResultView | null>(null);
  const [keyText, setKeyText] = useState('');
  const [installedNotice, setInstalledNotice] = useState<string | null>(null);
  const [siteKey, setSiteKey] = useState<string | null>(null);
  const poll = useRef<number | null>(null);

  const refresh = useCallback(async () => {
    try {
      const s = await call('export.status', {});
      setStatus(s);
      setOutDir((dir) => dir || s.defaultOutDir);
    } catch (e) {
      report(e);
    }
  }, [report]);

  useEffect(() => {
    void refresh();
    return () => {
      if (poll.current !== null) window.clearInterval(poll.current);
    };
  }, [refresh]);

  const install = () => {
    setInstalledNotice(null);
    void runAction(async () => {
      const r = await call('export.installSponsorKey', { armoredKey: keyText });
      setInstalledNotice(t('exportUi.installed', { fp: r.fingerprint }));
      setKeyText('');
      await refresh();
    });
  };

  const showSiteKey = () =>
    void runAction(async () => {
      const r = await call('export.sitePublicKey', {});
      setSiteKey(r.armoredKey);
      await refresh();
    });

  const run = async () => {
    setResult(null);
    setRunning(true);
    setProgress(null);
    poll.current = window.setInterval(() => {
      call('export.progress', {}).then((p) => p.progress && setProgress(p.progress), () => {});
    }, 300);
    try {
      await runAction(async () => {
        setResult(await call('export.create', { scope, outDir }));
        await refresh();
      });
    } finally {
      if (poll.current !== null) window.clearInterval(poll.current);
      poll.current = null;
      setRunning(false);
    }
  };

  return (
    <section className="card export-screen">
      <div className="list-header">
        <button type="button" className="btn" onClick={onBack}>
          ← {t('exportUi.navBack')}
        </button>
        <h1>{t('exportUi.title')}</h1>
      </div>
      <p className="muted">{t('exportUi.intro')}</p>
      <ErrorBanner error={error} />

      <h2>{t('exportUi.keysTitle')}</h2>
      <dl className="export-keys">
        <dt>{t('exportUi.sponsorKey')}</dt>
        <dd data-testid="sponsor-fingerprint">
          {status?.sponsorKeyFingerprint ? (
            <>
              <span className="mono fingerprint">{status.sponsorKeyFingerprint}</span>
              {status.sponsorKeyUserId && <span className="muted">{t('exportUi.sponsorKeyOwner', { owner: status.sponsorKeyUserId })}</span>}
            </>
          ) : (
            <span className="warn-text">{t('exportUi.sponsorKeyNone')}</span>
          )}
        </dd>
        <dt>{t('exportUi.siteKey')}</dt>
        <dd data-testid="site-fingerprint">
          {status?.siteKeyFingerprint ? <span className="mono fingerprint">{status.siteKeyFingerprint}</span> : <span className="muted">{t('exportUi.siteKeyNone')}</span>}
          <button type="button" className="btn btn-small" onClick={showSiteKey}>
            {t('exportUi.showSiteKey')}
          </button>
        </dd>
      </dl>
      <p className="muted">{t('exportUi.compareHint')}</p>
      {siteKey && (
        <label className="export-textarea">
          {t('exportUi.siteKeyText')}
          <textarea readOnly rows={6} value={siteKey} className="mono" data-testid="site-key-text" />
        </label>
      )}
      {isAdmin && (
        <details className="export-install" open={!status?.sponsorKeyFingerprint}>
          <summary>{t('exportUi.installTitle')}</summary>
          <label className="export-textarea">
            {t('exportUi.installLabel')}
            <textarea rows={6} className="mono" value={keyText} onChange={(e) => setKeyText(e.target.value)} data-testid="sponsor-key-input" />
          </label>
          <button type="button" className="btn" onClick={install} disabled={!keyText.trim()} data-testid="install-sponsor-key">
            {t('exportUi.installButton')}
          </button>
        </details>
      )}
      {installedNotice && (
        <div className="banner banner-ok" role="status">
          {installedNotice}
        </div>
      )}

      <h2>{t('exportUi.historyTitle')}</h2>
      <p data-testid="export-history">
        {status && status.lastSequence > 0 ? t('exportUi.lastSequence', { n: status.lastSequence, at: status.lastExportAt ? wardDateTime(status.lastExportAt) : '' }) : t('exportUi.noExports')}
        {status && status.lastSequence > 0 && <span className="muted"> · {t('exportUi.pendingChanges', { count: status.changesSinceLast })}</span>}
      </p>

      <h2>{t('exportUi.scopeTitle')}</h2>
      <div className="export-scope" role="radiogroup" aria-label={t('exportUi.scopeTitle')}>
        <label>
          <input type="radio" name="scope" checked={scope === 'full'} onChange={() => setScope('full')} /> {t('exportUi.scopeFull')}
        </label>
        <label>
          <input type="radio" name="scope" checked={scope === 'changes'} onChange={() => setScope('changes')} disabled={!status || status.lastSequence === 0} data-testid="scope-changes" />{' '}
          {t('exportUi.scopeChanges')}
        </label>
      </div>
      <label className="export-folder">
        {t('exportUi.folder')}
        <input className="mono" value={outDir} onChange={(e) => setOutDir(e.target.value)} data-testid="export-folder" />
        <span className="muted">{t('exportUi.folderHelp')}</span>
      </label>
      <div className="export-actions">
        <button type="button" className="btn btn-primary btn-large" onClick={run} disabled={running || !status?.sponsorKeyFingerprint || !outDir.trim()} data-testid="export-create">
          {running ? t('exportUi.creating') : t('exportUi.create')}
        </button>
        {running && <ProgressLine progress={progress} />}
      </div>

      {result && (
        <div className="banner banner-ok export-result" role="status" data-testid="export-result">
          <strong>{t('exportUi.done')}</strong>
          <dl>
            <dt>{t('exportUi.resultPath')}</dt>
            <dd className="mono">{result.path}</dd>
            <dt>{t('exportUi.resultSequence')}</dt>
            <dd>{result.sequence}</dd>
            <dt>{t('exportUi.resultHash')}</dt>
            <dd className="mono hash">{result.sha256}</dd>
          </dl>
          <p>{t('exportUi.resultCounts', result.counts)}</p>
          <p className="muted">{t('exportUi.resultHint')}</p>
        </div>
      )}
    </section>
  );
}

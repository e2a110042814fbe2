// The sealed list as the unblinded pharmacist prepares it: status (used / remaining), generate from a seed that is
// used once and stored nowhere, or import an independent statistician's sealed CSV. Also the list status alone
// (ListStatus) for the administrator's backup screen.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RandomisationStatus } from '../../../../shared/api/calls/randomisation';
import { call } from '../../api/client';
import { wardDateTime } from '../../../../shared/rules/wardClock';

export type Notice = { key: string; params: Record<string, string | number> };

export function ListStatus({ status }: { status: RandomisationStatus }) {
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
      {status.listCommitment && (
        <p className="muted">
          {t('rand.listHash')}: <span className="mono hash">{status.listCommitment}</span>
        </p>
      )}
    </div>
  );
}

/** Generate or import (refused by the back end once a subject is randomised). `act` runs a call and reloads. */
export function RandListPanel({ status, busy, act }: { status: RandomisationStatus | null; busy: boolean; act(body: () => Promise<Notice>): Promise<boolean> }) {
  const { t } = useTranslation();
  const [seed, setSeed] = useState('');
  const [size, setSize] = useState('30');
  const [csv, setCsv] = useState<{ name: string; text: string } | null>(null);
  const [password, setPassword] = useState('');
  const sealed = Boolean(status && status.used > 0);
  const generate = () => {
    if (status?.present && !window.confirm(t('rand.replaceConfirm'))) return;
    void act(async () => {
      const r = await call('randomisation.generateList', { seed: seed.trim(), size: Number(size), password });
      setSeed('');
      setPassword('');
      return { key: 'rand.generated', params: { size: r.size } };
    });
  };
  const importCsv = () => {
    if (!csv) return;
    if (status?.present && !window.confirm(t('rand.replaceConfirm'))) return;
    void act(async () => {
      const r = await call('randomisation.importList', { csv: csv.text, password });
      setCsv(null);
      setPassword('');
      return { key: 'rand.imported', params: { size: r.size } };
    });
  };
  const sizeNumber = Number(size);
  const sizeOk = Number.isInteger(sizeNumber) && sizeNumber >= 1 && sizeNumber <= 99_990;

  return (
    <>
      <h2>{t('rand.listTitle')}</h2>
      {status && <ListStatus status={status} />}
      {sealed ? (
        <p className="banner banner-info">{t('rand.listSealed')}</p>
      ) : (
        <>
        <div className="field rand-password">
          <label htmlFor="rand-password">{t('rand.listPassword')}</label>
          <div className="field-control">
            <input id="rand-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="rand-password" />
          </div>
          <span className="field-help">{t('rand.listPasswordHelp')}</span>
        </div>
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
            <button type="button" className="btn btn-primary" disabled={busy || seed.trim().length < 8 || !sizeOk || !password} onClick={generate} data-testid="rand-generate">
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
              <button type="button" className="btn btn-primary" disabled={busy || !csv || !password} onClick={importCsv} data-testid="rand-import">
                {t('rand.importButton')}
              </button>
            </div>
          </div>
        </div>
        </>
      )}
    </>
  );
}

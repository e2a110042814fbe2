// The one way to randomise: the investigator, on the eligibility screen, reads that randomisation cannot be undone,
// ticks that they understand, and re-enters their own password (like a signature); a wrong password keeps the dialog.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiCallError } from '../api/client';
import { DialogActions } from '../components/DialogActions';
import { ErrorBanner } from '../components/ErrorBanner';
import { ModalDialog } from '../components/ModalDialog';
import { useApiAction } from '../components/useApiAction';
import { useSession } from '../session';
import { randomiseSubject, type RandomiseOutcome } from './randomiseCall';

export function RandomiseDialog(props: {
  subjectId: number;
  onDone(outcome: RandomiseOutcome): void;
  onCancel(): void;
  onSessionLost?: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const { user } = useSession();
  const [understood, setUnderstood] = useState(false);
  const [password, setPassword] = useState('');
  const { error, busy, run } = useApiAction(props.onSessionLost);
  const ready = understood && password.length > 0;
  const go = () => {
    if (!ready) return;
    void run(
      async () => props.onDone(await randomiseSubject(props.subjectId, password)),
      (e) => {
        if (e instanceof ApiCallError && e.error.code === 'REAUTH_FAILED') setPassword('');
      },
    );
  };
  return (
    <ModalDialog id="randomise" testId="randomise-dialog" className="sign-dialog" title={t('clinical.elig.randomiseTitle')} onEscape={props.onCancel} role="alertdialog">
      <p>{t('clinical.elig.randomiseWho')}</p>
      <div className="banner banner-warn" data-testid="randomise-irreversible">
        <strong>{t('clinical.elig.randomiseIrreversible')}</strong>
      </div>
      <label className="check-line">
        <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} data-testid="randomise-understood" />
        {t('clinical.elig.randomiseUnderstood')}
      </label>
      <p>{t('lifecycle.signer', { name: user.displayName, username: user.username })}</p>
      <label htmlFor="randomise-password">{t('clinical.elig.randomisePassword')}</label>
      <input
        id="randomise-password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && go()}
        className="dialog-input"
      />
      <ErrorBanner error={error} />
      <DialogActions onCancel={props.onCancel} label={t('clinical.elig.randomise')} onConfirm={go} busy={busy} disabled={!ready} testId="randomise-confirm" />
    </ModalDialog>
  );
}

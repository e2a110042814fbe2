// The e-signature dialog: what is signed, the fixed meaning of the signature (both languages), the signer, and
// the investigator's own password; a wrong password shows the message and keeps the dialog open.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SIGNATURE_MEANINGS } from '../../../../shared/api/calls/lifecycle';
import type { CallArgs } from '../../../../shared/api/contract';
import { ApiCallError, call } from '../../api/client';
import { DialogActions } from '../../components/DialogActions';
import { ErrorBanner } from '../../components/ErrorBanner';
import { ModalDialog } from '../../components/ModalDialog';
import { useApiAction } from '../../components/useApiAction';
import { currentLang } from '../../i18n';
import { useSession } from '../../session';

type SignTarget = CallArgs<'lifecycle.sign'> extends infer A ? (A extends unknown ? Omit<A, 'password' | 'meaning'> : never) : never;

export function SignDialog(props: {
  target: SignTarget;
  /** What is signed, for the scope line: the form, visit or screening number. */
  name: string;
  onDone(signedForms: number): void;
  onCancel(): void;
  /** Without it a lost session shows as an error message in the dialog. */
  onSessionLost?: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const { user } = useSession();
  const [password, setPassword] = useState('');
  const { error, busy, run } = useApiAction(props.onSessionLost);
  const meaning = SIGNATURE_MEANINGS.accurate_complete;
  const lang = currentLang();
  const sign = async () => {
    if (!password) return;
    const clearOnWrongPassword = (e: unknown) => {
      if (e instanceof ApiCallError && e.error.code === 'REAUTH_FAILED') setPassword('');
    };
    await run(async () => {
      const result = await call('lifecycle.sign', { ...props.target, password, meaning: 'accurate_complete' } as CallArgs<'lifecycle.sign'>);
      props.onDone(result.signedForms);
    }, clearOnWrongPassword);
  };
  return (
    <ModalDialog id="sign" testId="sign-dialog" className="sign-dialog" title={`✍ ${t('lifecycle.signTitle')}`} onEscape={props.onCancel}>
      <p>{t(`lifecycle.signScope_${props.target.scope}`, { name: props.name })}</p>
      <div className="sign-meaning" data-testid="sign-meaning">
        <div className="muted small">{t('lifecycle.signMeaning')}</div>
        <strong>{lang === 'en' ? meaning.en : meaning.zh}</strong>
        <div className="muted small">{lang === 'en' ? meaning.zh : meaning.en}</div>
      </div>
      <p>{t('lifecycle.signer', { name: user.displayName, username: user.username })}</p>
      <p className="muted small">{t('lifecycle.signRule')}</p>
      <label htmlFor="sign-password">{t('lifecycle.signPassword')}</label>
      <input
        id="sign-password"
        type="password"
        autoComplete="current-password"
        autoFocus
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && void sign()}
        className="dialog-input"
      />
      <ErrorBanner error={error} />
      <DialogActions
        onCancel={props.onCancel}
        label={t('lifecycle.signConfirm')}
        onConfirm={() => void sign()}
        busy={busy}
        disabled={!password}
        testId="sign-confirm"
      />
    </ModalDialog>
  );
}

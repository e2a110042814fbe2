// On the casebook screen: the investigator signs the whole casebook, the admin locks or unlocks it (with a reason).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormStatus } from '../../../../shared/protocol/visitStatus';
import { useSession } from '../../session';
import { call } from '../../api/client';
import { ReasonActionDialog } from './ReasonActionDialog';
import { SignDialog } from './SignDialog';

export function CasebookLifecycleBar(props: {
  subjectId: number;
  screeningNo: string;
  statuses: readonly FormStatus[];
  onChanged(): void;
  onSessionLost(): void;
}) {
  const { t } = useTranslation();
  const { user } = useSession();
  const [dialog, setDialog] = useState<'sign' | 'lock' | 'unlock' | null>(null);
  const [done, setDone] = useState<number | null>(null);
  if (props.statuses.length === 0 || (user.role !== 'investigator' && user.role !== 'admin')) return null;
  const signable = props.statuses.some((s) => s === 'complete' || s === 'verified');
  const anyLocked = props.statuses.includes('locked');
  const allLocked = props.statuses.every((s) => s === 'locked');
  const target = { scope: 'casebook' as const, subjectId: props.subjectId };
  const finished = (count: number) => {
    setDialog(null);
    setDone(count);
    props.onChanged();
  };
  return (
    <div className="casebook-lifecycle" data-testid="casebook-lifecycle">
      {user.role === 'investigator' && (
        <button type="button" className="btn btn-small" disabled={!signable} title={t('lifecycle.signRule')} onClick={() => setDialog('sign')} data-testid="casebook-sign">
          ✍ {t('lifecycle.casebookSign')}
        </button>
      )}
      {user.role === 'admin' && !allLocked && (
        <button type="button" className="btn btn-small" onClick={() => setDialog('lock')} data-testid="casebook-lock">
          ■ {t('lifecycle.casebookLock')}
        </button>
      )}
      {user.role === 'admin' && anyLocked && (
        <button type="button" className="btn btn-small" onClick={() => setDialog('unlock')} data-testid="casebook-unlock">
          {t('lifecycle.casebookUnlock')}
        </button>
      )}
      {done !== null && (
        <span className="muted small" role="status">
          {t('lifecycle.casebookDone', { count: done })}
        </span>
      )}
      {dialog === 'sign' && (
        <SignDialog target={target} name={props.screeningNo} onDone={finished} onCancel={() => setDialog(null)} onSessionLost={props.onSessionLost} />
      )}
      {(dialog === 'lock' || dialog === 'unlock') && (
        <ReasonActionDialog
          title={dialog === 'lock' ? t('lifecycle.casebookLockTitle') : t('lifecycle.casebookUnlockTitle')}
          intro={dialog === 'lock' ? t('lifecycle.casebookLockIntro') : t('lifecycle.unlockIntro')}
          run={async (reason) => finished((await call(dialog === 'lock' ? 'lifecycle.lock' : 'lifecycle.unlock', { ...target, reason })).forms)}
          onCancel={() => setDialog(null)}
          onSessionLost={props.onSessionLost}
        />
      )}
    </div>
  );
}

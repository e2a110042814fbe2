// In the top bar for every user: change one's own password after confirming the current one (a wrong one keeps you logged in).
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { userCalls } from '../../../../shared/api/calls/users';
import { call } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { zodMessages } from '../../zodMessages';

const schema = userCalls['users.changeOwnPassword'].args.extend({ confirm: z.string().min(1) });

/**
 * `forced`: the password was set by an administrator and must be replaced before anything else: no cancel, only
 * `onLogout` (the top bar is under the dialog's backdrop).
 */
export function ChangeOwnPasswordDialog({ onClose, forced = false, onLogout }: { onClose(): void; forced?: boolean; onLogout?: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [changed, setChanged] = useState(false);
  const form = useForm({
    resolver: zodResolver(schema.refine((v) => v.newPassword === v.confirm, { path: ['confirm'], message: t('users.mismatch') }), {
      error: zodMessages(t),
    }),
    mode: 'onTouched',
    defaultValues: { oldPassword: '', newPassword: '', confirm: '' },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async ({ oldPassword, newPassword }) => {
    setError(null);
    try {
      await call('users.changeOwnPassword', { oldPassword, newPassword });
      setChanged(true);
    } catch (e) {
      setError(e);
      form.setValue('oldPassword', '');
    }
  });
  return (
    <div className="modal-backdrop" role="presentation" onKeyDown={(e) => !forced && e.key === 'Escape' && onClose()}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="own-password-title" data-testid="own-password">
        <h2 id="own-password-title">{t(forced ? 'users.forcedTitle' : 'users.changeOwnTitle')}</h2>
        {forced && !changed && (
          <p className="banner banner-info" data-testid="own-password-forced">
            {t('users.forcedText')}
          </p>
        )}
        {changed ? (
          <>
            <div className="banner banner-ok" role="status" data-testid="own-password-done">
              ✓ {t('users.changedOwn')}
            </div>
            <div className="actions">
              <button type="button" className="btn btn-primary" autoFocus onClick={onClose}>
                {t('users.close')}
              </button>
            </div>
          </>
        ) : (
          <form onSubmit={submit} noValidate>
            <Field id="own-old" label={t('users.oldPassword')} error={errors.oldPassword?.message}>
              <input id="own-old" type="password" autoComplete="current-password" autoFocus {...form.register('oldPassword')} />
            </Field>
            <Field id="own-new" label={t('users.newPassword')} help={t('users.tooShort')} error={errors.newPassword?.message}>
              <input id="own-new" type="password" autoComplete="new-password" {...form.register('newPassword')} />
            </Field>
            <Field id="own-confirm" label={t('users.confirmPassword')} error={errors.confirm?.message}>
              <input id="own-confirm" type="password" autoComplete="new-password" {...form.register('confirm')} />
            </Field>
            <ErrorBanner error={error} />
            <div className="actions">
              {forced ? (
                onLogout && (
                  <button type="button" className="btn" onClick={onLogout} data-testid="own-password-logout">
                    {t('app.logout')}
                  </button>
                )
              ) : (
                <button type="button" className="btn" onClick={onClose}>
                  {t('users.cancel')}
                </button>
              )}
              <button type="submit" className="btn btn-primary" disabled={isSubmitting} data-testid="own-password-submit">
                {t('users.save')}
              </button>
            </div>
          </form>
        )}
      </div>
    </div>
  );
}

export function ChangeOwnPasswordButton() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn btn-ghost" onClick={() => setOpen(true)} data-testid="own-password-open">
        {t('users.changeOwn')}
      </button>
      {open && <ChangeOwnPasswordDialog onClose={() => setOpen(false)} />}
    </>
  );
}

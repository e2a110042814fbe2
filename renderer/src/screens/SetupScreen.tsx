// First run: create the administrator account (validated with the same schema the back end uses).
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { authCalls } from '../../../shared/api/calls/auth';
import type { User } from '../../../shared/api/calls/common';
import { call } from '../api/client';
import { ErrorBanner } from '../components/ErrorBanner';
import { InputField } from '../components/InputField';
import { zodMessages } from '../zodMessages';

const schema = authCalls['auth.setupAdmin'].args.extend({ confirm: z.string().min(1) });

export function SetupScreen({ onDone }: { onDone(user: User): void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const form = useForm({
    resolver: zodResolver(
      schema.refine((v) => v.password === v.confirm, { path: ['confirm'], message: t('setup.mismatch') }),
      { error: zodMessages(t) },
    ),
    mode: 'onTouched',
    defaultValues: { username: '', displayName: '', password: '', confirm: '' },
  });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async ({ username, displayName, password }) => {
    setError(null);
    try {
      onDone(await call('auth.setupAdmin', { username, displayName, password }));
    } catch (e) {
      setError(e);
    }
  });

  return (
    <section className="card card-narrow">
      <h1>{t('setup.title')}</h1>
      <p className="muted">{t('setup.intro')}</p>
      <ErrorBanner error={error} />
      <form onSubmit={submit} noValidate>
        <InputField id="setup-username" label={t('setup.username')} help={t('setup.usernameHelp')} error={errors.username?.message} autoComplete="username" autoFocus registration={form.register('username')} />
        <InputField id="setup-display" label={t('setup.displayName')} error={errors.displayName?.message} registration={form.register('displayName')} />
        <InputField id="setup-password" label={t('setup.password')} help={t('setup.passwordHelp')} error={errors.password?.message} type="password" autoComplete="new-password" registration={form.register('password')} />
        <InputField id="setup-confirm" label={t('setup.confirm')} error={errors.confirm?.message} type="password" autoComplete="new-password" registration={form.register('confirm')} />
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={isSubmitting}>
            {t('setup.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

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
import { Field } from '../components/Field';
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
        <Field id="setup-username" label={t('setup.username')} help={t('setup.usernameHelp')} error={errors.username?.message}>
          <input id="setup-username" autoComplete="username" autoFocus {...form.register('username')} />
        </Field>
        <Field id="setup-display" label={t('setup.displayName')} error={errors.displayName?.message}>
          <input id="setup-display" {...form.register('displayName')} />
        </Field>
        <Field id="setup-password" label={t('setup.password')} help={t('setup.passwordHelp')} error={errors.password?.message}>
          <input id="setup-password" type="password" autoComplete="new-password" {...form.register('password')} />
        </Field>
        <Field id="setup-confirm" label={t('setup.confirm')} error={errors.confirm?.message}>
          <input id="setup-confirm" type="password" autoComplete="new-password" {...form.register('confirm')} />
        </Field>
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={isSubmitting}>
            {t('setup.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

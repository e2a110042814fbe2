// Login with username and password (5 wrong passwords lock the account in the back end).
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { authCalls } from '../../../shared/api/calls/auth';
import type { User } from '../../../shared/api/calls/common';
import { call } from '../api/client';
import { ErrorBanner } from '../components/ErrorBanner';
import { InputField } from '../components/InputField';
import { zodMessages } from '../zodMessages';

export function LoginScreen({ onDone, notice }: { onDone(user: User): void; notice?: string | undefined }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const form = useForm({
    resolver: zodResolver(authCalls['auth.login'].args, { error: zodMessages(t) }),
    defaultValues: { username: '', password: '' },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      onDone(await call('auth.login', values));
    } catch (e) {
      setError(e);
      form.setValue('password', '');
    }
  });
  return (
    <section className="card card-narrow">
      <h1>{t('login.title')}</h1>
      {notice && <div className="banner banner-info">{notice}</div>}
      <ErrorBanner error={error} />
      <form onSubmit={submit} noValidate>
        <InputField id="login-username" label={t('login.username')} error={errors.username?.message} autoComplete="username" autoFocus registration={form.register('username')} />
        <InputField id="login-password" label={t('login.password')} error={errors.password?.message} type="password" autoComplete="current-password" registration={form.register('password')} />
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={isSubmitting}>
            {t('login.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

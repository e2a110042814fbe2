// Dialogs of the user administration screen: create a user, edit name and role, reset a password; validated with
// the contract's own schemas, errors from the back end shown in the chosen language.
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm, type UseFormRegisterReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ROLES } from '../../../../shared/api/calls/common';
import { userCalls, type UserAccount } from '../../../../shared/api/calls/users';
import { call } from '../../api/client';
import { DialogActions } from '../../components/DialogActions';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { ModalDialog } from '../../components/ModalDialog';
import { useApiAction } from '../../components/useApiAction';
import { zodMessages } from '../../zodMessages';

interface DialogProps {
  onDone(account: UserAccount): void;
  onCancel(): void;
  onSessionLost(): void;
}

/** Runs a call from a dialog and hands its answer on: a lost session goes to login, any other error stays in the dialog. */
function useDialogCall(props: DialogProps) {
  const { error, run } = useApiAction(props.onSessionLost);
  return { error, run: (action: () => Promise<UserAccount>) => run(async () => props.onDone(await action())) };
}

function RoleSelect({ id, register }: { id: string; register: UseFormRegisterReturn<'role'> }) {
  const { t } = useTranslation();
  return (
    <select id={id} {...register}>
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {t(`roles.${role}`)}
        </option>
      ))}
    </select>
  );
}

const createSchema = userCalls['users.create'].args.extend({ confirm: z.string().min(1) });

export function CreateUserDialog(props: DialogProps) {
  const { t } = useTranslation();
  const { error, run } = useDialogCall(props);
  const form = useForm({
    resolver: zodResolver(createSchema.refine((v) => v.password === v.confirm, { path: ['confirm'], message: t('users.mismatch') }), {
      error: zodMessages(t),
    }),
    mode: 'onTouched',
    defaultValues: { username: '', displayName: '', password: '', confirm: '', role: 'data_entry' as const },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(({ confirm: _confirm, ...input }) => run(() => call('users.create', input)));
  return (
    <ModalDialog id="user-create" title={t('users.createTitle')} onEscape={props.onCancel}>
      <form onSubmit={submit} noValidate>
        <Field id="user-username" label={t('users.username')} help={t('users.usernameHelp')} error={errors.username?.message}>
          <input id="user-username" autoComplete="off" autoFocus {...form.register('username')} />
        </Field>
        <Field id="user-display" label={t('users.displayName')} error={errors.displayName?.message}>
          <input id="user-display" autoComplete="off" {...form.register('displayName')} />
        </Field>
        <Field id="user-role" label={t('users.role')} error={errors.role?.message}>
          <RoleSelect id="user-role" register={form.register('role')} />
        </Field>
        <Field id="user-password" label={t('users.password')} help={t('users.passwordHelp')} error={errors.password?.message}>
          <input id="user-password" type="password" autoComplete="new-password" {...form.register('password')} />
        </Field>
        <Field id="user-confirm" label={t('users.confirmInitial')} error={errors.confirm?.message}>
          <input id="user-confirm" type="password" autoComplete="new-password" {...form.register('confirm')} />
        </Field>
        <ErrorBanner error={error} />
        <DialogActions onCancel={props.onCancel} cancelLabel={t('users.cancel')} label={t('users.create')} busy={isSubmitting} testId="user-create-submit" />
      </form>
    </ModalDialog>
  );
}

const editSchema = z.object({ displayName: z.string().trim().min(1).max(80), role: z.enum(ROLES) });

export function EditUserDialog(props: DialogProps & { account: UserAccount }) {
  const { t } = useTranslation();
  const { error, run } = useDialogCall(props);
  const { account } = props;
  const form = useForm({
    resolver: zodResolver(editSchema, { error: zodMessages(t) }),
    defaultValues: { displayName: account.displayName, role: account.role },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit((v) =>
    run(() =>
      call('users.update', {
        userId: account.id,
        ...(v.displayName !== account.displayName ? { displayName: v.displayName } : {}),
        ...(v.role !== account.role ? { role: v.role } : {}),
      }),
    ),
  );
  return (
    <ModalDialog id="user-edit" title={t('users.editTitle', { username: account.username })} onEscape={props.onCancel}>
      <form onSubmit={submit} noValidate>
        <Field id="edit-display" label={t('users.displayName')} error={errors.displayName?.message}>
          <input id="edit-display" autoFocus {...form.register('displayName')} />
        </Field>
        <Field id="edit-role" label={t('users.role')} help={t('users.editRoleNote')} error={errors.role?.message}>
          <RoleSelect id="edit-role" register={form.register('role')} />
        </Field>
        <ErrorBanner error={error} />
        <DialogActions onCancel={props.onCancel} cancelLabel={t('users.cancel')} label={t('users.save')} busy={isSubmitting} testId="user-edit-submit" />
      </form>
    </ModalDialog>
  );
}

const passwordSchema = z.object({ newPassword: userCalls['users.resetPassword'].args.shape.newPassword, confirm: z.string().min(1) });

export function ResetPasswordDialog(props: DialogProps & { account: UserAccount }) {
  const { t } = useTranslation();
  const { error, run } = useDialogCall(props);
  const form = useForm({
    resolver: zodResolver(passwordSchema.refine((v) => v.newPassword === v.confirm, { path: ['confirm'], message: t('users.mismatch') }), {
      error: zodMessages(t),
    }),
    mode: 'onTouched',
    defaultValues: { newPassword: '', confirm: '' },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit((v) => run(() => call('users.resetPassword', { userId: props.account.id, newPassword: v.newPassword })));
  return (
    <ModalDialog id="user-reset" title={t('users.resetTitle', { username: props.account.username })} onEscape={props.onCancel}>
      <form onSubmit={submit} noValidate>
        <Field id="reset-password" label={t('users.newPassword')} help={t('users.passwordHelp')} error={errors.newPassword?.message}>
          <input id="reset-password" type="password" autoComplete="new-password" autoFocus {...form.register('newPassword')} />
        </Field>
        <Field id="reset-confirm" label={t('users.confirmPassword')} error={errors.confirm?.message}>
          <input id="reset-confirm" type="password" autoComplete="new-password" {...form.register('confirm')} />
        </Field>
        <ErrorBanner error={error} />
        <DialogActions onCancel={props.onCancel} cancelLabel={t('users.cancel')} label={t('users.save')} busy={isSubmitting} testId="user-reset-submit" />
      </form>
    </ModalDialog>
  );
}

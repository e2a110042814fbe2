// The generic form screen: any FormDef rendered with react-hook-form and zodResolver over the shared
// formSchema, live warnings and derived values, autosaved drafts, explicit Save with reason for change.
// A keystroke re-renders only what it changes: the editor itself does not watch the values; liveForm.ts works out
// warnings, visible/required fields and derived values once per change, and each row, derived value, panel and
// status line reads its own slice (react-hook-form errors per field with useFormState({ name })).
import { zodResolver } from '@hookform/resolvers/zod';
import { unitIn } from '../../../shared/i18n/units';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type ComponentType } from 'react';
import { useForm, useFormState, type Control, type Resolver } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { FormInstance } from '../../../shared/api/calls/forms';
import { buildFormContext } from '../../../shared/protocol/casebook';
import { raisesQuery } from '../../../shared/protocol/editChecks';
import { FORMS } from '../../../shared/protocol/study';
import type { Role } from '../../../shared/api/calls/common';
import type { CasebookForm, DerivedDef, FormCode, FormContext, FormData, FormDef, ItemValue, ValidationIssue, VisitCode } from '../../../shared/protocol/types';
import { wardDateTime, wardToday } from '../../../shared/rules/wardClock';
import { mayEditItem } from '../../../shared/protocol/itemRoles';
import { formSchema } from '../../../shared/protocol/validateForm';
import { visitDef } from '../../../shared/protocol/visits';
import { ApiCallError, call, isSessionEnd } from '../api/client';
import { ErrorBanner } from '../components/ErrorBanner';
import { currentLang, pick } from '../i18n';
import { useSession } from '../session';
import { clearLocalDraft, readLocalDraft, writeLocalDraft, type LocalDraft } from './draftStore';
import { FieldInput, type FieldEnv, type RawValues } from './FieldInput';
import { FieldGrid } from './FieldGrid';
import { fieldBlocks } from './fieldBlocks';
import { FORM_FOOTERS, FORM_PANELS, FORM_PREFILL, type FormPanelProps } from './formExtensions';
import { computeLive, LiveStore, sameWarning, useLive } from './liveForm';
import { ReasonDialog } from './ReasonDialog';
import { savePayload, toRaw } from './rawValues';
import { missingItemId } from '../../../shared/protocol/missingValues';
import { AuditTrailButton } from '../gcp/audit/AuditTrailButton';
import { noteStatusReset } from '../gcp/lifecycle/lifecycleFlash';
import type { SubjectSummary } from '../../../shared/api/calls/subjects';
import { casebookHeader } from '../../../shared/print/casebookDoc';
import { derivedValueText } from '../../../shared/print/valueText';
import { SubjectBanner } from '../subject/SubjectBanner';
import { PrintPageHeader } from '../print/PrintPageHeader';
import { ConflictPanel } from './ConflictPanel';
import { HelpButton } from '../help/HelpButton';

const AUTOSAVE_MS = 800;
/** Who may save a form that names no roles of its own (PHARM names the pharmacist): the back end checks the same. */
const WRITERS: readonly Role[] = ['data_entry', 'investigator', 'admin'];
/** Derived values that are yes/no flags computed as 1/0: shown as 是/否 rather than a bare number. */

/**
 * Why this role only views the form: the form is another role's (PHARM), or a required item of it is, so this role
 * could never complete it (the investigator's ELIG and RESPONSE confirmations, the BILAG renal grade).
 */
function roleReadOnly(def: FormDef, role: Role): readonly Role[] | null {
  const writers = def.editRoles ?? WRITERS;
  if (!writers.includes(role)) return writers;
  return def.fields.find((f) => f.required === true && !mayEditItem(f, role))?.editRoles ?? null;
}

/** RAND is written by randomisation and UNBLIND by emergency unblinding, never typed here. */
const SYSTEM_FORMS = new Set<FormCode>(['RAND', 'UNBLIND']);

export interface FormRoute {
  subjectId: number;
  visitCode: VisitCode;
  formCode: FormCode;
  repeatKey: number;
  /** Values a new form starts with, from where it was opened (an AE suggested by a critical value, say). */
  prefill?: FormData | undefined;
}

/** Ward (Beijing) time as YYYY-MM-DD HH:MM in both languages (the finding: English showed 06/06/2027). */
const formatLocal = (iso: string) => wardDateTime(iso);

export function FormScreen({
  route,
  onBack,
  onOpenForm,
  backTo = 'casebook',
  onSessionLost,
}: {
  route: FormRoute;
  onBack(): void;
  /** Opens another form of the subject (a LAB a value came from, a suggested adverse event). */
  onOpenForm(route: FormRoute): void;
  /** Where the back button leads, for its label (the query list opens forms too). */
  backTo?: 'casebook' | 'queries';
  onSessionLost(): void;
}) {
  const [state, setState] = useState<{ instance: FormInstance; casebook: CasebookForm[]; subject: SubjectSummary } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  /**
   * What the user had changed (against the version they started from) when the save met someone else's newer
   * version: kept beside the newly saved values.
   */
  const [conflict, setConflict] = useState<RawValues | null>(null);
  useEffect(() => {
    let live = true;
    const { prefill: _prefill, ...key } = route;
    Promise.all([call('forms.get', key), call('clinical.casebook', { subjectId: route.subjectId }), call('subjects.get', { subjectId: route.subjectId })]).then(
      ([instance, casebook, subject]) => live && setState({ instance, casebook, subject: subject.subject }),
      (e: unknown) => {
        if (!live) return;
        if (isSessionEnd(e)) onSessionLost();
        else setError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [route, tick, onSessionLost]);
  if (error) return <ErrorBanner error={error} />;
  if (!state) return null;
  return (
    <FormEditor
      key={`${state.instance.version}-${tick}`}
      route={route}
      instance={state.instance}
      casebook={state.casebook}
      onBack={onBack}
      onOpenForm={onOpenForm}
      backTo={backTo}
      onSessionLost={onSessionLost}
      onSaved={() => setTick((n) => n + 1)}
      subject={state.subject}
      conflict={conflict}
      onConflict={(values) => {
        setConflict(values);
        setTick((n) => n + 1);
      }}
      onConflictDone={() => setConflict(null)}
    />
  );
}

interface EditorProps {
  route: FormRoute;
  instance: FormInstance;
  casebook: CasebookForm[];
  onBack(): void;
  onOpenForm(route: FormRoute): void;
  backTo: 'casebook' | 'queries';
  onSaved(): void;
  onSessionLost(): void;
  subject: SubjectSummary;
  conflict: RawValues | null;
  onConflict(values: RawValues): void;
  onConflictDone(): void;
}

function FormEditor({ route, instance, casebook, onBack, onOpenForm, backTo, onSaved, onSessionLost, subject, conflict, onConflict, onConflictDone }: EditorProps) {
  const { t } = useTranslation();
  const { user } = useSession();
  const lang = currentLang();
  const def = FORMS[route.formCode];
  const draftKey = [user.id, route.subjectId, route.visitCode, route.formCode, route.repeatKey] as const;
  const others = useMemo(
    () => casebook.filter((f) => !(f.visitCode === route.visitCode && f.formCode === route.formCode && f.repeatKey === route.repeatKey)),
    [casebook, route],
  );
  // The ward's today (no date after it) and the instance's repeat key, as the back end validates them.
  const ctx: FormContext = useMemo(() => buildFormContext(others, route.visitCode, wardToday(), route.repeatKey), [others, route.visitCode, route.repeatKey]);
  // formSchema accepts any input (it cleans raw strings); typed here as what the inputs hold.
  const schema = useMemo(() => formSchema(route.formCode, ctx, lang) as unknown as z.ZodType<FormData, RawValues>, [route.formCode, ctx, lang]);
  const defaults = useMemo(() => {
    if (instance.exists) return toRaw(def.fields, instance.data);
    const start: FormData = {};
    for (const f of def.fields) if (f.defaultValue !== undefined) start[f.id] = f.defaultValue;
    const prefill = { ...(FORM_PREFILL[route.formCode]?.(others, route.visitCode, route.repeatKey) ?? {}), ...(route.prefill ?? {}) };
    for (const [id, value] of Object.entries(prefill)) if (value !== null && value !== undefined) start[id] = value;
    return toRaw(def.fields, start);
  }, [def, instance, others, route]);
  const form = useForm<RawValues>({
    resolver: zodResolver(schema) as Resolver<RawValues>,
    mode: 'onChange',
    defaultValues: defaults,
  });
  // Only isSubmitted is read from the form-wide state here: the editor renders again on submit, never per keystroke.
  const { register, control, handleSubmit, formState, reset, setError: setFieldError, setValue, trigger, subscribe, getValues } = form;
  // Messages already on screen follow the language toggle: validate again with the new language's schema.
  const { isSubmitted } = formState;
  useEffect(() => {
    if (isSubmitted) void trigger();
  }, [schema, isSubmitted, trigger]);

  const ownedBy = roleReadOnly(def, user.role);
  const readOnly = instance.status === 'locked' || ownedBy !== null || SYSTEM_FORMS.has(route.formCode);
  const showUnblinded = user.role === 'pharmacist';
  const [store] = useState(() => new LiveStore(computeLive(route.formCode, defaults, ctx, showUnblinded)));
  const [banner, setBanner] = useState<{ kind: 'ok' | 'warn'; text: string } | null>(null);
  const [apiError, setApiError] = useState<unknown>(null);
  const [askReason, setAskReason] = useState<FormData | null>(null);
  const [saving, setSaving] = useState(false);
  /** When the last draft was stored (ISO); the message is worded at render time so it follows the language toggle. */
  const [draftSavedAt, setDraftSavedAt] = useState<string | null>(null);
  /** Bumped by a draft restore (reset): the rows render again so their inputs register again. */
  const [generation, setGeneration] = useState(0);

  // A draft newer than the saved version: offer it (local copy first, it is at least as fresh).
  const [pendingDraft, setPendingDraft] = useState<LocalDraft | null>(() => {
    const local = readLocalDraft(...draftKey);
    if (local && local.baseVersion === instance.version) return local;
    if (instance.draft) return { values: instance.draft.data as RawValues, savedAt: instance.draft.savedAt, baseVersion: instance.version };
    return null;
  });

  // Every change of the values, outside rendering: work out the live state once (rows read their slices of it) and
  // autosave while typing — localStorage at once, the back end after a short pause.
  const dirty = useRef(false);
  const timer = useRef<number | undefined>(undefined);
  /** The draft upload in flight, awaited by Save so a late draft cannot land after the saved version. */
  const draftUpload = useRef<Promise<unknown>>(Promise.resolve());
  useEffect(() => {
    let last: RawValues | null = null;
    const unsubscribe = subscribe({
      formState: { values: true, isDirty: true },
      callback: ({ values, isDirty }) => {
        const raw = values as RawValues;
        const changed = last === null || !sameRaw(last, raw);
        const becameDirty = isDirty === true && !dirty.current;
        dirty.current = isDirty === true;
        if (changed) {
          last = { ...raw };
          store.set(computeLive(route.formCode, raw, ctx, showUnblinded));
        }
        if (!dirty.current || readOnly || !(changed || becameDirty)) return;
        const savedAt = new Date().toISOString();
        writeLocalDraft({ values: raw, savedAt, baseVersion: instance.version }, ...draftKey);
        window.clearTimeout(timer.current);
        timer.current = window.setTimeout(() => {
          draftUpload.current = call('drafts.save', { ...route, data: raw as Record<string, string | string[]> }).then(
            (r) => setDraftSavedAt(r.savedAt),
            () => setDraftSavedAt(savedAt),
          );
        }, AUTOSAVE_MS);
      },
    });
    return () => {
      unsubscribe();
      window.clearTimeout(timer.current);
    };
    // draftKey, route, ctx and the role do not change while the editor is open (FormScreen keys it by version).
  }, [subscribe, store, readOnly]);

  const save = async (typed: FormData, reason?: string) => {
    setSaving(true);
    setApiError(null);
    // A pending autosave would store a draft newer than the version being saved ("draft found" right after Save).
    window.clearTimeout(timer.current);
    await draftUpload.current;
    try {
      const outcome = await call('forms.save', {
        ...route,
        data: savePayload(def.fields, typed),
        expectedVersion: instance.version,
        ...(reason ? { reason } : {}),
      });
      clearLocalDraft(...draftKey);
      noteStatusReset(route, outcome);
      const queried = outcome.warnings.filter((w) => raisesQuery(w.checkId)).length;
      const flagged = outcome.warnings.length - queried;
      setBanner({
        kind: outcome.warnings.length ? 'warn' : 'ok',
        text: queried
          ? t('entry.form.savedWithWarnings', { version: outcome.version, count: queried })
          : flagged
            ? t('entry.form.savedWithFlags', { version: outcome.version, count: flagged })
            : t('entry.form.saved', { version: outcome.version }),
      });
      window.setTimeout(onSaved, 600);
    } catch (e) {
      if (isSessionEnd(e)) return onSessionLost();
      if (e instanceof ApiCallError && e.error.code === 'CONFLICT' && !readOnly) {
        // Someone saved a newer version: reload it and keep what was typed beside it (nothing typed is lost).
        const typedNow = { ...(getValues() as RawValues) };
        writeLocalDraft({ values: typedNow, savedAt: new Date().toISOString(), baseVersion: instance.version }, ...draftKey);
        setSaving(false);
        // Only what this user changed travels: the other user's corrections to the rest stay as they saved them.
        return onConflict(changedValues(defaults, typedNow));
      }
      if (e instanceof ApiCallError) {
        for (const issue of e.error.issues ?? []) {
          if (issue.severity === 'error' && def.fields.some((f) => f.id === issue.fieldId)) {
            setFieldError(issue.fieldId, { type: 'server', message: pick(issue.message) });
          }
        }
      }
      setApiError(e);
    } finally {
      setSaving(false);
    }
  };

  const submit = handleSubmit(
    (typed) => {
      const values = typed as unknown as FormData;
      // A form the system opened (an infusion reaction's AE) is completed by its first person without a reason.
      if (instance.exists && dirty.current && !instance.openedBySystem) setAskReason(values);
      else if (instance.exists && !dirty.current) setBanner({ kind: 'ok', text: t('entry.form.noChanges') });
      else void save(values);
    },
    () => setBanner(null),
  );

  const formRef = useRef<HTMLFormElement>(null);
  const onKeyDown = (e: React.KeyboardEvent<HTMLFormElement>) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
      e.preventDefault();
      void submit();
      return;
    }
    const target = e.target as HTMLElement;
    if (e.key === 'Enter' && target.tagName === 'INPUT') {
      // Enter moves on to the next field (skipping the other options of a radio group and the buttons beside a
      // field); it never submits by accident.
      e.preventDefault();
      const fields = [...(formRef.current?.querySelectorAll<HTMLElement>('[data-field]') ?? [])];
      const here = target.closest<HTMLElement>('[data-field]');
      const control = (f: HTMLElement) =>
        f.querySelector<HTMLElement>('input[type="radio"]:checked:not([disabled])') ??
        f.querySelector<HTMLElement>('input:not([disabled]), select:not([disabled]), textarea:not([disabled])');
      for (const f of fields.slice(here ? fields.indexOf(here) + 1 : 0)) {
        const next = control(f);
        if (next) {
          next.focus();
          return;
        }
      }
      formRef.current?.querySelector<HTMLElement>('button[type="submit"]')?.focus();
    }
  };

  // The layout changes only when a field appears or disappears (visibleWhen), not per keystroke.
  const visibleKey = useLive(store, (l) => l.visibleKey);
  const blocks = useMemo(() => {
    const ids = new Set(visibleKey.split(' '));
    return fieldBlocks(def.fields.filter((f) => ids.has(f.id)));
  }, [def, visibleKey]);
  const env: FieldEnv = useMemo(
    () => ({
      control,
      register,
      store,
      readOnly,
      role: user.role,
      form: { subjectId: route.subjectId, visitCode: route.visitCode, formCode: route.formCode, repeatKey: route.repeatKey },
      generation,
      setText: (fieldId: string, text: string) => setValue(fieldId, text, { shouldDirty: true, shouldValidate: true }),
      setReason: (fieldId: string, reason: string) => {
        setValue(missingItemId(fieldId), reason, { shouldDirty: true });
        void trigger(fieldId);
      },
      getText: (fieldId: string) => {
        const v = getValues(fieldId);
        return typeof v === 'string' ? v : '';
      },
    }),
    [control, register, store, readOnly, user.role, route, generation, setValue, getValues, trigger],
  );
  const setLiveValue = useCallback(
    (fieldId: string, value: ItemValue) =>
      setValue(fieldId, value === null || value === undefined ? '' : Array.isArray(value) ? value : String(value), {
        shouldDirty: true,
        shouldValidate: true,
      }),
    [setValue],
  );
  /** What panels and footers get besides the live values (LiveExtension adds those). */
  const panelBase: Omit<FormPanelProps, 'values'> = useMemo(
    () => ({
      subjectId: route.subjectId,
      visitCode: route.visitCode,
      formCode: route.formCode,
      repeatKey: route.repeatKey,
      casebook,
      ctx,
      setValue: setLiveValue,
      status: instance.status,
      version: instance.version,
      saved: instance.exists,
      readOnly,
      onSaved,
      onOpenForm,
    }),
    [route, casebook, ctx, setLiveValue, instance.status, instance.version, instance.exists, readOnly, onSaved, onOpenForm],
  );
  const Panel = FORM_PANELS[route.formCode];
  // The derived-values box: what the form's panel does not already show (ELIG criteria, the response steps).
  const shownDerived = useMemo(() => (def.derived ?? []).filter((d) => !d.hideOnForm && (!d.unblindedOnly || showUnblinded)), [def, showUnblinded]);
  const visitLabel = visitDef(route.visitCode)?.label;

  return (
    <section className="card form-screen">
      <SubjectBanner subject={subject} casebook={casebook} />
      <PrintPageHeader text={`${casebookHeader(subject.screeningNo, subject.randNo, lang)} · ${pick(def.label)}${visitLabel ? ` · ${pick(visitLabel)}` : ''}`} />
      <div className="form-head">
        <button type="button" className="link-button" onClick={onBack}>
          {backTo === 'queries' ? t('entry.form.backToQueries') : t('entry.form.back')}
        </button>
        <h1>
          <HelpButton topic="form" /> {pick(def.label)}
          {route.repeatKey > 0 && (
            <span className="muted">
              {' · '}
              {visitDef(route.visitCode)?.repeating
                ? `#${route.repeatKey}`
                : def.repeating
                  ? t('entry.casebook.entry', { n: route.repeatKey })
                  : t('entry.form.givenLater')}
            </span>
          )}
        </h1>
        <div className="form-meta muted">
          {visitLabel && <span>{pick(visitLabel)}</span>}
          <span data-testid="form-status">
            {t('entry.form.status', { status: instance.status ? t(`entry.formStatus.${instance.status}`) : t('entry.form.notSaved') })}
          </span>
          {instance.exists && <span>{t('entry.form.version', { version: instance.version })}</span>}
          {instance.updatedAt && instance.updatedBy && <span>{t('entry.form.lastSaved', { by: instance.updatedBy, at: formatLocal(instance.updatedAt) })}</span>}
          {instance.exists && <AuditTrailButton {...route} onSessionLost={onSessionLost} />}
        </div>
      </div>
      {readOnly && (
        <div className="banner banner-info" data-testid="read-only">
          {instance.status === 'locked'
            ? t('entry.form.readOnlyLocked')
            : ownedBy && ownedBy.length > 0 && !SYSTEM_FORMS.has(route.formCode)
              ? t('entry.form.readOnlyOwner', { roles: ownedBy.map((r) => t(`roles.${r}`)).join(' / ') })
              : t('entry.form.readOnlyRole')}
        </div>
      )}
      {conflict && !readOnly && (
        <ConflictPanel
          fields={def.fields}
          saved={defaults}
          mine={conflict}
          version={instance.version}
          onUseMine={() => {
            reset({ ...defaults, ...conflict }, { keepDefaultValues: true });
            setGeneration((n) => n + 1);
            setPendingDraft(null);
            onConflictDone();
          }}
          onKeepSaved={() => {
            clearLocalDraft(...draftKey);
            void call('drafts.discard', route).catch(() => undefined);
            setPendingDraft(null);
            onConflictDone();
          }}
        />
      )}
      {pendingDraft && !readOnly && !conflict && (
        <div className="banner banner-warn" role="status" data-testid="draft-found">
          {t('entry.form.draftFound', { time: formatLocal(pendingDraft.savedAt) })}{' '}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              reset({ ...defaults, ...pendingDraft.values }, { keepDefaultValues: true });
              setGeneration((n) => n + 1);
              setPendingDraft(null);
            }}
          >
            {t('entry.form.restore')}
          </button>{' '}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              clearLocalDraft(...draftKey);
              void call('drafts.discard', route).catch(() => undefined);
              setPendingDraft(null);
            }}
          >
            {t('entry.form.discard')}
          </button>
        </div>
      )}
      <form ref={formRef} onSubmit={submit} onKeyDown={onKeyDown} noValidate data-testid="form">
        {/* A derived form (ELIG, RESPONSE) shows its evidence first, then the fields that confirm it. */}
        {Panel && def.derivedOnly && <LiveExtension Extension={Panel} base={panelBase} store={store} />}
        {blocks.map((block, i) =>
          block.kind === 'grid' ? (
            <FieldGrid key={`grid-${block.table.id}-${i}`} block={block} env={env} />
          ) : (
            <fieldset key={`${block.title?.en ?? ''}-${i}`} className="form-section">
              {block.title && <legend>{pick(block.title)}</legend>}
              {block.fields.map((f) => (
                <FieldInput key={f.id} field={f} env={env} />
              ))}
            </fieldset>
          ),
        )}
        {shownDerived.length > 0 && (
          <fieldset className="form-section derived">
            <legend>{t('entry.form.derived')}</legend>
            {shownDerived.map((d) => (
              <DerivedRow key={d.id} derived={d} store={store} />
            ))}
          </fieldset>
        )}
        {Panel && !def.derivedOnly && <LiveExtension Extension={Panel} base={panelBase} store={store} />}
        <LooseWarnings store={store} />
        <FormLevelErrors control={control} store={store} />
        {banner && (
          <div className={`banner ${banner.kind === 'ok' ? 'banner-ok' : 'banner-warn'}`} role="status" data-testid="save-result">
            {banner.text}
          </div>
        )}
        <ErrorBanner error={apiError} />
        {!readOnly && (
          <div className="form-actions">
            <DraftNote control={control} draftSavedAt={draftSavedAt} />
            <ErrorCount control={control} />
            <span className="muted small">{t('entry.form.keyboardHint')}</span>
            <button type="submit" className="btn btn-primary" disabled={saving} data-testid="save">
              {saving ? t('entry.form.saving') : t('entry.form.save')}
            </button>
          </div>
        )}
        <LeaveGuard control={control} />
      </form>
      {FORM_FOOTERS.map(({ component, live }, n) =>
        live ? <LiveExtension key={n} Extension={component} base={panelBase} store={store} /> : <SavedStateExtension key={n} Extension={component} base={panelBase} store={store} />,
      )}
      {askReason && (
        <ReasonDialog
          onCancel={() => setAskReason(null)}
          onConfirm={(reason) => {
            const values = askReason;
            setAskReason(null);
            void save(values, reason);
          }}
        />
      )}
    </section>
  );
}

const sameInput = (x: RawValues[string], y: RawValues[string]) =>
  Array.isArray(x) && Array.isArray(y) ? x.length === y.length && x.join('\u0000') === y.join('\u0000') : (x ?? '') === (y ?? '');

/** The inputs whose value differs from the form as it was opened. */
export function changedValues(base: RawValues, now: RawValues): RawValues {
  const out: RawValues = {};
  for (const [k, v] of Object.entries(now)) if (!sameInput(base[k], v)) out[k] = v;
  return out;
}

/** Same input values (strings, or lists of strings for multichoice). */
function sameRaw(a: RawValues, b: RawValues): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const x = a[k];
    const y = b[k];
    if (Array.isArray(x) && Array.isArray(y) ? x.join('\u0000') !== y.join('\u0000') || x.length !== y.length : x !== y) return false;
  }
  return true;
}

/** A panel or footer (formExtensions.tsx) with the live values: the one part that renders again on every change. */
const LiveExtension = memo(function LiveExtension({ Extension, base, store }: { Extension: ComponentType<FormPanelProps>; base: Omit<FormPanelProps, 'values'>; store: LiveStore }) {
  const values = useLive(store, (l) => l.values);
  return <Extension {...base} values={values} />;
});

/** A footer that does not read the typed values (SDV and signatures): drawn with the values it opened with, never per keystroke. */
const SavedStateExtension = memo(function SavedStateExtension({ Extension, base, store }: { Extension: ComponentType<FormPanelProps>; base: Omit<FormPanelProps, 'values'>; store: LiveStore }) {
  const [values] = useState(() => store.get().values);
  return <Extension {...base} values={values} />;
});

/** One derived value (eGFR, BSA, ...) with its formula on hover; renders again only when its own value changes. */
const DerivedRow = memo(function DerivedRow({ derived: d, store }: { derived: DerivedDef; store: LiveStore }) {
  const { t } = useTranslation();
  const value = useLive(store, (l) => l.derived[d.id] ?? null);
  const formula = t('entry.form.formula', { formula: pick(d.formula) });
  return (
    <div className="derived-row" title={formula} data-testid={`derived-${d.id}`}>
      <span className="derived-label">
        {pick(d.label)} <span className="info" aria-label={formula}>ⓘ</span>
      </span>
      <span className="derived-value">
        {derivedValueText(d, value, { yes: t('entry.form.yes'), no: t('entry.form.no') }, currentLang()) ?? '—'}{' '}
        {d.unit && <span className="unit">{unitIn(d.unit, currentLang())}</span>}
      </span>
    </div>
  );
});

const sameWarnings = (a: readonly ValidationIssue[], b: readonly ValidationIssue[]) => a.length === b.length && a.every((w, i) => sameWarning(w, b[i]));

/** Warnings not tied to a field on screen (cross-form checks), above the Save button. */
function LooseWarnings({ store }: { store: LiveStore }) {
  const { t } = useTranslation();
  const warnings = useLive(store, (l) => l.looseWarnings, sameWarnings);
  if (warnings.length === 0) return null;
  return (
    <div className="banner banner-warn">
      <strong>{t('entry.form.warnings')}</strong>
      <ul>
        {warnings.map((w) => (
          <li key={w.checkId}>⚠ {pick(w.message)}</li>
        ))}
      </ul>
    </div>
  );
}

/** Errors not tied to a visible field (e.g. the consent gate), above the Save button. */
function FormLevelErrors({ control, store }: { control: Control<RawValues>; store: LiveStore }) {
  const { errors } = useFormState({ control });
  const visibleKey = useLive(store, (l) => l.visibleKey);
  const visible = useMemo(() => new Set(visibleKey.split(' ')), [visibleKey]);
  const shown = Object.entries(errors)
    .filter(([id]) => !visible.has(id))
    .map(([id, e]) => ({ id, message: (e as { message?: string } | undefined)?.message ?? '' }))
    .filter((e) => e.message);
  if (shown.length === 0) return null;
  return (
    <div className="banner banner-error" role="alert" data-testid="form-errors">
      {shown.map((e) => (
        <div key={e.id}>✖ {e.message}</div>
      ))}
    </div>
  );
}

/** "Unsaved changes" and when the last draft was stored. */
function DraftNote({ control, draftSavedAt }: { control: Control<RawValues>; draftSavedAt: string | null }) {
  const { t } = useTranslation();
  const { isDirty } = useFormState({ control });
  return (
    <span className="muted small">
      {isDirty ? t('entry.form.unsaved') : ''} {draftSavedAt && t('entry.form.draftSaved', { time: formatLocal(draftSavedAt) })}
    </span>
  );
}

/** The number of errors, after a first Save. */
function ErrorCount({ control }: { control: Control<RawValues> }) {
  const { t } = useTranslation();
  const { errors, isSubmitted } = useFormState({ control });
  const count = Object.keys(errors).length;
  return count > 0 && isSubmitted ? <span className="error-count">{t('entry.form.errors', { count })}</span> : null;
}

/** The browser asks before leaving a page with unsaved changes. */
function LeaveGuard({ control }: { control: Control<RawValues> }) {
  const { isDirty } = useFormState({ control });
  useEffect(() => {
    if (!isDirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [isDirty]);
  return null;
}

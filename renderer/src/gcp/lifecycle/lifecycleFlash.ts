// A message for the lifecycle bar that survives the form screen's reload after a save or action (the reload remounts the bar).
export interface FormRef {
  subjectId: number;
  visitCode: string;
  formCode: string;
  repeatKey: number;
}

/** 'ok': a message key (translated when shown, so it follows the language toggle) with an optional count. */
export type Flash = { kind: 'ok'; key: string; count?: number } | { kind: 'reset'; from: 'verified' | 'signed' };

/** For one form at one version: the form screen remounts the bar once more while it still holds the old version. */
let pending: { form: string; version: number; flash: Flash } | null = null;

const formId = (f: FormRef) => `${f.subjectId}/${f.visitCode}/${f.formCode}/${f.repeatKey}`;

export function setFlash(form: FormRef, version: number, flash: Flash): void {
  pending = { form: formId(form), version, flash };
}

/** The saved form was verified or signed and is back to complete: the bar says so after the reload. */
export function noteStatusReset(form: FormRef, outcome: { version: number; statusReset: 'verified' | 'signed' | null }): void {
  if (outcome.statusReset) setFlash(form, outcome.version, { kind: 'reset', from: outcome.statusReset });
}

/** The message left for this form at this version, once. */
export function takeFlash(form: FormRef, version: number): Flash | null {
  if (!pending || pending.form !== formId(form) || pending.version !== version) return null;
  const { flash } = pending;
  pending = null;
  return flash;
}

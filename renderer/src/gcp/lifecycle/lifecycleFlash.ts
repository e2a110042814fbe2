// A message for the lifecycle bar that survives the form screen's reload after a save or action (the reload remounts the bar).
export interface FormRef {
  subjectId: number;
  visitCode: string;
  formCode: string;
  repeatKey: number;
}

export type Flash = { kind: 'ok'; text: string } | { kind: 'reset'; from: 'verified' | 'signed' };

let pending: { form: string; flash: Flash } | null = null;

const formId = (f: FormRef) => `${f.subjectId}/${f.visitCode}/${f.formCode}/${f.repeatKey}`;

export function setFlash(form: FormRef, flash: Flash): void {
  pending = { form: formId(form), flash };
}

/** The saved form was verified or signed and is back to complete: the bar says so after the reload. */
export function noteStatusReset(form: FormRef, from: 'verified' | 'signed' | null): void {
  if (from) setFlash(form, { kind: 'reset', from });
}

/** The message left for this form, once. */
export function takeFlash(form: FormRef): Flash | null {
  const mine = pending?.form === formId(form) ? pending.flash : null;
  pending = null;
  return mine;
}

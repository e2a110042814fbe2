// The second copy of a form draft, in this browser's localStorage, so typing survives a crash or a lost
// connection to the back end; the first copy is the back end's drafts table.
import type { FormCode, VisitCode } from '../../../shared/protocol/types';
import type { RawValues } from './FieldInput';

export interface LocalDraft {
  values: RawValues;
  savedAt: string;
  /** The saved form version the draft was typed on. */
  baseVersion: number;
}

const keyOf = (userId: number, subjectId: number, visitCode: VisitCode, formCode: FormCode, repeatKey: number) =>
  `ecrf.draft.${userId}.${subjectId}.${visitCode}.${formCode}.${repeatKey}`;

export function readLocalDraft(...key: Parameters<typeof keyOf>): LocalDraft | null {
  try {
    const text = localStorage.getItem(keyOf(...key));
    return text ? (JSON.parse(text) as LocalDraft) : null;
  } catch {
    return null;
  }
}

export function writeLocalDraft(draft: LocalDraft, ...key: Parameters<typeof keyOf>): void {
  try {
    localStorage.setItem(keyOf(...key), JSON.stringify(draft));
  } catch {
    // storage full or disabled: the back-end draft still holds the typing
  }
}

export function clearLocalDraft(...key: Parameters<typeof keyOf>): void {
  localStorage.removeItem(keyOf(...key));
}

// A subject's study status and how it changes: screen failure, withdrawal, completion and "created in error", each
// with who may record it, from which status, its date and reason; and what may still be entered afterwards.
import type { Role } from '../api/calls/common';
import type { Bilingual, FormCode, VisitCode } from './types';

export const SUBJECT_STATUSES = ['screening', 'screen_failed', 'randomised', 'completed', 'withdrawn', 'created_in_error'] as const;
export type SubjectStatus = (typeof SUBJECT_STATUSES)[number];

/** The statuses a person records (screening and randomised are reached by creating and randomising the subject). */
export const STATUS_CHANGES = ['screen_failed', 'withdrawn', 'completed', 'created_in_error'] as const;
export type StatusChange = (typeof STATUS_CHANGES)[number];

const bi = (zh: string, en: string): Bilingual => ({ zh, en });

export const STATUS_REASONS = {
  screen_failed: {
    not_eligible: bi('不符合入选/排除标准', 'Not eligible (inclusion/exclusion criteria)'),
    consent_withdrawn: bi('撤回知情同意', 'Consent withdrawn'),
    lost_to_follow_up: bi('失访', 'Lost to follow-up'),
    investigator_decision: bi('研究者决定', 'Investigator decision'),
    other: bi('其他', 'Other'),
  },
  withdrawn: {
    consent_withdrawn: bi('撤回知情同意', 'Consent withdrawn'),
    lost_to_follow_up: bi('失访', 'Lost to follow-up'),
    investigator_decision: bi('研究者决定', 'Investigator decision'),
    adverse_event: bi('不良事件', 'Adverse event'),
    death: bi('死亡', 'Death'),
  },
  completed: { per_protocol: bi('按方案完成第 6 个月访视', 'Month 6 completed per protocol') },
  created_in_error: { created_in_error: bi('误建（无任何数据）', 'Created in error (no data)') },
} as const satisfies Record<StatusChange, Record<string, Bilingual>>;

export type StatusReason = { [K in StatusChange]: keyof (typeof STATUS_REASONS)[K] }[StatusChange];
export const ALL_STATUS_REASONS = [...new Set(STATUS_CHANGES.flatMap((s) => Object.keys(STATUS_REASONS[s])))] as [StatusReason, ...StatusReason[]];

export interface TransitionRule {
  from: readonly SubjectStatus[];
  roles: readonly Role[];
  /** A note is required (always, or for these reasons). */
  noteRequired: boolean | readonly string[];
  label: Bilingual;
}

/**
 * Who records which change, from which status. A screen failure or a mistaken number before randomisation; a
 * withdrawal or completion after it, by the investigator (the decision is theirs; PROTOCOL.md EOS).
 */
export const TRANSITIONS: Record<StatusChange, TransitionRule> = {
  screen_failed: { from: ['screening'], roles: ['investigator', 'data_entry'], noteRequired: ['other'], label: bi('筛选失败', 'Screen failure') },
  withdrawn: { from: ['randomised'], roles: ['investigator'], noteRequired: false, label: bi('退出研究', 'Withdrawal') },
  completed: { from: ['randomised'], roles: ['investigator'], noteRequired: false, label: bi('完成研究', 'Completion') },
  created_in_error: { from: ['screening'], roles: ['admin', 'data_entry', 'investigator'], noteRequired: true, label: bi('误建作废', 'Created in error') },
};

/** The changes this role may record for a subject in this status. */
export function allowedChanges(status: SubjectStatus, role: Role): StatusChange[] {
  return STATUS_CHANGES.filter((c) => TRANSITIONS[c].from.includes(status) && TRANSITIONS[c].roles.includes(role));
}

export function noteRequired(change: StatusChange, reason: string): boolean {
  const r = TRANSITIONS[change].noteRequired;
  return r === true || (Array.isArray(r) && r.includes(reason));
}

/** The subject is no longer followed by the schedule: no visit is due or overdue. */
export function isOffSchedule(status: SubjectStatus): boolean {
  return status !== 'screening' && status !== 'randomised';
}

/**
 * What may still be entered for a subject that left the study (PROTOCOL.md: adverse events are followed up, the
 * end-of-study record is completed): a new AE or EOS only. Forms saved before may still be corrected (queries must be
 * answerable). A subject created in error takes nothing. null when allowed, else why not.
 */
export function entryClosed(status: SubjectStatus, form: { formCode: FormCode; visitCode: VisitCode }, exists: boolean): Bilingual | null {
  if (status === 'created_in_error') return bi('该受试者编号为误建，已作废，不能录入任何数据', 'This subject number was created in error and is void; no data can be entered');
  if (!isOffSchedule(status) || exists) return null;
  if (form.formCode === 'AE' || form.formCode === 'EOS') return null;
  const what = STATUS_WORDS[status];
  return bi(
    `受试者已${what.zh}：只能录入不良事件随访和研究结束表；已保存的表单仍可更正`,
    `The subject has ${what.en}: only adverse-event follow-up and the end-of-study form can be entered; saved forms can still be corrected`,
  );
}

const STATUS_WORDS: Record<SubjectStatus, Bilingual> = {
  screening: bi('筛选中', 'is in screening'),
  randomised: bi('随机', 'been randomised'),
  screen_failed: bi('筛选失败', 'failed screening'),
  withdrawn: bi('退出研究', 'withdrawn'),
  completed: bi('完成研究', 'completed the study'),
  created_in_error: bi('作废', 'been voided'),
};

// EOS form: end of study: completed or early termination, with date, reason and death details (PROTOCOL.md "EOS").
import type { FormDef } from '../types';
import { UNKNOWN_MISSING, choice, field } from './fieldKit';

const early = (d: Record<string, unknown>) => d.status === 'early_termination';
const died = (d: Record<string, unknown>) => early(d) && d.terminationReason === 'death';

export const EOS: FormDef = {
  code: 'EOS',
  label: { zh: '研究结束', en: 'End of study' },
  fields: [
    field('status', 'choice', '研究结束状态', 'Status', {
      required: true,
      choices: [choice('completed', '完成研究', 'Completed'), choice('early_termination', '提前终止', 'Early termination')],
    }),
    field('eosDate', 'date', '研究结束日期', 'End-of-study date', { required: true }),
    field('terminationReason', 'choice', '提前终止原因', 'Reason for early termination', {
      visibleWhen: early,
      required: early,
      choices: [
        choice('adverse_event', '不良事件', 'Adverse event'),
        choice('withdrew_consent', '受试者撤回知情同意', 'Subject withdrew consent'),
        choice('lost_to_follow_up', '失访', 'Lost to follow-up'),
        choice('investigator_decision', '研究者决定', 'Investigator decision'),
        choice('protocol_deviation', '严重违背方案', 'Major protocol deviation'),
        choice('pregnancy', '妊娠', 'Pregnancy'),
        choice('death', '死亡', 'Death'),
        choice('other', '其他', 'Other'),
      ],
    }),
    field('terminationReasonOther', 'text', '其他原因（请注明）', 'Other reason (specify)', {
      visibleWhen: (d) => early(d) && d.terminationReason === 'other',
      required: (d) => early(d) && d.terminationReason === 'other',
      maxLength: 200,
    }),
    field('deathDate', 'date', '死亡日期', 'Date of death', { visibleWhen: died, required: died, ...UNKNOWN_MISSING }),
    field('deathCause', 'text', '死亡原因', 'Cause of death', { visibleWhen: died, required: died, maxLength: 200, ...UNKNOWN_MISSING }),
    field('autopsy', 'boolean', '是否尸检', 'Autopsy performed', { visibleWhen: died, ...UNKNOWN_MISSING }),
  ],
};

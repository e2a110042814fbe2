// UNBLIND form: emergency unblinding record: when, why, who was told; the allocation itself is shown once by the back end (PROTOCOL.md "UNBLIND").
import type { FormDef } from '../types';
import { field } from './fieldKit';

export const UNBLIND: FormDef = {
  code: 'UNBLIND',
  label: { zh: '紧急揭盲', en: 'Emergency unblinding' },
  fields: [
    field('unblindDate', 'date', '揭盲日期', 'Date unblinded', { required: true }),
    field('unblindTime', 'time', '揭盲时间', 'Time unblinded', { required: true }),
    field('reason', 'textarea', '紧急揭盲理由', 'Reason for emergency unblinding', {
      required: true,
      maxLength: 1000,
      help: { zh: '仅在受试者安全需要知道分组时揭盲；研究者须重新验证身份', en: 'Only when the subject’s safety requires the allocation; the investigator re-authenticates' },
    }),
    field('sponsorNotified', 'boolean', '已通知申办方', 'Sponsor notified', { required: true }),
  ],
};

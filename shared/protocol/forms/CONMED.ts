// CONMED form (repeating log): concomitant medication: drug, dose, unit, route, frequency, dates, indication (PROTOCOL.md "CONMED").
import type { FormDef } from '../types';
import { UNKNOWN_MISSING, choice, field } from './fieldKit';

export const CONMED: FormDef = {
  code: 'CONMED',
  label: { zh: '合并用药', en: 'Concomitant medication' },
  repeating: true,
  fields: [
    field('drug', 'text', '药物名称', 'Drug', {
      required: true,
      maxLength: 100,
      help: { zh: '预期合并用药：甲泼尼龙、泼尼松龙、吗替麦考酚酯', en: 'Expected: methylprednisolone, prednisolone, mycophenolate mofetil' },
    }),
    field('dose', 'number', '单次剂量', 'Dose', { required: true, decimals: 3, plausible: { min: 0, max: 100000 }, ...UNKNOWN_MISSING }),
    field('doseUnit', 'choice', '剂量单位', 'Unit', {
      required: true,
      choices: [
        choice('mg', 'mg', 'mg'),
        choice('g', 'g', 'g'),
        choice('ug', 'µg', 'µg'),
        choice('mL', 'mL', 'mL'),
        choice('IU', 'IU', 'IU'),
        choice('tablet', '片', 'tablet'),
        choice('other', '其他', 'other'),
      ],
    }),
    field('route', 'choice', '给药途径', 'Route', {
      required: true,
      choices: [
        choice('po', '口服', 'Oral'),
        choice('iv', '静脉', 'Intravenous'),
        choice('im', '肌内注射', 'Intramuscular'),
        choice('sc', '皮下注射', 'Subcutaneous'),
        choice('topical', '外用', 'Topical'),
        choice('other', '其他', 'Other'),
      ],
    }),
    field('frequency', 'choice', '用药频次', 'Frequency', {
      required: true,
      choices: [
        choice('qd', '每日 1 次', 'Once daily'),
        choice('bid', '每日 2 次', 'Twice daily'),
        choice('tid', '每日 3 次', 'Three times daily'),
        choice('qid', '每日 4 次', 'Four times daily'),
        choice('qod', '隔日 1 次', 'Every other day'),
        choice('qw', '每周 1 次', 'Once weekly'),
        choice('once', '单次', 'Single dose'),
        choice('prn', '必要时', 'As needed'),
        choice('other', '其他', 'Other'),
      ],
    }),
    field('startDate', 'date', '开始日期', 'Start date', { required: true, allowBeforeConsent: true }),
    field('ongoing', 'boolean', '仍在使用', 'Ongoing', { required: true }),
    field('stopDate', 'date', '停药日期', 'Stop date', { visibleWhen: (d) => d.ongoing === false, required: (d) => d.ongoing === false, allowBeforeConsent: true }),
    field('indication', 'text', '用药指征', 'Indication', { required: true, maxLength: 200 }),
  ],
};

// RAND form: randomisation number, kit number and date (Day 0); allocation visible only to the unblinded role (PROTOCOL.md "RAND").
import type { FormDef } from '../types';
import { choice, field } from './fieldKit';

export const RAND: FormDef = {
  code: 'RAND',
  label: { zh: '随机化', en: 'Randomisation' },
  fields: [
    field('randDate', 'date', '随机日期（第 0 天）', 'Randomisation date (Day 0)', { required: true, visitDate: true }),
    field('randNo', 'text', '随机号', 'Randomisation number', { required: true, pattern: '^R[0-9]{3,5}$', patternExample: 'R001', maxLength: 6 }),
    field('kitNo', 'text', '药物编号', 'Kit number', { required: true, pattern: '^[A-Za-z0-9-]{1,20}$', patternExample: 'K0001', maxLength: 20 }),
    field('allocation', 'choice', '分组', 'Allocation', {
      unblindedOnly: true,
      choices: [choice('MSC', '人脐带间充质干细胞（hUC-MSC）', 'hUC-MSC'), choice('PLACEBO', '安慰剂', 'Placebo')],
      help: { zh: '由系统按随机表填写，仅非盲药师可见', en: 'Filled by the system from the sealed list; unblinded pharmacist only' },
    }),
  ],
};

// PREG form: pregnancy test for women of childbearing potential: date, serum or urine, result (PROTOCOL.md "PREG").
import type { FormDef } from '../types';
import { choice, field } from './fieldKit';

export const PREG: FormDef = {
  code: 'PREG',
  label: { zh: '妊娠试验', en: 'Pregnancy test' },
  fields: [
    field('testDate', 'date', '检测日期', 'Test date', { required: true }),
    field('testType', 'choice', '标本类型', 'Specimen', {
      required: true,
      choices: [choice('serum', '血 hCG', 'Serum hCG'), choice('urine', '尿 hCG', 'Urine hCG')],
    }),
    field('result', 'choice', '结果', 'Result', {
      required: true,
      choices: [choice('negative', '阴性', 'Negative'), choice('positive', '阳性', 'Positive')],
    }),
  ],
};

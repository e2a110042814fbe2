// BILAG form: BILAG-2004 renal domain grade (required) and the other domains (optional) (PROTOCOL.md "BILAG").
import type { FormDef } from '../types';
import { BILAG_GRADE_CHOICES, INVESTIGATOR_ONLY, NOT_DONE_MISSING, bi, field } from './fieldKit';

const OTHER_DOMAINS: [id: string, zh: string, en: string][] = [
  ['constitutionalGrade', '全身症状', 'Constitutional'],
  ['mucocutaneousGrade', '皮肤黏膜', 'Mucocutaneous'],
  ['neuropsychiatricGrade', '神经精神', 'Neuropsychiatric'],
  ['musculoskeletalGrade', '肌肉骨骼', 'Musculoskeletal'],
  ['cardiorespiratoryGrade', '心肺', 'Cardiorespiratory'],
  ['gastrointestinalGrade', '消化系统', 'Gastrointestinal'],
  ['ophthalmicGrade', '眼部', 'Ophthalmic'],
  ['haematologicalGrade', '血液系统', 'Haematological'],
];

export const BILAG: FormDef = {
  code: 'BILAG',
  label: { zh: 'BILAG 评分', en: 'BILAG index' },
  fields: [
    field('assessmentDate', 'date', '评估日期', 'Assessment date', { required: true, visitDate: true }),
    field('renalGrade', 'choice', '肾脏系统分级', 'Renal domain grade', {
      required: true,
      choices: BILAG_GRADE_CHOICES,
      ...INVESTIGATOR_ONLY,
      section: bi('肾脏', 'Renal'),
      help: bi('A/B 级满足入选标准（或 SLEDAI-2K >8）', 'A or B meets the inclusion criterion (or SLEDAI-2K > 8)'),
    }),
    ...OTHER_DOMAINS.map(([id, zh, en]) =>
      field(id, 'choice', `${zh}分级`, `${en} grade`, { choices: BILAG_GRADE_CHOICES, ...INVESTIGATOR_ONLY, ...NOT_DONE_MISSING, section: bi('其他系统（选填）', 'Other domains (optional)') }),
    ),
  ],
};

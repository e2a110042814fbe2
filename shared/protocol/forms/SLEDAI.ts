// SLEDAI form: the 24 SLEDAI-2K descriptors present in the last 10 days, with the total derived (PROTOCOL.md "SLEDAI").
import type { Bilingual, FieldDef, FormDef } from '../types';
import { SLEDAI_DESCRIPTORS, type SledaiGroup, sledai2kScore } from '../../rules/sledai';
import { NOT_DONE_MISSING, bi, field } from './fieldKit';

const GROUP_SECTIONS: Record<SledaiGroup, Bilingual> = {
  neuro: bi('神经精神（各 8 分）', 'Neuropsychiatric (8 each)'),
  vascular: bi('血管（8 分）', 'Vascular (8)'),
  musculoskeletal: bi('肌肉骨骼（各 4 分）', 'Musculoskeletal (4 each)'),
  renal: bi('肾脏（各 4 分）', 'Renal (4 each)'),
  mucocutaneous: bi('皮肤黏膜（各 2 分）', 'Mucocutaneous (2 each)'),
  serosal: bi('浆膜炎（各 2 分）', 'Serositis (2 each)'),
  immunological: bi('免疫学（各 2 分）', 'Immunological (2 each)'),
  constitutional: bi('全身（1 分）', 'Constitutional (1)'),
  haematological: bi('血液系统（各 1 分）', 'Haematological (1 each)'),
};

/**
 * Each descriptor is answered present (true) or absent (false): "absent" is a value, a blank is "not entered" (issue
 * 14), so every descriptor is required; the form offers "mark the rest absent" for the ones not yet answered. A
 * lab-based one may instead be "not done" (the test behind it was not done); the lab-based ones are pre-ticked by the
 * UI from suggestSledaiFromLab(). The total counts the present ones (a blank or "not done" adds nothing).
 */
const descriptorFields: FieldDef[] = SLEDAI_DESCRIPTORS.map((d) =>
  field(d.id, 'boolean', `${d.label.zh}（${d.weight} 分）`, `${d.label.en} (${d.weight})`, {
    section: GROUP_SECTIONS[d.group],
    required: true,
    ...(d.labBased ? { ...NOT_DONE_MISSING, help: bi('可根据同次访视化验结果预填，请研究者确认', 'Pre-filled from the same visit’s labs; investigator confirms') } : {}),
  }),
);

export const SLEDAI: FormDef = {
  code: 'SLEDAI',
  label: { zh: 'SLEDAI-2K 疾病活动度评分', en: 'SLEDAI-2K disease activity' },
  fields: [
    field('assessmentDate', 'date', '评估日期', 'Assessment date', {
      required: true,
      visitDate: true,
      help: bi('记录评估前 10 天内出现的表现', 'Record features present in the 10 days before the assessment'),
    }),
    ...descriptorFields,
  ],
  derived: [
    {
      id: 'sledaiTotal',
      label: { zh: 'SLEDAI-2K 总分', en: 'SLEDAI-2K total' },
      formula: {
        zh: '所勾选各项权重之和（神经/血管 8 分，肌肉骨骼/肾脏 4 分，皮肤黏膜/浆膜/免疫 2 分，发热/血小板/白细胞 1 分），0–105',
        en: 'Sum of the weights of the ticked descriptors (8 neuro/vascular, 4 musculoskeletal/renal, 2 mucocutaneous/serosal/immunological, 1 fever/platelets/WBC), 0-105',
      },
      decimals: 0,
      compute: (d) => sledai2kScore(d as Record<string, boolean>),
    },
  ],
};

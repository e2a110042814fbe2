// BIOPSY form: renal biopsy date and ISN/RPS (WHO) class with III/IV subclasses and coexisting class V (PROTOCOL.md "BIOPSY").
import type { FormDef } from '../types';
import { UNKNOWN_MISSING, choice, field } from './fieldKit';

const proliferative = (d: Record<string, unknown>) => d.isnClass === 'III' || d.isnClass === 'IV';

export const BIOPSY: FormDef = {
  code: 'BIOPSY',
  label: { zh: '肾活检', en: 'Renal biopsy' },
  fields: [
    field('biopsyDate', 'date', '肾活检日期', 'Biopsy date', {
      required: true,
      allowBeforeConsent: true,
      help: { zh: '诊断性肾活检可早于知情同意', en: 'The diagnostic biopsy may predate consent' },
    }),
    field('isnClass', 'choice', 'ISN/RPS（WHO）病理分型', 'ISN/RPS (WHO) class', {
      required: true,
      choices: [
        choice('I', 'I 型 轻微系膜性', 'Class I minimal mesangial'),
        choice('II', 'II 型 系膜增生性', 'Class II mesangial proliferative'),
        choice('III', 'III 型 局灶性', 'Class III focal'),
        choice('IV', 'IV 型 弥漫性', 'Class IV diffuse'),
        choice('V', 'V 型 膜性', 'Class V membranous'),
        choice('VI', 'VI 型 严重硬化性', 'Class VI advanced sclerosing'),
      ],
    }),
    field('activityChronicity', 'choice', '活动性/慢性病变', 'Activity / chronicity', {
      visibleWhen: proliferative,
      required: proliferative,
      choices: [
        choice('A', 'A 活动性病变', 'A active'),
        choice('A/C', 'A/C 活动性伴慢性病变', 'A/C active and chronic'),
        choice('C', 'C 慢性非活动性病变', 'C chronic inactive'),
      ],
    }),
    field('classIvSegmental', 'choice', 'IV 型亚型', 'Class IV subtype', {
      visibleWhen: (d) => d.isnClass === 'IV',
      required: (d) => d.isnClass === 'IV',
      choices: [choice('S', 'IV-S 节段性', 'IV-S segmental'), choice('G', 'IV-G 球性', 'IV-G global')],
    }),
    field('classVCoexisting', 'boolean', '合并 V 型', 'Coexisting class V', { visibleWhen: proliferative, required: proliferative }),
    field('glomeruliCount', 'integer', '肾小球数目', 'Glomeruli in sample', { plausible: { min: 0, max: 200 }, normal: { min: 10 }, ...UNKNOWN_MISSING }),
  ],
};

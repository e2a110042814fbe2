// AE form (repeating log): adverse event term, dates, CTCAE v5 grade, seriousness (ICH E2A), causality, action, outcome (PROTOCOL.md "AE").
import type { FormData, FormDef } from '../types';
import { CTCAE_GRADE_CHOICES, RELATIONSHIP_CHOICES, UNKNOWN_MISSING, choice, field, bi, inSection } from './fieldKit';

export const SERIOUS_CRITERIA_CHOICES = [
  choice('death', '导致死亡', 'Results in death'),
  choice('life_threatening', '危及生命', 'Life-threatening'),
  choice('hospitalisation', '导致住院或延长住院时间', 'Requires or prolongs hospitalisation'),
  choice('disability', '导致永久或严重残疾/功能丧失', 'Persistent or significant disability/incapacity'),
  choice('congenital_anomaly', '先天性异常/出生缺陷', 'Congenital anomaly/birth defect'),
  choice('important_medical_event', '其他重要医学事件', 'Important medical event'),
];

/** Serious AEs must be reported to the sponsor and ethics committee within 24 h (expedited reporting). */
export function isExpeditedReport(ae: FormData): boolean {
  return ae?.serious === true;
}

const RELATED = new Set(['possible', 'probable', 'definite']);
const serious = (d: FormData) => d.serious === true;

/**
 * SUSAR (amendment 1, rule 6): serious, related to either study treatment (possible, probable or definite) and
 * unexpected. 1 / 0, or null while seriousness, causality or expectedness is not yet known.
 */
export function susar(d: FormData): number | null {
  if (d.serious === false) return 0;
  if (d.serious !== true) return null;
  const rel = [d.relationInfusion, d.relationCyc];
  const related = rel.some((r) => typeof r === 'string' && RELATED.has(r));
  if (!related && rel.some((r) => typeof r !== 'string')) return null;
  if (!related) return 0;
  if (d.expectedness === 'unexpected') return 1;
  return d.expectedness === 'expected' ? 0 : null;
}

export const AE: FormDef = {
  code: 'AE',
  label: { zh: '不良事件', en: 'Adverse event' },
  repeating: true,
  fields: [
    ...inSection(bi('事件', 'Event'), [
      field('term', 'text', '不良事件名称', 'Adverse event term', { required: true, maxLength: 200, help: bi('尽量使用诊断名称，如"肺部感染"', 'Use a diagnosis where possible, e.g. "pneumonia"') }),
      field('sourceForm', 'text', '来源', 'Opened from', {
        maxLength: 40,
        help: bi('由输注反应或危急值建立时自动填写来源表单', 'Filled in when opened from an infusion reaction or a critical value'),
      }),
      field('onsetDate', 'date', '开始日期', 'Onset date', { required: true }),
      field('ongoing', 'boolean', '持续中', 'Ongoing', { required: true }),
      field('endDate', 'date', '结束日期', 'End date', { visibleWhen: (d) => d.ongoing === false, required: (d) => d.ongoing === false, ...UNKNOWN_MISSING }),
      field('grade', 'choice', 'CTCAE v5.0 分级', 'CTCAE v5.0 grade', { required: true, choices: CTCAE_GRADE_CHOICES }),
    ]),
    ...inSection(bi('严重性与相关性', 'Seriousness and causality'), [
      field('serious', 'boolean', '严重不良事件（SAE）', 'Serious adverse event (SAE)', { required: true, help: bi('SAE 须在获知后 24 小时内上报', 'Report an SAE within 24 h of awareness') }),
      field('seriousCriteria', 'multichoice', 'SAE 判定标准（可多选）', 'Seriousness criteria (all that apply)', {
        visibleWhen: (d) => d.serious === true,
        required: (d) => d.serious === true,
        choices: SERIOUS_CRITERIA_CHOICES,
      }),
      field('awarenessDate', 'date', '研究者获知 SAE 的日期', 'Date the investigator became aware of the SAE', {
        visibleWhen: serious,
        required: serious,
        help: bi('24 小时上报时限由此起算', 'The 24-hour reporting deadline runs from here'),
      }),
      field('awarenessTime', 'time', '获知时间', 'Time of awareness', { visibleWhen: serious, required: serious }),
      field('expectedness', 'choice', '预期性（参照研究者手册）', 'Expectedness (per the investigator’s brochure)', {
        visibleWhen: serious,
        required: serious,
        choices: [choice('expected', '预期', 'Expected'), choice('unexpected', '非预期', 'Unexpected')],
      }),
      field('relationInfusion', 'choice', '与研究药物输注的相关性', 'Relationship to study infusion', { required: true, choices: RELATIONSHIP_CHOICES }),
      field('relationCyc', 'choice', '与环磷酰胺的相关性', 'Relationship to cyclophosphamide', { required: true, choices: RELATIONSHIP_CHOICES }),
      field('actionTaken', 'choice', '对研究治疗采取的措施', 'Action taken with study treatment', {
        required: true,
        choices: [
          choice('none', '未调整', 'Dose not changed'),
          choice('dose_reduced', '减量', 'Dose reduced'),
          choice('interrupted', '暂停', 'Interrupted'),
          choice('withdrawn', '永久停用', 'Permanently withdrawn'),
          choice('not_applicable', '不适用', 'Not applicable'),
        ],
      }),
      field('outcome', 'choice', '转归', 'Outcome', {
        required: true,
        choices: [
          choice('recovered', '痊愈', 'Recovered'),
          choice('recovering', '好转', 'Recovering'),
          choice('not_recovered', '未好转', 'Not recovered'),
          choice('recovered_with_sequelae', '痊愈伴后遗症', 'Recovered with sequelae'),
          choice('fatal', '死亡', 'Fatal'),
          choice('unknown', '不详', 'Unknown'),
        ],
      }),
    ]),
    ...inSection(bi('SAE 上报', 'SAE reporting'), [
      field('reportedSponsorDate', 'date', '报告申办方日期', 'Date reported to the sponsor', { visibleWhen: serious }),
      field('reportedEcDate', 'date', '报告伦理委员会日期', 'Date reported to the ethics committee', { visibleWhen: serious }),
      field('followUpReports', 'textarea', '随访报告（日期及要点）', 'Follow-up reports (date and content)', {
        visibleWhen: serious,
        maxLength: 2000,
        help: bi('每次随访报告一行，如：2024-03-05 已出院，继续随访', 'One line per follow-up report, e.g. 2024-03-05 discharged, follow-up continues'),
      }),
    ]),
  ],
  derived: [
    {
      id: 'susar',
      label: { zh: '可疑且非预期严重不良反应（SUSAR）', en: 'Suspected unexpected serious adverse reaction (SUSAR)' },
      formula: {
        zh: '严重 + 与任一研究治疗可能/很可能/肯定有关 + 非预期 = 1；否则 0；资料不全 = 空',
        en: '1 when serious, possibly/probably/definitely related to either study treatment, and unexpected; otherwise 0; empty while incomplete',
      },
      decimals: 0,
      compute: (d) => susar(d),
    },
  ],
};

// INFUSION form, the ward part: the study product infused by kit number (blinded: never the product, cell count or
// viability, which the pharmacy records in PHARM), timings, vitals and reactions (PROTOCOL.md "INFUSION", amendment 1 rule 4).
import type { Bilingual, FieldDef, FormDef, GridTable } from '../types';
import { minutesOfDay } from '../../rules/dates';
import { CTCAE_GRADE_CHOICES, TIMEPOINT_MISSING, bi, field, inGridRow, inSection, withMissing } from './fieldKit';

/** On screen the six vital-sign sets are one table: a row per time point, a column per sign. */
const VITALS_TABLE: GridTable = { id: 'infusionVitals', title: bi('生命体征', 'Vital signs'), rowHeading: bi('时间点', 'Time point') };
const VITALS_COLUMNS: Bilingual[] = [bi('收缩压', 'Systolic BP'), bi('舒张压', 'Diastolic BP'), bi('心率', 'Heart rate'), bi('体温', 'Temperature')];

/** Vital-sign set taken at one time point of the infusion (before, each 15 min during, 1 h after). */
function vitalsAt(prefix: string, zh: string, en: string, row: Bilingual, required: boolean): FieldDef[] {
  return inGridRow(
    VITALS_TABLE,
    row,
    VITALS_COLUMNS,
    withMissing(TIMEPOINT_MISSING, inSection(bi(`生命体征：${zh}`, `Vital signs: ${en}`), [
      field(`${prefix}Sbp`, 'integer', `${zh}收缩压`, `Systolic BP ${en}`, { unit: 'mmHg', required, plausible: { min: 50, max: 300 }, normal: { min: 90, max: 139 } }),
      field(`${prefix}Dbp`, 'integer', `${zh}舒张压`, `Diastolic BP ${en}`, { unit: 'mmHg', required, plausible: { min: 20, max: 200 }, normal: { min: 60, max: 89 } }),
      field(`${prefix}Hr`, 'integer', `${zh}心率`, `Heart rate ${en}`, { unit: '次/分 bpm', required, plausible: { min: 20, max: 250 }, normal: { min: 60, max: 100 } }),
      field(`${prefix}TempC`, 'number', `${zh}体温`, `Temperature ${en}`, { unit: '°C', decimals: 1, required, plausible: { min: 30, max: 45 }, normal: { min: 36.0, max: 37.3 } }),
    ])),
  );
}

export const INFUSION: FormDef = {
  code: 'INFUSION',
  // Blinded users see "study product": the label never names hUC-MSC or placebo.
  label: { zh: '研究药物输注', en: 'Study product infusion' },
  fields: [
    ...inSection(bi('研究药物（盲态）', 'Study product (blinded)'), [
      field('infusionDate', 'date', '输注日期', 'Infusion date', { required: true, visitDate: true }),
      field('kitNo', 'text', '药物编号', 'Kit number', { required: true, maxLength: 20, help: bi('须与随机时分配的药物编号一致', 'Must match the kit assigned at randomisation') }),
      field('volumeMl', 'number', '输注体积', 'Volume', { unit: 'mL', decimals: 1, required: true, plausible: { min: 1, max: 500 } }),
    ]),
    ...inSection(bi('输注过程', 'Administration'), [
      field('premedication', 'boolean', '输注前预处理用药', 'Premedication given', { required: true }),
      field('premedicationDetails', 'text', '预处理用药名称及剂量', 'Premedication drug and dose', {
        visibleWhen: (d) => d.premedication === true,
        required: (d) => d.premedication === true,
        maxLength: 200,
      }),
      field('startTime', 'time', '开始时间', 'Start time', { required: true }),
      field('stopTime', 'time', '结束时间', 'Stop time', { required: true }),
      field('rateMlPerH', 'number', '输注速度', 'Rate', { unit: 'mL/h', decimals: 1, plausible: { min: 1, max: 1000 } }),
      field('interrupted', 'boolean', '输注中断', 'Infusion interrupted', { required: true }),
      field('interruptionReason', 'text', '中断原因', 'Reason for interruption', {
        visibleWhen: (d) => d.interrupted === true,
        required: (d) => d.interrupted === true,
        maxLength: 200,
      }),
    ]),
    ...vitalsAt('pre', '输注前', 'before', bi('输注前', 'Before infusion'), true),
    ...vitalsAt('min15', '输注 15 分钟', 'at 15 min', bi('输注 15 分钟', 'At 15 min'), false),
    ...vitalsAt('min30', '输注 30 分钟', 'at 30 min', bi('输注 30 分钟', 'At 30 min'), false),
    ...vitalsAt('min45', '输注 45 分钟', 'at 45 min', bi('输注 45 分钟', 'At 45 min'), false),
    ...vitalsAt('min60', '输注 60 分钟', 'at 60 min', bi('输注 60 分钟', 'At 60 min'), false),
    ...vitalsAt('post1h', '输注后 1 小时', '1 h after', bi('输注后 1 小时', '1 h after infusion'), true),
    ...inSection(bi('输注反应', 'Infusion reaction'), [
      field('reaction', 'boolean', '发生输注反应', 'Infusion reaction', { required: true, help: bi('发生输注反应须同时填写不良事件表', 'A reaction must also be recorded as an adverse event') }),
      field('reactionGrade', 'choice', '输注反应 CTCAE 分级', 'Reaction CTCAE grade', {
        visibleWhen: (d) => d.reaction === true,
        required: (d) => d.reaction === true,
        choices: CTCAE_GRADE_CHOICES,
      }),
      field('reactionDescription', 'text', '输注反应表现', 'Reaction description', {
        visibleWhen: (d) => d.reaction === true,
        required: (d) => d.reaction === true,
        maxLength: 200,
      }),
    ]),
  ],
  derived: [
    {
      id: 'durationMin',
      label: { zh: '输注时长', en: 'Duration' },
      unit: '分钟 / min',
      formula: { zh: '结束时间 − 开始时间', en: 'Stop time − start time' },
      decimals: 0,
      compute: (d) => {
        const m = minutesOfDay(d.stopTime) - minutesOfDay(d.startTime);
        return Number.isFinite(m) && m > 0 ? m : null;
      },
    },
  ],
};

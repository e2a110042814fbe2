// Message catalog for validation issues, in zh-CN and English, with the field label, value and limit filled in.
import type { Bilingual, Range } from '../protocol/types';
import { MISSING_REASON_LABELS, type MissingReason } from '../protocol/missingValues';

const withUnit = (v: string, unit?: string) => (unit ? `${v} ${unit}` : v);

/** '10–3000 µmol/L', '≥ 10 µmol/L' or '≤ 3000 µmol/L'. */
export function formatRange(r: Range, unit?: string): string {
  if (r.min !== undefined && r.max !== undefined) return withUnit(`${r.min}–${r.max}`, unit);
  if (r.min !== undefined) return withUnit(`≥ ${r.min}`, unit);
  if (r.max !== undefined) return withUnit(`≤ ${r.max}`, unit);
  return '';
}

export const VALIDATION_MESSAGES = {
  required: (l: Bilingual): Bilingual => ({ zh: `请填写「${l.zh}」`, en: `${l.en} is required` }),
  notNumber: (l: Bilingual): Bilingual => ({ zh: `「${l.zh}」应为数字`, en: `${l.en} must be a number` }),
  notInteger: (l: Bilingual): Bilingual => ({ zh: `「${l.zh}」应为整数`, en: `${l.en} must be a whole number` }),
  decimals: (l: Bilingual, n: number): Bilingual =>
    n === 0
      ? { zh: `「${l.zh}」应为整数`, en: `${l.en} must be a whole number` }
      : { zh: `「${l.zh}」最多保留 ${n} 位小数`, en: `${l.en} allows at most ${n} decimal place${n === 1 ? '' : 's'}` },
  notDate: (l: Bilingual): Bilingual => ({ zh: `「${l.zh}」应为有效日期（YYYY-MM-DD）`, en: `${l.en} must be a valid date (YYYY-MM-DD)` }),
  notTime: (l: Bilingual): Bilingual => ({ zh: `「${l.zh}」应为有效时间（HH:MM，24 小时制）`, en: `${l.en} must be a valid time (HH:MM, 24-hour)` }),
  notBoolean: (l: Bilingual): Bilingual => ({ zh: `「${l.zh}」请选择"是"或"否"`, en: `${l.en} must be yes or no` }),
  notChoice: (l: Bilingual): Bilingual => ({ zh: `「${l.zh}」请从列表中选择`, en: `${l.en} must be one of the listed options` }),
  notText: (l: Bilingual): Bilingual => ({ zh: `「${l.zh}」应为文本`, en: `${l.en} must be text` }),
  tooLong: (l: Bilingual, max: number): Bilingual => ({ zh: `「${l.zh}」不能超过 ${max} 个字符`, en: `${l.en} must be at most ${max} characters` }),
  pattern: (l: Bilingual, example?: string): Bilingual => ({
    zh: `「${l.zh}」格式不正确${example ? `，示例：${example}` : ''}`,
    en: `${l.en} has the wrong format${example ? ` (e.g. ${example})` : ''}`,
  }),
  plausible: (l: Bilingual, value: number | string, unit: string | undefined, r: Range): Bilingual => ({
    zh: `${l.zh} ${withUnit(String(value), unit)} 超出可信范围 ${formatRange(r, unit)}`,
    en: `${l.en} ${withUnit(String(value), unit)} is outside the plausible range ${formatRange(r, unit)}`,
  }),
  normal: (l: Bilingual, value: number | string, unit: string | undefined, r: Range): Bilingual => ({
    zh: `${l.zh} ${withUnit(String(value), unit)} 超出正常参考范围 ${formatRange(r, unit)}，请核实`,
    en: `${l.en} ${withUnit(String(value), unit)} is outside the normal range ${formatRange(r, unit)}; please verify`,
  }),
  beforeConsent: (l: Bilingual, date: string, consent: string): Bilingual => ({
    zh: `${l.zh} ${date} 早于知情同意签署日期 ${consent}`,
    en: `${l.en} ${date} is before the consent date ${consent}`,
  }),
  inFuture: (l: Bilingual, date: string, today: string): Bilingual => ({
    zh: `${l.zh} ${date} 晚于今天 ${today}`,
    en: `${l.en} ${date} is after today ${today}`,
  }),
  consentRequired: (): Bilingual => ({
    zh: '受试者尚未签署知情同意，请先填写知情同意表',
    en: 'The subject has not consented yet: complete the informed consent form first',
  }),
  missingReasonNotAllowed: (l: Bilingual): Bilingual => ({
    zh: `「${l.zh}」不能标注缺失原因，请填写数值`,
    en: `${l.en} cannot carry a missing-value reason; enter a value`,
  }),
  missingReasonUnknown: (l: Bilingual, allowed: readonly MissingReason[]): Bilingual => ({
    zh: `「${l.zh}」的缺失原因只能是：${allowed.map((r) => MISSING_REASON_LABELS[r].zh).join('、')}`,
    en: `${l.en}: the reason for no value must be one of ${allowed.map((r) => MISSING_REASON_LABELS[r].en.toLowerCase()).join(', ')}`,
  }),
  missingReasonWithValue: (l: Bilingual, reason: MissingReason): Bilingual => ({
    zh: `「${l.zh}」已填写数值，不能同时标注“${MISSING_REASON_LABELS[reason].zh}”：请删除数值或取消缺失原因`,
    en: `${l.en} has a value and is also marked "${MISSING_REASON_LABELS[reason].en.toLowerCase()}": clear the value or the reason`,
  }),
  unknownForm: (code: string): Bilingual => ({ zh: `未知的表单：${code}`, en: `Unknown form: ${code}` }),
  notAnObject: (): Bilingual => ({ zh: '表单数据格式无效', en: 'Form data must be an object of field values' }),
  repeatNotAllowed: (form: Bilingual, visit: string): Bilingual => ({
    zh: `「${form.zh}」在访视 ${visit} 只有一份，不能新增`,
    en: `${form.en} is recorded once at visit ${visit}; another instance is not allowed`,
  }),
  notScheduled: (form: Bilingual, visit: string): Bilingual => ({
    zh: `「${form.zh}」不属于访视 ${visit}`,
    en: `${form.en} is not scheduled at visit ${visit}`,
  }),
} as const;

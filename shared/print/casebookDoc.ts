// One subject's casebook as a printable document: subject facts, every visit and log form with its items (value,
// unit, SDV), status, version, who saved it, signatures with their meaning, and the audit trail as an appendix.
import type { CasebookPrint } from '../api/calls/print';
import { unitIn } from '../i18n/units';
import { buildFormContext, subjectFacts } from '../protocol/casebook';
import { MISSING_REASON_LABELS, missingReasonOf, reasonItemField } from '../protocol/missingValues';
import { FORMS, STUDY } from '../protocol/study';
import { recordItemText } from '../protocol/responseRecordView';
import { STATUS_REASONS, type StatusChange } from '../protocol/subjectStatus';
import type { Bilingual, CasebookForm, FormCode, Lang, VisitCode } from '../protocol/types';
import { validateForm } from '../protocol/validateForm';
import { VISITS, visitDef } from '../protocol/visits';
import { ageYears } from '../rules/age';
import type { ItemRow, PrintBlock, PrintDoc } from './printDoc';
import { derivedValueText, VALUE_WORDS, valueText } from './valueText';

const bi = (zh: string, en: string): Bilingual => ({ zh, en });

export const PRINT_WORDS = {
  casebookTitle: bi('病例报告表（CRF）', 'Case report form'),
  header: bi('{protocol} · 中心 {site} · 受试者 {no}', '{protocol} · site {site} · subject {no}'),
  studyHeader: bi('{protocol} · 中心 {site}', '{protocol} · site {site}'),
  page: bi('第 {page} 页 / 共 {pages} 页', 'Page {page} of {pages}'),
  generated: bi('生成于 {at}（北京时间），生成者 {by}', 'Generated {at} (Beijing time) by {by}'),
  blinded: bi('盲态版本：分组及仅非盲药师可见的数据项均未打印；相关稽查记录的数值已隐去（{n} 行）。', 'Blinded copy: the allocation and items only the unblinded pharmacist may see are not printed; their audit rows show no values ({n} rows).'),
  subject: bi('受试者', 'Subject'),
  screeningNo: bi('筛选号', 'Screening no.'),
  randNo: bi('随机号 / 药物编号', 'Randomisation / kit no.'),
  sexAge: bi('性别 / 出生日期 / 年龄', 'Sex / date of birth / age'),
  consent: bi('知情同意日期', 'Consent date'),
  day0: bi('第 0 天（随机）', 'Day 0 (randomisation)'),
  status: bi('研究状态', 'Study status'),
  statusChange: bi('状态变更', 'Status change'),
  item: bi('数据项', 'Item'),
  value: bi('数值', 'Value'),
  unit: bi('单位', 'Unit'),
  sdv: bi('SDV', 'SDV'),
  verified: bi('已核查', 'verified'),
  derived: bi('计算值', 'derived'),
  formLine: bi('状态：{status} · 版本 {version} · 最后保存 {at}，{by}{queries}', 'Status: {status} · version {version} · last saved {at} by {by}{queries}'),
  openQueries: bi(' · 未关闭质疑 {n} 条', ' · {n} unresolved queries'),
  signature: bi('电子签名（{scope}）：{name} · {at} · 签署含义：{meaning}{version}', 'E-signature ({scope}): {name} · {at} · meaning: {meaning}{version}'),
  signedVersion: bi(' · 签署时版本 {v}', ' · signed at version {v}'),
  scope: { form: bi('表单', 'form'), visit: bi('访视', 'visit'), casebook: bi('整份病例', 'whole casebook') },
  noForms: bi('本访视尚无已保存的表单。', 'No form of this visit has been saved.'),
  notEntered: bi('未录入', 'not entered'),
  withheldForm: bi('该表单内容为非盲信息，盲态版本不打印。', 'This form holds unblinded information and is not printed in the blinded copy.'),
  signatures: bi('整份病例的签名', 'Signatures of the whole casebook'),
  noSignatures: bi('尚无整份病例签名。', 'The casebook has not been signed as a whole.'),
  auditTitle: bi('附录：稽查轨迹', 'Appendix: audit trail'),
  auditNote: bi('按时间顺序列出该受试者的全部稽查记录（北京时间）。', 'Every audit row of this subject in order (Beijing time).'),
  auditColumns: [bi('时间', 'Time'), bi('用户', 'User'), bi('操作', 'Action'), bi('表单', 'Form'), bi('数据项', 'Item'), bi('原值 → 新值', 'Old → new'), bi('原因', 'Reason')],
  hidden: bi('（盲态隐去）', '(withheld, blinded)'),
  sex: { F: bi('女', 'female'), M: bi('男', 'male') } as Record<string, Bilingual>,
  years: bi('{n} 岁', '{n} years'),
  formStatus: {
    in_progress: bi('录入中', 'in progress'),
    complete: bi('已完成', 'complete'),
    verified: bi('已核查', 'verified'),
    signed: bi('已签名', 'signed'),
    locked: bi('已锁定', 'locked'),
  } as Record<string, Bilingual>,
  subjectStatus: {
    screening: bi('筛选中', 'screening'),
    screen_failed: bi('筛选失败', 'screen failure'),
    randomised: bi('已随机', 'randomised'),
    completed: bi('已完成', 'completed'),
    withdrawn: bi('已退出', 'withdrawn'),
    created_in_error: bi('误建作废', 'created in error'),
  } as Record<string, Bilingual>,
  repeat: bi('#{n}', '#{n}'),
};

export const pickText = (b: Bilingual, lang: Lang) => (lang === 'en' ? b.en : b.zh);
export const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));

const formOrder = (code: FormCode, visitCode: VisitCode) => {
  const i = visitDef(visitCode)?.forms.indexOf(code) ?? -1;
  return i < 0 ? 99 : i;
};

/** The header of every page of one subject's casebook. */
export function casebookHeader(screeningNo: string, randNo: string | null, lang: Lang): string {
  return fill(pickText(PRINT_WORDS.header, lang), { protocol: `${STUDY.registryId} / ${STUDY.protocol}`, site: STUDY.site, no: randNo ? `${screeningNo} (${randNo})` : screeningNo });
}

export function buildCasebookDoc(p: CasebookPrint, lang: Lang): PrintDoc {
  const w = PRINT_WORDS;
  const t = (b: Bilingual) => pickText(b, lang);
  const casebook: CasebookForm[] = p.forms.map((f) => ({ visitCode: f.visitCode, formCode: f.formCode, repeatKey: f.repeatKey, data: f.data }));
  const facts = subjectFacts(casebook);
  const s = p.subject;
  const blocks: PrintBlock[] = [];

  // --- the subject ---
  const sex = facts.sex ? t(w.sex[facts.sex]!) : '—';
  const age = facts.dateOfBirth && facts.consentDate ? fill(t(w.years), { n: ageYears(facts.dateOfBirth, facts.consentDate) }) : '—';
  const reasons = STATUS_REASONS as Record<string, Record<string, Bilingual> | undefined>;
  const reason = s.statusReason ? (reasons[s.status as StatusChange]?.[s.statusReason] ?? bi(s.statusReason, s.statusReason)) : null;
  blocks.push({ kind: 'heading', level: 1, text: `${t(w.subject)} ${s.screeningNo}` });
  blocks.push({
    kind: 'items',
    columns: [t(w.item), t(w.value), '', ''],
    rows: [
      { label: t(w.screeningNo), value: s.screeningNo, unit: '', note: '' },
      { label: t(w.randNo), value: s.randNo ? `${s.randNo} / ${s.kitNo ?? '—'}` : '—', unit: '', note: '' },
      { label: t(w.sexAge), value: `${sex} / ${facts.dateOfBirth ?? '—'} / ${age}`, unit: '', note: '' },
      { label: t(w.consent), value: facts.consentDate ?? '—', unit: '', note: '' },
      { label: t(w.day0), value: facts.day0Date ?? '—', unit: '', note: '' },
      { label: t(w.status), value: t(w.subjectStatus[s.status] ?? bi(s.status, s.status)), unit: '', note: '' },
      ...(s.statusDate ? [{ label: t(w.statusChange), value: `${s.statusDate} · ${reason ? t(reason) : ''}${s.statusNote ? ` · ${s.statusNote}` : ''}`, unit: '', note: '' }] : []),
    ],
  });

  // --- visits in schedule order, then the unscheduled visits and the logs ---
  for (const visit of VISITS) {
    const forms = p.forms
      .filter((f) => f.visitCode === visit.code)
      .sort((a, b) => (visit.repeating ? a.repeatKey - b.repeatKey : 0) || formOrder(a.formCode, visit.code) - formOrder(b.formCode, visit.code) || a.repeatKey - b.repeatKey);
    if (forms.length === 0 && (visit.code === 'UNS' || visit.code === 'LOG')) continue;
    blocks.push({ kind: 'heading', level: 2, text: `${t(visit.label)} (${visit.code})`, newPage: true });
    if (forms.length === 0) blocks.push({ kind: 'paragraph', text: t(w.noForms), muted: true });
    for (const f of forms) {
      const def = FORMS[f.formCode];
      const repeat = f.repeatKey > 0 ? ` ${fill(t(w.repeat), { n: f.repeatKey })}` : '';
      blocks.push({ kind: 'heading', level: 3, text: `${t(def.label)}${repeat} · ${f.visitCode}/${f.formCode}` });
      blocks.push({
        kind: 'paragraph',
        muted: true,
        text: fill(t(w.formLine), {
          status: t(w.formStatus[f.status] ?? bi(f.status, f.status)),
          version: f.version,
          at: f.updatedAtLocal,
          by: f.updatedBy,
          queries: f.openQueries > 0 ? fill(t(w.openQueries), { n: f.openQueries }) : '',
        }),
      });
      if (f.formCode === 'UNBLIND') {
        blocks.push({ kind: 'paragraph', text: t(w.withheldForm), muted: true });
      } else {
        blocks.push({ kind: 'items', columns: [t(w.item), t(w.value), t(w.unit), t(w.sdv)], rows: itemRows(f, casebook, lang) });
      }
      for (const sig of p.signatures.filter((x) => x.scope === 'form' && x.visitCode === f.visitCode && x.formCode === f.formCode && x.repeatKey === f.repeatKey)) {
        blocks.push({ kind: 'paragraph', text: signatureText(sig, lang) });
      }
    }
    for (const sig of p.signatures.filter((x) => x.scope === 'visit' && x.visitCode === visit.code)) blocks.push({ kind: 'paragraph', text: signatureText(sig, lang) });
  }

  blocks.push({ kind: 'heading', level: 2, text: t(w.signatures), newPage: true });
  const whole = p.signatures.filter((x) => x.scope === 'casebook');
  if (whole.length === 0) blocks.push({ kind: 'paragraph', text: t(w.noSignatures), muted: true });
  for (const sig of whole) blocks.push({ kind: 'paragraph', text: signatureText(sig, lang) });

  // --- the audit trail ---
  blocks.push({ kind: 'heading', level: 2, text: t(w.auditTitle), newPage: true });
  blocks.push({ kind: 'paragraph', text: t(w.auditNote), muted: true });
  blocks.push({
    kind: 'table',
    columns: w.auditColumns.map(t),
    widths: [15, 9, 11, 11, 16, 22, 16],
    rows: p.audit.map((a) => {
      const form = a.formCode && a.formCode in FORMS ? FORMS[a.formCode as FormCode] : undefined;
      const field = form?.fields.find((x) => x.id === a.itemCode) ?? (form && a.itemCode ? reasonItemField(form.fields, a.itemCode) : undefined);
      const shown = (v: string | null) => (v === null ? '' : auditValue(a.action, field, v, lang));
      const redacted = a.oldValue === null && a.newValue === null && (a.action === 'randomisation' || a.action === 'unblinding' || (a.itemCode !== null && !!form?.fields.find((x) => x.id === a.itemCode)?.unblindedOnly));
      return [
        a.atLocal.replace(' +08:00', ''),
        a.username ?? '—',
        a.action,
        a.formCode ? `${a.visitCode ?? ''}/${a.formCode}${a.repeatKey ? ` #${a.repeatKey}` : ''}` : '',
        field ? t(field.label) : (a.itemCode ?? ''),
        redacted ? t(w.hidden) : a.oldValue === null && a.newValue === null ? '' : `${shown(a.oldValue)} → ${shown(a.newValue)}`,
        a.reason ?? '',
      ];
    }),
  });

  const header = casebookHeader(s.screeningNo, s.randNo, lang);
  return {
    title: `${t(w.casebookTitle)} · ${s.screeningNo}`,
    header,
    pageLabel: t(w.page),
    subtitle: [
      `${t(STUDY.title)}`,
      `${STUDY.registryId} · ${STUDY.protocol} · ${t(STUDY.siteName)}`,
      fill(t(w.generated), { at: p.generatedAtLocal, by: p.generatedBy }),
      fill(t(w.blinded), { n: p.withheld }),
    ],
    blocks,
  };
}

/** The items of one form: every field on it (not entered ones greyed), then its derived values. */
function itemRows(f: CasebookPrint['forms'][number], casebook: CasebookForm[], lang: Lang): ItemRow[] {
  const def = FORMS[f.formCode];
  const words = VALUE_WORDS[lang];
  const t = (b: Bilingual) => pickText(b, lang);
  const verified = new Set(f.verifiedItems);
  const rows: ItemRow[] = [];
  for (const field of def.fields) {
    if (field.unblindedOnly) continue;
    const v = f.data[field.id];
    const has = v !== undefined && v !== null;
    const reason = has ? null : missingReasonOf(f.data, field.id);
    // The RESPONSE of record reads as text on paper (its JSON is for the sponsor's files).
    const record = has && field.system ? recordItemText(f.data, field.id, lang === 'en' ? 'en' : 'zh') : null;
    rows.push({
      label: field.system ? t(field.label).replace(/\s*[（(]JSON[)）]$/, '') : t(field.label),
      value: record ?? (has ? valueText(field, v, words, lang) : reason ? t(MISSING_REASON_LABELS[reason]) : t(PRINT_WORDS.notEntered)),
      unit: has && field.unit ? unitIn(field.unit, lang) : '',
      note: verified.has(field.id) ? `✓ ${t(PRINT_WORDS.verified)}` : '',
      muted: !has,
    });
  }
  const derived = def.derived?.filter((d) => !d.unblindedOnly) ?? [];
  if (derived.length) {
    const others = casebook.filter((c) => !(c.visitCode === f.visitCode && c.formCode === f.formCode && c.repeatKey === f.repeatKey));
    const result = validateForm(f.formCode, f.data, buildFormContext(others, f.visitCode, undefined, f.repeatKey));
    for (const d of derived) {
      const value = result.derived[d.id];
      const shown = derivedValueText(d, value, words, lang);
      if (shown === null) continue;
      rows.push({ label: t(d.label), value: shown, unit: typeof value !== 'string' && d.unit ? unitIn(d.unit, lang) : '', note: t(PRINT_WORDS.derived) });
    }
  }
  return rows;
}

function signatureText(sig: CasebookPrint['signatures'][number], lang: Lang): string {
  const w = PRINT_WORDS;
  return fill(pickText(w.signature, lang), {
    scope: pickText(w.scope[sig.scope], lang),
    name: `${sig.displayName} (${sig.username})`,
    at: sig.signedAtLocal.replace(' +08:00', ''),
    meaning: lang === 'en' ? sig.meaningEn : sig.meaningZh,
    version: sig.formVersion !== null ? fill(pickText(w.signedVersion, lang), { v: sig.formVersion }) : '',
  });
}

/** An audit row's stored value as a reader sees it: item values decoded with labels, status words translated. */
function auditValue(action: string, field: Parameters<typeof valueText>[0], text: string, lang: Lang): string {
  if (action === 'form.status') return pickText(PRINT_WORDS.formStatus[text] ?? bi(text, text), lang);
  if (action === 'subject.update') return pickText(PRINT_WORDS.subjectStatus[text] ?? bi(text, text), lang);
  if (!action.startsWith('item.')) return text;
  let decoded: unknown = text;
  try {
    decoded = JSON.parse(text);
  } catch {
    // stored as plain text
  }
  const shown = valueText(field, decoded, VALUE_WORDS[lang], lang);
  return field?.unit && typeof decoded === 'number' ? `${shown} ${unitIn(field.unit, lang)}` : shown;
}

// The blank annotated CRF for the sponsor: every form as the ward sees it, each item with its ODM OID, data type, unit,
// ranges (plausible: error; normal: flag), choices with their codes and whether it is required; derived values with
// their formula; the visits that carry the form. Same names as the ODM export (odmNames.ts).
import { unitIn } from '../i18n/units';
import { formOid, itemOid, odmFieldDataType } from '../protocol/odmNames';
import { FORMS, STUDY } from '../protocol/study';
import type { Bilingual, FieldDef, FormCode, Lang } from '../protocol/types';
import { VISITS } from '../protocol/visits';
import { fill, pickText } from './casebookDoc';
import type { PrintBlock, PrintDoc } from './printDoc';

const bi = (zh: string, en: string): Bilingual => ({ zh, en });

const W = {
  title: bi('空白注释病例报告表（注释 CRF）', 'Blank annotated case report form'),
  header: bi('{protocol} · 中心 {site} · 注释 CRF', '{protocol} · site {site} · annotated CRF'),
  page: bi('第 {page} 页 / 共 {pages} 页', 'Page {page} of {pages}'),
  intro: bi(
    '每个数据项列出 ODM OID、数据类型、单位、范围（可信范围：超出为错误不能保存；正常范围：超出仅提示）和选项编码。与申办方数据包中的 ODM 和数据字典同名。',
    'Each item shows its ODM OID, data type, unit, ranges (plausible: outside is an error and cannot be saved; normal: outside is flagged) and choice codes, named as in the ODM and data dictionary of the sponsor bundle.',
  ),
  visits: bi('出现于访视：{visits}', 'Visits: {visits}'),
  repeating: bi('（可重复）', '(repeating)'),
  derivedOnly: bi('本表由系统计算，研究者确认。', 'Derived by the system, confirmed by the investigator.'),
  roles: bi('仅以下角色可填写：{roles}', 'Entered only by: {roles}'),
  blinded: bi('盲态角色不可见', 'hidden from blinded roles'),
  cols: [bi('数据项', 'Item'), bi('OID', 'OID'), bi('类型', 'Type'), bi('单位', 'Unit'), bi('范围 / 选项', 'Range / choices'), bi('必填', 'Required')],
  derived: bi('计算值：{formula}', 'Derived: {formula}'),
  plausible: bi('可信 {r}', 'plausible {r}'),
  normal: bi('正常 {r}', 'normal {r}'),
  decimals: bi('{n} 位小数', '{n} decimals'),
  qualified: bi('可填 <x / >x', 'may be <x / >x'),
  yes: bi('是', 'yes'),
  no: bi('否', 'no'),
  conditional: bi('条件必填', 'conditional'),
  when: bi('条件显示', 'shown conditionally'),
  roleNames: { admin: bi('管理员', 'administrator'), data_entry: bi('录入员', 'data entry'), investigator: bi('研究者', 'investigator'), monitor: bi('监查员', 'monitor'), pharmacist: bi('非盲药师', 'pharmacist') } as Record<string, Bilingual>,
};

const range = (r: { min?: number; max?: number } | undefined) =>
  r ? (r.min !== undefined && r.max !== undefined ? `${r.min}–${r.max}` : r.min !== undefined ? `≥ ${r.min}` : r.max !== undefined ? `≤ ${r.max}` : '') : '';

/** Forms in the order the schedule first uses them (screening's first), each once. */
function formsInOrder(): FormCode[] {
  const seen: FormCode[] = [];
  for (const v of VISITS) for (const f of v.forms) if (!seen.includes(f)) seen.push(f);
  return seen;
}

function rangeText(f: FieldDef, lang: Lang): string {
  const t = (b: Bilingual) => pickText(b, lang);
  const parts: string[] = [];
  if (f.plausible) parts.push(fill(t(W.plausible), { r: range(f.plausible) }));
  if (f.normal) parts.push(fill(t(W.normal), { r: range(f.normal) }));
  if (f.normalBySex) parts.push(`F ${range(f.normalBySex.F)} / M ${range(f.normalBySex.M)}`);
  if (f.decimals !== undefined && f.type === 'number') parts.push(fill(t(W.decimals), { n: f.decimals }));
  if (f.qualified) parts.push(t(W.qualified));
  if (f.choices) parts.push(f.choices.map((c) => `${c.value} = ${t(c.label)}`).join('; '));
  if (f.type === 'boolean') parts.push(`true = ${t(W.yes)}; false = ${t(W.no)}`);
  if (f.maxLength) parts.push(`≤ ${f.maxLength}`);
  if (f.visibleWhen) parts.push(t(W.when));
  if (f.unblindedOnly) parts.push(t(W.blinded));
  if (f.editRoles) parts.push(fill(t(W.roles), { roles: f.editRoles.map((r) => t(W.roleNames[r]!)).join(', ') }));
  return parts.join(' · ');
}

export function buildAnnotatedCrfDoc(lang: Lang): PrintDoc {
  const t = (b: Bilingual) => pickText(b, lang);
  const blocks: PrintBlock[] = [{ kind: 'paragraph', text: t(W.intro) }];
  for (const code of formsInOrder()) {
    const def = FORMS[code];
    const visits = VISITS.filter((v) => v.forms.includes(code)).map((v) => v.code);
    blocks.push({ kind: 'heading', level: 2, text: `${t(def.label)} · ${formOid(code)}${def.repeating ? ` ${t(W.repeating)}` : ''}`, newPage: true });
    blocks.push({ kind: 'paragraph', muted: true, text: fill(t(W.visits), { visits: visits.join(', ') }) });
    if (def.derivedOnly) blocks.push({ kind: 'paragraph', muted: true, text: t(W.derivedOnly) });
    if (def.editRoles) blocks.push({ kind: 'paragraph', muted: true, text: fill(t(W.roles), { roles: def.editRoles.map((r) => t(W.roleNames[r]!)).join(', ') }) });
    const rows = def.fields.map((f) => [
      `${t(f.label)}${f.section ? `\n${t(f.section)}` : ''}`,
      itemOid(code, f.id),
      `${f.type} (${odmFieldDataType(f)})`,
      f.unit ? unitIn(f.unit, lang) : '',
      rangeText(f, lang),
      f.required === true ? t(W.yes) : typeof f.required === 'function' ? t(W.conditional) : t(W.no),
    ]);
    for (const d of def.derived ?? []) {
      rows.push([t(d.label), itemOid(code, d.id), 'float (derived)', d.unit ? unitIn(d.unit, lang) : '', `${fill(t(W.derived), { formula: t(d.formula) })}${d.unblindedOnly ? ` · ${t(W.blinded)}` : ''}`, '—']);
    }
    blocks.push({ kind: 'table', columns: W.cols.map(t), widths: [20, 17, 11, 8, 36, 8], rows });
  }
  return {
    title: t(W.title),
    header: fill(t(W.header), { protocol: `${STUDY.registryId} / ${STUDY.protocol}`, site: STUDY.site }),
    pageLabel: t(W.page),
    subtitle: [t(STUDY.title), `${STUDY.registryId} · ${STUDY.protocol} · ${STUDY.protocolVersion}`],
    blocks,
  };
}

// Renders the CYC and INFUSION panels to HTML (zh-CN) and checks the numbers and warnings a nurse sees.
import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { initReactI18next } from 'react-i18next';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { uiEn, uiZh } from '../../../shared/i18n/ui';
import type { CasebookForm } from '../../../shared/protocol/types';
import { CycDosePanel } from './CycDosePanel';
import { InfusionPanel, PharmPanel } from './InfusionPanel';

// renderer/src/i18n.ts reads localStorage and sets <html lang> when imported: give it a minimal browser-like global.
vi.hoisted(() => {
  const g = globalThis as Record<string, unknown>;
  g.localStorage ??= { getItem: () => null, setItem: () => {} };
  g.document ??= { documentElement: {} };
});

beforeAll(async () => {
  await i18next.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: uiZh }, en: { translation: uiEn } },
    lng: 'zh-CN',
    interpolation: { escapeValue: false },
  });
});

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('CycDosePanel', () => {
  it('170 cm, 60 kg, 750 mg/m²: BSA 1.683 m², 1262.4 mg → 1260 mg and offers to copy it', () => {
    const html = text(renderToStaticMarkup(<CycDosePanel values={{ heightCm: 170, weightKg: 60, targetMgPerM2: 750 }} setValue={() => {}} />));
    expect(html).toContain('1.683 m²');
    expect(html).toContain('1260 mg');
    expect(html).toContain('1.683 m² × 750 mg/m² = 1262.4 mg → 四舍五入至 10 mg');
    expect(html).toContain('将计算剂量 1260 mg 填入实际给药剂量');
  });
  it('shows the WBC hold, CrCl suggestion and the reason-required difference', () => {
    const html = text(
      renderToStaticMarkup(
        <CycDosePanel values={{ heightCm: 170, weightKg: 60, targetMgPerM2: 750, wbc: 2.6, creatinineClearance: 24, doseGiven: true, administeredDoseMg: 1000 }} setValue={() => {}} />,
      ),
    );
    expect(html).toContain('暂缓本次环磷酰胺冲击');
    expect(html).toContain('建议目标剂量减为 500 mg/m²');
    expect(html).toContain('-20.6%');
    expect(html).toContain('须填写原因');
  });
});

describe('InfusionPanel and PharmPanel', () => {
  const casebook: CasebookForm[] = [
    { visitCode: 'D0', formCode: 'RAND', repeatKey: 0, data: { kitNo: 'K-017' } },
    { visitCode: 'D0', formCode: 'VITALS', repeatKey: 0, data: { weightKg: 50 } },
  ];
  it('INFUSION uses blinded wording, flags a kit mismatch and a missing pharmacy release, and shows no count', () => {
    const html = text(renderToStaticMarkup(<InfusionPanel values={{ kitNo: 'K-099' }} casebook={casebook} visitCode="D0" />));
    expect(html).toContain('研究用产品');
    expect(html).toContain('药物编号 K-099 与随机分配的 K-017 不一致');
    expect(html).toContain('药房尚未录入本袋的配制与放行记录');
    expect(html).not.toMatch(/MSC|安慰剂|placebo|×10⁶|活率 \d/i);
  });
  it('PHARM shows the pharmacist the dose per kg and the release checks; a blinded reader only the kit', () => {
    const values = { productType: 'MSC', cellsInBag: 100, viabilityPercent: 65, kitNo: 'K-017' };
    const pharmacist = text(renderToStaticMarkup(<PharmPanel values={values} casebook={casebook} visitCode="D0" unblinded />));
    expect(pharmacist).toContain('2 ×10⁶/kg');
    expect(pharmacist).toContain('活率 65% 低于 70%');
    const blinded = text(renderToStaticMarkup(<PharmPanel values={{ kitNo: 'K-017', releaseDecision: 'released' }} casebook={casebook} visitCode="D0" unblinded={false} />));
    expect(blinded).toContain('K-017');
    expect(blinded).not.toMatch(/×10⁶\/kg|活率 \d|MSC 80/);
  });
});

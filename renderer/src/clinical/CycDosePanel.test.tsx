// Renders the CYC and INFUSION panels to HTML (zh-CN) and checks the numbers and warnings a nurse sees.
import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { initReactI18next } from 'react-i18next';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { uiEn, uiZh } from '../../../shared/i18n/ui';
import { CycDosePanel } from './CycDosePanel';
import { InfusionPanel } from './InfusionPanel';

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

describe('InfusionPanel', () => {
  it('uses blinded wording and flags a kit mismatch and low viability', () => {
    const html = text(
      renderToStaticMarkup(
        <InfusionPanel
          values={{ cellsInBag: 100, viabilityPercent: 65, kitNo: 'K-099' }}
          casebook={[
            { visitCode: 'D0', formCode: 'RAND', repeatKey: 0, data: { kitNo: 'K-017' } },
            { visitCode: 'D0', formCode: 'VITALS', repeatKey: 0, data: { weightKg: 50 } },
          ]}
          visitCode="D0"
        />,
      ),
    );
    expect(html).toContain('研究用产品');
    expect(html).toContain('2 ×10⁶/kg');
    expect(html).toContain('活率 65% 低于 70%');
    expect(html).toContain('药物编号 K-099 与随机分配的 K-017 不一致');
    expect(html).not.toMatch(/MSC|安慰剂|placebo/i);
  });
});

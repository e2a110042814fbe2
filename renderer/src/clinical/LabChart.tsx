// Kidney trends as small multiples (recharts): creatinine, eGFR and 24-h urine protein per visit, each with its unit, plus the values table.
import { useTranslation } from 'react-i18next';
import { CartesianGrid, LabelList, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { VisitCode } from '../../../shared/protocol/types';
import { visitDef } from '../../../shared/protocol/visits';
import { ClinicalPage } from './ClinicalPage';
import { pick } from '../i18n';
import { hasLabData, labSeries, type LabPoint } from './labSeries';
import { num } from './responseView';
import { useClinicalCasebook } from './useClinicalCasebook';

/** A round axis maximum above x (1, 2, 2.5 or 5 × 10ⁿ), so value labels never collide with the top tick. */
function visitLabel(code: VisitCode): string {
  const def = visitDef(code);
  return def ? pick(def.label) : '';
}

function niceCeiling(x: number): number {
  if (!Number.isFinite(x) || x <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

interface Metric {
  key: 'creatinineUmolL' | 'egfr' | 'proteinGPer24h';
  label: string;
  unit: string;
  colour: string;
  decimals: number;
}

function MetricChart({ points, metric }: { points: LabPoint[]; metric: Metric }) {
  return (
    <figure className="lab-chart" data-metric={metric.key}>
      <figcaption>
        {metric.label} <span className="unit">({metric.unit})</span>
      </figcaption>
      <ResponsiveContainer width="100%" height={210}>
        <LineChart data={points} margin={{ top: 26, right: 28, bottom: 4, left: 4 }}>
          <CartesianGrid stroke="#e6ebf0" vertical={false} />
          <XAxis dataKey="visitCode" tick={{ fontSize: 13 }} padding={{ left: 24, right: 24 }} />
          <YAxis width={56} tick={{ fontSize: 12 }} domain={[0, (dataMax: number) => niceCeiling(dataMax * 1.25)]} allowDecimals={metric.decimals > 0} tickCount={6} />
          <Tooltip formatter={(v) => [`${num(Number(v), metric.decimals)} ${metric.unit}`, metric.label]} />
          <Line type="linear" dataKey={metric.key} stroke={metric.colour} strokeWidth={2.5} dot={{ r: 4 }} connectNulls isAnimationActive={false}>
            <LabelList dataKey={metric.key} position="top" fontSize={12} formatter={(v: unknown) => (typeof v === 'number' ? num(v, metric.decimals) : '')} />
          </Line>
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function LabChartView({ points }: { points: LabPoint[] }) {
  const { t } = useTranslation();
  const metrics: Metric[] = [
    { key: 'creatinineUmolL', label: t('clinical.labs.creatinine'), unit: 'µmol/L', colour: '#1d5fa7', decimals: 0 },
    { key: 'egfr', label: t('clinical.labs.egfr'), unit: 'mL/min/1.73 m²', colour: '#1e7b4f', decimals: 1 },
    { key: 'proteinGPer24h', label: t('clinical.labs.protein'), unit: 'g/24 h', colour: '#b45309', decimals: 2 },
  ];
  if (!hasLabData(points)) return <p className="empty">{t('clinical.labs.noData')}</p>;
  return (
    <>
      <div className="lab-charts">
        {metrics.map((m) => (
          <MetricChart key={m.key} points={points} metric={m} />
        ))}
      </div>
      <p className="muted small">{t('clinical.labs.egfrNote')}</p>
      <h2>{t('clinical.labs.table')}</h2>
      <table className="clin-table lab-table" data-testid="lab-table">
        <thead>
          <tr>
            <th>{t('clinical.labs.visitAxis')}</th>
            <th>{t('clinical.labs.date')}</th>
            {metrics.map((m) => (
              <th key={m.key} className="num">
                {m.label} ({m.unit})
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.visitCode} data-visit={p.visitCode}>
              <td>
                <span className="mono">{p.visitCode}</span> {visitLabel(p.visitCode)}
              </td>
              <td>{p.date ?? '—'}</td>
              {metrics.map((m) => (
                <td key={m.key} className="num">
                  {num(p[m.key], m.decimals)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function LabChartScreen({ subjectId }: { subjectId: number }) {
  const { t } = useTranslation();
  const load = useClinicalCasebook(subjectId, 'SCR', 'LAB');
  return (
    <ClinicalPage testId="labs-screen" title={t('clinical.labs.title')} state={load}>
      {({ casebook }) => <LabChartView points={labSeries(casebook)} />}
    </ClinicalPage>
  );
}

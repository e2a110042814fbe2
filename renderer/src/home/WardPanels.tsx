// The ward home's day at a glance, above the subject list: visits overdue, open today and opening this week (each
// with its window, a click opens the casebook, "show all" filters the list), the queries waiting for me and the SAE
// reporting deadlines. The visit lists come from the list the screen already holds; queries and SAEs load here.
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DataQuery } from '../../../shared/api/calls/queries';
import type { SaeRow } from '../../../shared/api/calls/safety';
import type { SubjectListRow } from '../../../shared/api/calls/subjects';
import { wardAgenda, type AgendaEntry, type DueBucket } from '../../../shared/protocol/wardAgenda';
import { visitDef } from '../../../shared/protocol/visits';
import { call } from '../api/client';
import { useApiLoad } from '../components/useApiLoad';
import type { FormRoute } from '../entry/FormScreen';
import { openQueryList } from '../gcp/queries/queryNavigation';
import { pick } from '../i18n';
import { useSession } from '../session';
import { HelpButton } from '../help/HelpButton';

/** Items shown per panel before "show all". */
const SHOWN = 3;
const COLLAPSED_KEY = 'ecrf.home.collapsed';

export interface WardPanelsProps {
  rows: readonly SubjectListRow[];
  today: string;
  onOpenSubject(subjectId: number): void;
  onOpenForm(route: FormRoute): void;
  onShowDue(bucket: DueBucket): void;
  onOpenSaes(): void;
  onSessionLost(): void;
  /** The screen's navigation buttons (SAE list, export, users, …), at the right of the heading. */
  nav?: ReactNode;
}

export function WardPanels(props: WardPanelsProps) {
  const { t } = useTranslation();
  const { user } = useSession();
  const [collapsed, setCollapsed] = useState(() => localStorage.getItem(COLLAPSED_KEY) === '1');
  const agenda = useMemo(() => wardAgenda(props.rows, props.today), [props.rows, props.today]);
  const toggle = () => {
    localStorage.setItem(COLLAPSED_KEY, collapsed ? '0' : '1');
    setCollapsed(!collapsed);
  };
  const seesVisits = user.role !== 'pharmacist';
  const seesQueries = user.role === 'data_entry' || user.role === 'investigator' || user.role === 'monitor';
  const seesSaes = user.role !== 'pharmacist';
  if (!seesVisits && !seesQueries && !seesSaes) return <div className="nav-row">{props.nav}</div>;
  return (
    <section className="ward-home" aria-label={t('ward.home.title')} data-testid="ward-home">
      <div className="ward-home-head">
        <h2>
          {t('ward.home.title')} <span className="muted small">{props.today}</span> <HelpButton topic="home" />
        </h2>
        <button type="button" className="link-button small" onClick={toggle} aria-expanded={!collapsed} data-testid="ward-home-toggle">
          {collapsed ? '▸' : '▾'}
        </button>
        <div className="nav-row">{props.nav}</div>
      </div>
      {!collapsed && (
        <div className="ward-panels">
          {seesVisits && (
            <>
              <VisitPanel bucket="overdue" title={t('ward.home.overdue')} entries={agenda.overdue} {...props} />
              <VisitPanel bucket="now" title={t('ward.home.dueNow')} entries={agenda.now} {...props} />
              <VisitPanel bucket="week" title={t('ward.home.dueWeek')} entries={agenda.week} {...props} />
            </>
          )}
          {seesQueries && <QueryPanel onOpenForm={props.onOpenForm} onSessionLost={props.onSessionLost} />}
          {seesSaes && <SaePanel onOpenForm={props.onOpenForm} onOpenSaes={props.onOpenSaes} onSessionLost={props.onSessionLost} />}
        </div>
      )}
    </section>
  );
}

/** One panel: title and count (… while loading), its items or 无, and a link at the foot (show all, open the list). */
function Panel(props: {
  title: string;
  count: number | null;
  tone: 'bad' | 'warn' | 'info';
  testId: string;
  children: ReactNode;
  footer?: { label: string; onClick(): void; testId?: string } | false;
}) {
  const { t } = useTranslation();
  const { title, count, tone, testId, children, footer } = props;
  return (
    <div className={`ward-panel ward-panel-${count ? tone : 'none'}`} data-testid={testId}>
      <h3>
        {title} <span className="ward-count">{count ?? '…'}</span>
      </h3>
      <ul>{count === 0 ? <li className="muted small">{t('ward.home.nothing')}</li> : children}</ul>
      {footer && (
        <button type="button" className="link-button small" onClick={footer.onClick} data-testid={footer.testId}>
          {footer.label}
        </button>
      )}
    </div>
  );
}

function VisitPanel({ bucket, title, entries, onOpenSubject, onShowDue }: WardPanelsProps & { bucket: DueBucket; title: string; entries: AgendaEntry<SubjectListRow>[] }) {
  const { t } = useTranslation();
  const when = (e: AgendaEntry) =>
    e.bucket === 'overdue'
      ? t('ward.home.lateBy', { days: e.days })
      : e.bucket === 'now'
        ? e.days === 0
          ? t('ward.home.closesToday')
          : t('ward.home.closesIn', { days: e.days })
        : t('ward.home.opensIn', { days: e.days });
  return (
    <Panel
      title={title}
      count={entries.length}
      tone={bucket === 'overdue' ? 'bad' : bucket === 'now' ? 'warn' : 'info'}
      testId={`home-${bucket}`}
      footer={entries.length > 0 && { label: t('ward.home.showAll', { count: entries.length }), onClick: () => onShowDue(bucket), testId: `home-${bucket}-all` }}
    >
      {entries.slice(0, SHOWN).map((e) => (
        <li key={e.row.id}>
          <button type="button" className="link-button" onClick={() => onOpenSubject(e.row.id)}>
            <span className="mono">{e.row.screeningNo}</span> {pick(visitDef(e.visit.visitCode)?.label ?? { zh: e.visit.visitCode, en: e.visit.visitCode })}
          </button>
          <div className="small">
            <span className={e.bucket === 'overdue' ? 'overdue' : 'muted'}>{when(e)}</span>
            <span className="muted"> · {t('ward.home.window', { from: e.visit.from.slice(5), to: e.visit.to.slice(5) })}</span>
          </div>
        </li>
      ))}
    </Panel>
  );
}

/** Site staff answer open queries; the monitor closes answered ones: each sees what waits for them. */
function QueryPanel({ onOpenForm, onSessionLost }: { onOpenForm(route: FormRoute): void; onSessionLost(): void }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const status = user.role === 'monitor' ? 'answered' : 'open';
  const load = useApiLoad(() => call('queries.list', { status }), [status], onSessionLost);
  const rows: DataQuery[] = load.data ?? [];
  return (
    <Panel
      title={user.role === 'monitor' ? t('ward.home.myQueriesMonitor') : t('ward.home.myQueries')}
      count={load.data ? rows.length : null}
      tone="warn"
      testId="home-queries"
      footer={{ label: t('ward.home.openQueries'), onClick: openQueryList }}
    >
      {rows.slice(0, SHOWN).map((q) => (
        <li key={q.id}>
          <button type="button" className="link-button" onClick={() => onOpenForm({ subjectId: q.subjectId, visitCode: q.visitCode, formCode: q.formCode, repeatKey: q.repeatKey })}>
            <span className="mono">{q.screeningNo}</span> {pick(q.formLabel)} · {pick(q.itemLabel)}
          </button>
          <div className="muted small clamp">{pick(q.text)}</div>
        </li>
      ))}
    </Panel>
  );
}

/** SAEs whose initial report (to the sponsor or the ethics committee) is due or overdue. */
function SaePanel({ onOpenForm, onOpenSaes, onSessionLost }: { onOpenForm(route: FormRoute): void; onOpenSaes(): void; onSessionLost(): void }) {
  const { t } = useTranslation();
  const load = useApiLoad(() => call('safety.saes', {}), [], onSessionLost);
  const open = (r: SaeRow) => r.sponsor === 'overdue' || r.sponsor === 'due' || r.ethics === 'overdue' || r.ethics === 'due';
  const rows = (load.data?.rows ?? []).filter(open);
  return (
    <Panel
      title={t('ward.home.saeDeadlines')}
      count={load.data ? rows.length : null}
      tone="bad"
      testId="home-saes"
      footer={{ label: t('ward.home.openSaes'), onClick: onOpenSaes }}
    >
      {rows.slice(0, SHOWN).map((r) => (
        <li key={`${r.subjectId}-${r.repeatKey}`}>
          <button type="button" className="link-button" onClick={() => onOpenForm({ subjectId: r.subjectId, visitCode: 'LOG', formCode: 'AE', repeatKey: r.repeatKey })}>
            <span className="mono">{r.screeningNo}</span> {t('ward.home.saeDue', { term: r.term ?? '—', due: r.dueAt ?? '—' })}
          </button>{' '}
          <span className={`status-badge status-${r.sponsor === 'overdue' || r.ethics === 'overdue' ? 'bad' : 'warn'}`}>
            {t(`safety.state.${r.sponsor === 'overdue' || r.ethics === 'overdue' ? 'overdue' : 'due'}`)}
          </span>
        </li>
      ))}
    </Panel>
  );
}

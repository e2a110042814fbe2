// Navigation between the logged-in screens (subject list, casebook, …).
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../shared/api/calls/common';
import { SubjectListScreen } from './SubjectListScreen';
import { ClinicalScreen, type ClinicalView } from '../clinical/ClinicalScreen';
import { ExportNavButton } from '../export/ExportNavButton';
import { ExportScreen } from '../export/ExportScreen';
import { CasebookScreen } from '../entry/CasebookScreen';
import { FormScreen, type FormRoute } from '../entry/FormScreen';
import { QueryListScreen } from '../gcp/queries/QueryListScreen';
import { useOpenQueryList } from '../gcp/queries/queryNavigation';
import { RandNavButtons } from '../gcp/rand/RandNavButtons';
import { RandAdminScreen } from '../gcp/rand/RandAdminScreen';
import { AllocationScreen } from '../gcp/rand/AllocationScreen';
import { UsersNavButton } from '../gcp/users/UsersNavButton';
import { UsersScreen } from '../gcp/users/UsersScreen';
import { SaeListScreen, SaeNavButton } from '../safety/SaeListScreen';
import { useSession } from '../session';
import { PrintView, type PrintTarget } from '../print/PrintView';
import { OpenPrintContext, PrintCrfButton } from '../print/PrintButtons';

export type Route =
  | { screen: 'subjects' }
  | { screen: 'casebook'; subjectId: number }
  | ({ screen: 'form'; returnTo?: 'queries' } & FormRoute)
  | { screen: 'queries' }
  | { screen: 'clinical'; subjectId: number; view: ClinicalView }
  | { screen: 'export' }
  | { screen: 'randAdmin' }
  | { screen: 'allocations' }
  | { screen: 'users' }
  | { screen: 'saes' }
  | ({ screen: 'print'; back: Route } & PrintTarget);

/**
 * Where the user was, kept across the idle lock: logging in again as the same user goes back to the open form (its
 * typed values wait as a draft). The lock is found by the next action, often a click that already moved on (the
 * query list, say): a route entered moments before the session was found lost gives way to the one before it.
 * An explicit logout forgets it.
 */
let remembered: { userId: number; route: Route; previous: Route | null; changedAt: number } | null = null;
let resumeAt: { userId: number; route: Route } | null = null;
const JUST_MOVED_MS = 3000;

export function forgetRoute(): void {
  remembered = null;
  resumeAt = null;
}

/** The session was found locked: where the same user's next login resumes. */
export function noteSessionLost(): void {
  // The first call found locked decides (later ones fail the same way, some seconds on).
  if (!remembered || resumeAt?.userId === remembered.userId) return;
  const moved = Date.now() - remembered.changedAt < JUST_MOVED_MS && remembered.previous !== null;
  resumeAt = { userId: remembered.userId, route: moved ? remembered.previous! : remembered.route };
}

/** The route the same user's next login starts on (after an idle lock), else null. */
export function rememberedRoute(userId: number): Route | null {
  return resumeAt?.userId === userId ? resumeAt.route : null;
}

export function StudyScreens({ onSessionLost, resumed = false }: { onSessionLost(): void; resumed?: boolean }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const [restored] = useState(() => (resumed ? rememberedRoute(user.id) : null));
  const [route, setRoute] = useState<Route>(() => restored ?? { screen: 'subjects' });
  useEffect(() => {
    const previous = remembered?.userId === user.id && remembered.route !== route ? remembered.route : (remembered?.previous ?? null);
    remembered = { userId: user.id, route, previous, changedAt: Date.now() };
    resumeAt = null;
  }, [route, user.id]);
  useOpenQueryList(useCallback(() => setRoute({ screen: 'queries' }), []));
  const openPrint = useCallback((target: PrintTarget) => setRoute((back) => ({ screen: 'print', back, ...target })), []);
  return (
    <OpenPrintContext.Provider value={openPrint}>
      {restored && restored === route && restored.screen === 'form' && (
        <div className="banner banner-info" role="status" data-testid="resumed">
          {t('ward.lock.back')}
        </div>
      )}
      {screenFor(route, setRoute, user.role, onSessionLost)}
    </OpenPrintContext.Provider>
  );
}

function screenFor(route: Route, setRoute: (route: Route) => void, role: Role, onSessionLost: () => void) {
  switch (route.screen) {
    case 'print': {
      const { back, screen: _screen, ...target } = route;
      return <PrintView target={target as PrintTarget} onBack={() => setRoute(back)} onSessionLost={onSessionLost} />;
    }
    case 'subjects':
      return (
        <>
          <SubjectListScreen
            nav={
              <>
                <UsersNavButton onOpen={() => setRoute({ screen: 'users' })} />
                <ExportNavButton onOpen={() => setRoute({ screen: 'export' })} />
                <RandNavButtons onAdmin={() => setRoute({ screen: 'randAdmin' })} onAllocations={() => setRoute({ screen: 'allocations' })} />
                <SaeNavButton role={role} onOpen={() => setRoute({ screen: 'saes' })} onSessionLost={onSessionLost} />
                <PrintCrfButton />
              </>
            }
            onOpen={(subjectId) => setRoute({ screen: 'casebook', subjectId })}
            onOpenForm={(form) => setRoute({ screen: 'form', ...form })}
            onOpenSaes={() => setRoute({ screen: 'saes' })}
            onSessionLost={onSessionLost}
          />
        </>
      );
    case 'saes':
      return <SaeListScreen onBack={() => setRoute({ screen: 'subjects' })} onOpenForm={(form) => setRoute({ screen: 'form', ...form })} onSessionLost={onSessionLost} />;
    case 'users':
      return <UsersScreen onBack={() => setRoute({ screen: 'subjects' })} onSessionLost={onSessionLost} />;
    case 'randAdmin':
      return <RandAdminScreen onBack={() => setRoute({ screen: 'subjects' })} onSessionLost={onSessionLost} />;
    case 'allocations':
      return <AllocationScreen onBack={() => setRoute({ screen: 'subjects' })} onSessionLost={onSessionLost} />;
    case 'export':
      return <ExportScreen onBack={() => setRoute({ screen: 'subjects' })} onSessionLost={onSessionLost} />;
    case 'casebook':
      return (
        <CasebookScreen
          subjectId={route.subjectId}
          onBack={() => setRoute({ screen: 'subjects' })}
          onOpenForm={(form) => setRoute({ screen: 'form', ...form })}
          onOpenClinical={() => setRoute({ screen: 'clinical', subjectId: route.subjectId, view: 'eligibility' })}
          onSessionLost={onSessionLost}
        />
      );
    case 'form': {
      const { screen: _screen, returnTo, ...form } = route;
      const back = () => setRoute(returnTo === 'queries' ? { screen: 'queries' } : { screen: 'casebook', subjectId: route.subjectId });
      return (
        <FormScreen
          route={form}
          onBack={back}
          onOpenForm={(next) => setRoute({ screen: 'form', ...next })}
          backTo={returnTo ?? 'casebook'}
          onSessionLost={onSessionLost}
        />
      );
    }
    case 'queries':
      return (
        <QueryListScreen
          onBack={() => setRoute({ screen: 'subjects' })}
          onOpenForm={(form) => setRoute({ screen: 'form', returnTo: 'queries', ...form })}
          onSessionLost={onSessionLost}
        />
      );
    case 'clinical':
      return (
        <ClinicalScreen
          subjectId={route.subjectId}
          view={route.view}
          onView={(view) => setRoute({ ...route, view })}
          onBack={() => setRoute({ screen: 'casebook', subjectId: route.subjectId })}
          onSessionLost={onSessionLost}
        />
      );
  }
}

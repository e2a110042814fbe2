// Navigation between the logged-in screens (subject list, casebook, …).
import { useCallback, useState } from 'react';
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
  | { screen: 'saes' };

export function StudyScreens({ onSessionLost }: { onSessionLost(): void }) {
  const [route, setRoute] = useState<Route>({ screen: 'subjects' });
  const { user } = useSession();
  useOpenQueryList(useCallback(() => setRoute({ screen: 'queries' }), []));
  switch (route.screen) {
    case 'subjects':
      return (
        <>
          <div className="nav-row">
            <UsersNavButton onOpen={() => setRoute({ screen: 'users' })} />
            <ExportNavButton onOpen={() => setRoute({ screen: 'export' })} />
            <RandNavButtons onAdmin={() => setRoute({ screen: 'randAdmin' })} onAllocations={() => setRoute({ screen: 'allocations' })} />
            <SaeNavButton role={user.role} onOpen={() => setRoute({ screen: 'saes' })} onSessionLost={onSessionLost} />
          </div>
          <SubjectListScreen onOpen={(subjectId) => setRoute({ screen: 'casebook', subjectId })} onSessionLost={onSessionLost} />
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

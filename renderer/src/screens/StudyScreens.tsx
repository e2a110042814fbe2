// Navigation between the logged-in screens (subject list, casebook, …).
import { useState } from 'react';
import { SubjectListScreen } from './SubjectListScreen';
import { ClinicalScreen, type ClinicalView } from '../clinical/ClinicalScreen';
import { ExportNavButton } from '../export/ExportNavButton';
import { ExportScreen } from '../export/ExportScreen';
import { CasebookScreen } from '../entry/CasebookScreen';
import { FormScreen, type FormRoute } from '../entry/FormScreen';

export type Route =
  | { screen: 'subjects' }
  | { screen: 'casebook'; subjectId: number }
  | ({ screen: 'form' } & FormRoute)
  | { screen: 'clinical'; subjectId: number; view: ClinicalView }
  | { screen: 'export' };

export function StudyScreens({ onSessionLost }: { onSessionLost(): void }) {
  const [route, setRoute] = useState<Route>({ screen: 'subjects' });
  switch (route.screen) {
    case 'subjects':
      return (
        <>
          <ExportNavButton onOpen={() => setRoute({ screen: 'export' })} />
          <SubjectListScreen onOpen={(subjectId) => setRoute({ screen: 'casebook', subjectId })} onSessionLost={onSessionLost} />
        </>
      );
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
      const { screen: _screen, ...form } = route;
      return <FormScreen route={form} onBack={() => setRoute({ screen: 'casebook', subjectId: route.subjectId })} onSessionLost={onSessionLost} />;
    }
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

// Navigation between the logged-in screens (subject list, casebook, …).
import { useState } from 'react';
import { SubjectListScreen } from './SubjectListScreen';
import { ClinicalScreen, type ClinicalView } from '../clinical/ClinicalScreen';

export type Route =
  | { screen: 'subjects' }
  | { screen: 'casebook'; subjectId: number }
  | { screen: 'clinical'; subjectId: number; view: ClinicalView };

export function StudyScreens({ onSessionLost }: { onSessionLost(): void }) {
  const [route, setRoute] = useState<Route>({ screen: 'subjects' });
  switch (route.screen) {
    case 'subjects':
      return <SubjectListScreen onOpen={(subjectId) => setRoute({ screen: 'casebook', subjectId })} onSessionLost={onSessionLost} />;
    case 'casebook':
      // Until the casebook screen (issue 4 part A) lands, opening a subject shows its clinical screens.
      return <ClinicalScreen subjectId={route.subjectId} view="eligibility" onView={(view) => setRoute({ screen: 'clinical', subjectId: route.subjectId, view })} onBack={() => setRoute({ screen: 'subjects' })} onSessionLost={onSessionLost} />;
    case 'clinical':
      return <ClinicalScreen subjectId={route.subjectId} view={route.view} onView={(view) => setRoute({ ...route, view })} onBack={() => setRoute({ screen: 'subjects' })} onSessionLost={onSessionLost} />;
  }
}

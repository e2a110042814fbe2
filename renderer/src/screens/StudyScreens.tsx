// Navigation between the logged-in screens (subject list, casebook, …).
import { useState } from 'react';
import { SubjectListScreen } from './SubjectListScreen';

export type Route = { screen: 'subjects' } | { screen: 'casebook'; subjectId: number };

export function StudyScreens({ onSessionLost }: { onSessionLost(): void }) {
  const [route, setRoute] = useState<Route>({ screen: 'subjects' });
  switch (route.screen) {
    case 'subjects':
      return <SubjectListScreen onOpen={(subjectId) => setRoute({ screen: 'casebook', subjectId })} onSessionLost={onSessionLost} />;
    case 'casebook':
      return <SubjectListScreen onOpen={(subjectId) => setRoute({ screen: 'casebook', subjectId })} onSessionLost={onSessionLost} />;
  }
}

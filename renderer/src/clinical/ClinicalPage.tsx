// The frame of every clinical screen: the card with its heading (shown at once) and the loading line, error banner or loaded content below it.
import type { ReactNode } from 'react';
import { LoadedContent, type LoadState } from '../components/LoadedContent';

export function ClinicalPage<T>({ testId, title, state, children }: { testId: string; title: string; state: LoadState<T>; children(data: T): ReactNode }) {
  return (
    <section className="card clinical" data-testid={testId}>
      <h1>{title}</h1>
      <LoadedContent state={state}>{children}</LoadedContent>
    </section>
  );
}

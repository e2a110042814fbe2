// One fetch of queries.forForm per open form, shared by every field's badge; reloaded after a query step or a save.
import { useEffect, useSyncExternalStore } from 'react';
import type { DataQuery } from '../../../../shared/api/calls/queries';
import type { FormCode, VisitCode } from '../../../../shared/protocol/types';
import { call } from '../../api/client';

export interface FormKey {
  subjectId: number;
  visitCode: VisitCode;
  formCode: FormCode;
  repeatKey: number;
}

interface Entry {
  queries: DataQuery[];
  loading: Promise<void> | null;
  subscribers: Set<() => void>;
}

const entries = new Map<string, Entry>();
const EMPTY: DataQuery[] = [];
export const QUERIES_CHANGED = 'ecrf:queries-changed';

const keyOf = (k: FormKey) => `${k.subjectId}|${k.visitCode}|${k.formCode}|${k.repeatKey}`;

function entry(key: string): Entry {
  let e = entries.get(key);
  if (!e) entries.set(key, (e = { queries: EMPTY, loading: null, subscribers: new Set() }));
  return e;
}

/** Fetches the form's queries again and tells every badge of that form and the nav count. */
export function reloadFormQueries(form: FormKey): Promise<void> {
  const e = entry(keyOf(form));
  if (e.loading) return e.loading;
  e.loading = call('queries.forForm', form)
    .then(
      (queries) => {
        e.queries = queries;
        for (const s of e.subscribers) s();
      },
      () => undefined, // a failed refresh keeps the last list; the form screen reports session loss itself
    )
    .finally(() => {
      e.loading = null;
      window.dispatchEvent(new Event(QUERIES_CHANGED));
    });
  return e.loading;
}

/** The queries of one form; the first badge that mounts for a form (again) triggers a fresh fetch. */
export function useFormQueries(form: FormKey): DataQuery[] {
  const key = keyOf(form);
  const queries = useSyncExternalStore(
    (onChange) => {
      const e = entry(key);
      e.subscribers.add(onChange);
      return () => e.subscribers.delete(onChange);
    },
    () => entry(key).queries,
  );
  useEffect(() => {
    // Every (re)mount of the form editor, e.g. after a save, refreshes once for all its fields:
    // the first badge starts the fetch, the others find it under way.
    if (!entry(key).loading) void reloadFormQueries(form);
    // the form is identified by its key
  }, [key]);
  return queries;
}

/** The worst status among queries: open beats answered beats closed. */
export function worstStatus(queries: readonly Pick<DataQuery, 'status'>[]): DataQuery['status'] | null {
  if (queries.some((q) => q.status === 'open')) return 'open';
  if (queries.some((q) => q.status === 'answered')) return 'answered';
  return queries.length ? 'closed' : null;
}

// The lifecycle bar's message across the form screen's reloads: kept for the same form until the saved version shows.
import { describe, expect, it } from 'vitest';
import { noteStatusReset, setFlash, takeFlash } from './lifecycleFlash';

const vitals = { subjectId: 1, visitCode: 'SCR', formCode: 'VITALS', repeatKey: 0 };

describe('lifecycle flash', () => {
  it('survives the remount that still shows the old version, then is shown once for the saved version', () => {
    noteStatusReset(vitals, { version: 3, statusReset: 'signed' });
    expect(takeFlash(vitals, 2)).toBeNull(); // first remount: the form screen has not reloaded the new version yet
    expect(takeFlash(vitals, 3)).toEqual({ kind: 'reset', from: 'signed' });
    expect(takeFlash(vitals, 3)).toBeNull();
  });

  it('is not shown on another form, and a save without a reset leaves nothing', () => {
    setFlash(vitals, 1, { kind: 'ok', key: 'lifecycle.itemsDone', count: 8 });
    expect(takeFlash({ ...vitals, formCode: 'LAB' }, 1)).toBeNull();
    noteStatusReset(vitals, { version: 2, statusReset: null });
    expect(takeFlash(vitals, 1)).toEqual({ kind: 'ok', key: 'lifecycle.itemsDone', count: 8 });
    expect(takeFlash(vitals, 2)).toBeNull();
  });
});

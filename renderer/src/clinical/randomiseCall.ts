// Calls randomisation.randomise: the investigator's password and the confirmation that it cannot be undone go with
// it; the result carries numbers only, never the allocation.
import { call } from '../api/client';

export interface RandomiseOutcome {
  randNo: string;
  kitNo: string;
  day0Date: string;
}

export async function randomiseSubject(subjectId: number, password: string): Promise<RandomiseOutcome> {
  return call('randomisation.randomise', { subjectId, password, confirmIrreversible: true });
}

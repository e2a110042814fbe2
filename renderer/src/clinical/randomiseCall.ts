// Calls randomisation.randomise (issue 5) when the contract has it; the result carries numbers only, never the allocation.
import { isCallName, type CallName } from '../../../shared/api/contract';
import { call } from '../api/client';

export interface RandomiseOutcome {
  randNo: string;
  kitNo: string;
  day0Date: string;
}

const NAME = 'randomisation.randomise';

export function randomiseAvailable(): boolean {
  return isCallName(NAME);
}

export async function randomiseSubject(subjectId: number): Promise<RandomiseOutcome> {
  const r = (await call(NAME as CallName, { subjectId } as never)) as unknown as Partial<RandomiseOutcome>;
  return { randNo: String(r.randNo ?? ''), kitNo: String(r.kitNo ?? ''), day0Date: String(r.day0Date ?? '') };
}

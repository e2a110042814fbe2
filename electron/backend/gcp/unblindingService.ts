// Emergency unblinding: the investigator re-authenticates and gives a reason; the UNBLIND form and an audit row are
// recorded in one transaction and the allocation is returned once (it is written to no form item and no audit value).
import type { User } from '../../../shared/api/calls/common';
import type { AuditTrail } from '../audit/auditTrail';
import { stamp } from '../audit/clock';
import type { Db } from '../db/connection';
import { fail } from '../errors';
import type { FormService } from '../services/formService';
import type { UserService } from '../services/userService';
import type { Allocation } from './permutedBlocks';
import type { RandomisationService } from './randomisationService';
import { requireRole } from './roleGuard';

export interface Unblinded {
  randNo: string;
  allocation: Allocation;
  unblindedAt: string;
}

export class UnblindingService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditTrail,
    private readonly users: UserService,
    private readonly forms: FormService,
    private readonly randomisation: RandomisationService,
  ) {}

  /** Whether the subject has been unblinded (an UNBLIND form exists). */
  isUnblinded(subjectId: number): boolean {
    return Boolean(this.forms.repo.instance({ subjectId, visitCode: 'LOG', formCode: 'UNBLIND', repeatKey: 0 }));
  }

  async emergency(subjectId: number, password: string, reason: string, user: User): Promise<Unblinded> {
    requireRole(user, ['investigator']);
    const subject = this.db.prepare('SELECT screening_no FROM subjects WHERE id = ?').get(subjectId) as { screening_no: string } | undefined;
    if (!subject) fail('NOT_FOUND', `受试者 ${subjectId} 不存在`, `Subject ${subjectId} not found`);
    const trimmed = reason.trim();
    if (trimmed.length < 5) fail('VALIDATION', '请填写紧急揭盲理由（至少 5 个字）', 'Give the reason for emergency unblinding (at least 5 characters)');
    if (!this.randomisation.isRandomised(subjectId)) fail('CONFLICT', '该受试者尚未随机，无分组可揭盲', 'This subject has not been randomised: there is no allocation to reveal');
    if (this.isUnblinded(subjectId)) {
      fail('CONFLICT', '该受试者已紧急揭盲过；如需再次查看分组，请联系非盲药师', 'This subject was already unblinded; ask the unblinded pharmacist to see the allocation again');
    }
    // The investigator's own key to the list, opened with their password (which is also checked like a login).
    const payload = await this.randomisation.openFor(user, password, ['emergency']);
    const at = stamp();
    const [date, time] = at.local.split(' ') as [string, string];
    return this.db
      .transaction((): Unblinded => {
        const allocation = this.randomisation.allocationOf(subjectId, payload);
        if (!allocation) return fail('CONFLICT', '随机表中找不到该受试者的分组', "This subject's number is not in the sealed list");
        if (this.isUnblinded(subjectId)) fail('CONFLICT', '该受试者已紧急揭盲过', 'This subject was already unblinded');
        this.forms.save(
          {
            subjectId,
            visitCode: 'LOG',
            formCode: 'UNBLIND',
            repeatKey: 0,
            data: { unblindDate: date, unblindTime: time.slice(0, 5), reason: trimmed, sponsorNotified: false },
            expectedVersion: 0,
            markComplete: true,
          },
          user,
        );
        this.audit.append(
          {
            userId: user.id,
            username: user.username,
            action: 'unblinding',
            subjectId,
            screeningNo: subject!.screening_no,
            visitCode: 'LOG',
            formCode: 'UNBLIND',
            reason: trimmed,
            details: { event: 'emergency unblinding', randNo: allocation.randNo },
          },
          at,
        );
        return { randNo: allocation.randNo, allocation: allocation.allocation, unblindedAt: at.utc };
      })
      .immediate();
  }
}

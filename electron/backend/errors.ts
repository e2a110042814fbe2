// Typed, bilingual errors raised by services and carried to the UI in the API envelope.
import type { ApiError, ErrorCode } from '../../shared/api/result';
import type { Bilingual, ValidationIssue } from '../../shared/protocol/types';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly bilingual: Bilingual,
    readonly issues?: ValidationIssue[],
  ) {
    super(bilingual.en);
    this.name = 'AppError';
  }

  toApiError(): ApiError {
    return { code: this.code, message: this.bilingual, ...(this.issues ? { issues: this.issues } : {}) };
  }
}

export const fail = (code: ErrorCode, zh: string, en: string, issues?: ValidationIssue[]): never => {
  throw new AppError(code, { zh, en }, issues);
};

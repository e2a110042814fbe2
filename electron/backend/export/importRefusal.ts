// Why the sponsor import refused a bundle: one kind per cause, each with its own exit code and bilingual words, so
// that a script (and a person) can tell a damaged file from a wrong key, a wrong site, a replay, a gap or a fork.
import { AppError } from '../errors';

export const REFUSAL_KINDS = {
  /** The file is not a complete, unaltered bundle: MDC failure, truncation, parse error, hashes that disagree. */
  damaged: { exitCode: 2, zh: '数据包已损坏', en: 'damaged' },
  /** Not encrypted to this sponsor key (or the key given is not a usable secret key). */
  'wrong-key': { exitCode: 3, zh: '密钥不符', en: 'wrong key' },
  /** Not signed by the trusted site key, unsigned, or the signature does not match the content. */
  'wrong-site': { exitCode: 4, zh: '中心不符', en: 'wrong site' },
  /** A bundle at or before the last one imported from this site, with different content. */
  replay: { exitCode: 5, zh: '重放', en: 'replay' },
  /** One or more bundles of this site have not been imported yet. */
  gap: { exitCode: 6, zh: '缺号', en: 'gap' },
  /** The audit trail in the bundle does not extend the one already received: rewritten, forked, truncated or broken. */
  fork: { exitCode: 7, zh: '稽查轨迹分叉或被改写', en: 'fork' },
  /** A bundle format this version does not read (made by an older or newer eCRF). */
  format: { exitCode: 8, zh: '格式不符', en: 'format' },
} as const;
export type RefusalKind = keyof typeof REFUSAL_KINDS;

export class ImportRefused extends AppError {
  readonly exitCode: number;
  constructor(
    readonly kind: RefusalKind,
    zh: string,
    en: string,
  ) {
    const k = REFUSAL_KINDS[kind];
    super('VALIDATION', { zh: `拒绝导入（${k.zh}）：${zh}`, en: `Import refused (${k.en}): ${en}` });
    this.exitCode = k.exitCode;
    this.name = 'ImportRefused';
  }
}

export const refuse = (kind: RefusalKind, zh: string, en: string): never => {
  throw new ImportRefused(kind, zh, en);
};

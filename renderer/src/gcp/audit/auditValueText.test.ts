// Tests of how audit values read: numbers with units, choice labels in both languages, booleans, lists, statuses, empties.
import { describe, expect, it } from 'vitest';
import { auditValueText, type ValueWords } from './auditValueText';

const words: ValueWords = {
  empty: '（空）',
  yes: '是',
  no: '否',
  formStatus: { complete: '已完成' },
  queryStatus: { open: '待回复', closed: '已关闭' },
};

describe('auditValueText', () => {
  it('decodes item values: numbers with unit, choices by label, booleans, lists and empty', () => {
    expect(auditValueText({ action: 'item.update', itemCode: 'weightKg' }, 'VITALS', '56.5', words, 'zh-CN')).toBe('56.5 kg');
    // A unit written in both languages ('次/分 bpm') shows the reader's half only.
    expect(auditValueText({ action: 'item.update', itemCode: 'heartRate' }, 'VITALS', '82', words, 'zh-CN')).toBe('82 次/分');
    expect(auditValueText({ action: 'item.update', itemCode: 'heartRate' }, 'VITALS', '82', words, 'en')).toBe('82 bpm');
    expect(auditValueText({ action: 'item.create', itemCode: 'sex' }, 'DEMOG', '"F"', words, 'zh-CN')).toBe('女');
    expect(auditValueText({ action: 'item.create', itemCode: 'sex' }, 'DEMOG', '"F"', words, 'en')).toBe('Female');
    expect(auditValueText({ action: 'item.create', itemCode: 'copyGiven' }, 'CONSENT', 'true', words, 'zh-CN')).toBe('是');
    expect(auditValueText({ action: 'item.clear', itemCode: 'weightKg' }, 'VITALS', null, words, 'zh-CN')).toBe('（空）');
    expect(auditValueText({ action: 'item.create', itemCode: 'consentDate' }, 'CONSENT', '"2024-01-02"', words, 'zh-CN')).toBe('2024-01-02');
    expect(auditValueText({ action: 'item.create', itemCode: 'unknown' }, 'VITALS', '["a","b"]', words, 'zh-CN')).toBe('a、b');
  });

  it('a missing-value reason reads as its label, a SLEDAI descriptor as present / absent (issue 14)', () => {
    expect(auditValueText({ action: 'item.create', itemCode: 'wbc__missing' }, 'LAB', '"not_done"', words, 'zh-CN')).toBe('未做');
    expect(auditValueText({ action: 'item.create', itemCode: 'wbc__missing' }, 'LAB', '"unknown"', words, 'en')).toBe('Unknown');
    expect(auditValueText({ action: 'item.create', itemCode: 'seizure' }, 'SLEDAI', 'false', words, 'zh-CN')).toBe('无');
  });

  it('translates form and query statuses and leaves other actions as recorded', () => {
    expect(auditValueText({ action: 'form.status', itemCode: null }, 'VITALS', 'complete', words, 'zh-CN')).toBe('已完成');
    expect(auditValueText({ action: 'query', itemCode: 'weightKg' }, 'VITALS', 'open', words, 'zh-CN')).toBe('待回复');
    expect(auditValueText({ action: 'signature', itemCode: null }, 'VITALS', 'form v3', words, 'zh-CN')).toBe('form v3');
  });
});

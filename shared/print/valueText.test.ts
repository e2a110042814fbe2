// How a stored value reads (screen, audit view, paper): a SLEDAI descriptor is 有 / 无 (present / absent), not 是 / 否
// (issue 14: "absent" is a value); any other yes/no item keeps 是 / 否.
import { describe, expect, it } from 'vitest';
import { fieldDef } from '../protocol/study';
import { VALUE_WORDS, valueText } from './valueText';

describe('valueText', () => {
  it('SLEDAI descriptors read present / absent in both languages; another boolean reads yes / no', () => {
    const rash = fieldDef('SLEDAI', 'rash');
    expect(valueText(rash, false, VALUE_WORDS['zh-CN'], 'zh-CN')).toBe('无');
    expect(valueText(rash, true, VALUE_WORDS['zh-CN'], 'zh-CN')).toBe('有');
    expect(valueText(rash, false, VALUE_WORDS.en, 'en')).toBe('Absent');
    expect(valueText(rash, null, VALUE_WORDS.en, 'en')).toBe('(empty)'); // blank: not entered, never "absent"
    expect(valueText(fieldDef('LAB', 'urineCasts'), false, VALUE_WORDS['zh-CN'], 'zh-CN')).toBe('否');
  });
});

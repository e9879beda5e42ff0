import { describe, expect, it } from 'vitest';
import { contactProblems, isQq, isWechat, type PhoneKind, phoneKind } from './contact-rules.ts';
import { normalisePhone } from './contacts.ts';

const phones: [string, PhoneKind | null][] = [
  // Mainland mobiles: 11 digits, 1 then 3–9, however they are spaced or prefixed.
  ['13812345678', 'mobile'],
  ['138 1234 5678', 'mobile'],
  ['138-1234-5678', 'mobile'],
  ['+86 138 1234 5678', 'mobile'],
  ['+8613812345678', 'mobile'],
  ['008613812345678', 'mobile'],
  ['8613812345678', 'mobile'],
  ['19912345678', 'mobile'],
  // Landlines with their area code, with or without the dash, with an extension.
  ['010-12345678', 'landline'],
  ['01012345678', 'landline'],
  ['(010) 8765 4321', 'landline'],
  ['020-87654321', 'landline'],
  ['0571-8765432', 'landline'],
  ['0571 87654321', 'landline'],
  ['057187654321', 'landline'],
  ['010-12345678-123', 'landline'],
  ['010-12345678 转 8001', 'landline'],
  ['0571-8765432 ext. 12', 'landline'],
  ['0571-8765432#12', 'landline'],
  ['+86 10 1234 5678', 'landline'],
  // Numbers abroad: + (or 00) and the country code.
  ['+852 9123 4567', 'international'],
  ['+1 415 555 0100', 'international'],
  ['+1 (415) 555-0100', 'international'],
  ['0044 20 7946 0958', 'international'],
  ['+44 20 7946 0958 ext 12', 'international'],
  // Not numbers a school can call.
  ['12345', null],
  ['1381234567', null],
  ['138123456789', null],
  ['12012345678', null],
  ['10086', null],
  ['12345678', null],
  ['0101234567', null],
  ['0123456789', null],
  ['010-0234567', null],
  ['13812345678 转 1', null],
  ['+0 123 4567', null],
  ['+852 12', null],
  ['+1234567890123456', null],
  ['phone', null],
  ['138abc45678', null],
  ['１３８１２３４５６７８', null],
  ['', null],
  ['   ', null],
];

describe('phone numbers', () => {
  it.each(phones)('%s is %s', (raw, kind) => {
    expect(phoneKind(raw)).toBe(kind);
  });

  it('keeps one normalised form for the mobiles it accepts however they are written', () => {
    const mobiles = phones.filter(([, kind]) => kind === 'mobile').map(([raw]) => normalisePhone(raw));
    expect(new Set(mobiles.filter((n) => n?.startsWith('138')))).toEqual(new Set(['13812345678']));
  });
});

describe('QQ numbers', () => {
  it.each([
    ['10001', true],
    ['123456789', true],
    ['12345678901', true],
    [' 888888 ', true],
    ['1234', false],
    ['123456789012', false],
    ['012345', false],
    ['12 345', false],
    ['qq12345', false],
  ])('%s → %s', (raw, valid) => {
    expect(isQq(raw)).toBe(valid);
  });
});

describe('WeChat ids', () => {
  it.each([
    ['wx_123', true],
    ['Nana_01', true],
    ['nana_01 ', true],
    ['a-b_c-d', true],
    ['abcdefghij0123456789', true],
    // A mainland mobile: how consultants often write a WeChat contact down.
    ['13812345678', true],
    ['wx_12', false],
    ['abcdefghij01234567890', false],
    ['1abcdefg', false],
    ['_abcdef', false],
    ['wx 1234', false],
    ['微信号码测试', false],
    ['wx.12345', false],
    ['12345678', false],
  ])('%s → %s', (raw, valid) => {
    expect(isWechat(raw)).toBe(valid);
  });
});

describe('a customer’s contacts', () => {
  it('names each broken rule by its field, and leaves empty fields to the "at least one" rule', () => {
    expect(contactProblems({ phone: '12345', qq: '0123', wechat: '1abcdef' })).toEqual([
      { field: 'phone', code: 'phone_invalid' },
      { field: 'qq', code: 'qq_invalid' },
      { field: 'wechat', code: 'wechat_invalid' },
    ]);
    expect(contactProblems({ phone: '', qq: null, wechat: '  ' })).toEqual([]);
    expect(contactProblems({ phone: '010-12345678', qq: '10001', wechat: 'wx_123' })).toEqual([]);
  });
});

/**
 * What a school accepts as a way to reach a customer — one set of rules, applied alike by the API
 * (a customer's create and edit), the bulk import (imports/columns.ts) and the web form, which
 * imports this very file (web/components/resource/formats.ts): so this module stays pure, with no
 * imports of its own.
 *
 * These rules only accept or refuse. Duplicates are still found by normalising (contacts.ts, and its
 * SQL twins behind the unique indexes), which these rules leave exactly as they were, so customers
 * stored before the rules existed keep matching the same numbers.
 */

/** What kind of number a phone is, so a screen can say so: 手机, 座机 or 境外号码. */
export type PhoneKind = 'mobile' | 'landline' | 'international';

/** A mainland mobile: 11 digits, 1 then 3–9 (13x…19x). */
const MOBILE = /^1[3-9]\d{9}$/;
/**
 * A mainland landline with its area code: 010 and 02x take an 8-digit number, the other (4-digit)
 * codes 7 or 8 digits; the number itself never starts with 0.
 */
const LANDLINE = /^0(?:(?:10|2\d)[1-9]\d{7}|[3-9]\d{2}[1-9]\d{6,7})$/;
/** E.164: a country code that does not start with 0, at most 15 digits in all. */
const INTERNATIONAL = /^[1-9]\d{6,14}$/;

/** `010-12345678 转 123`, `…-123`, `… ext. 123`, `…#123`: an extension, after a landline. */
const MARKED_EXTENSION = /^(.*?)\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})$/i;
const DASH_EXTENSION = /^(.*\d)\s*-\s*(\d{1,6})$/;
/** Digits and the separators people write between them. */
const WRITTEN = /^\+?[\d\s\-().]+$/;

function kindOfDigits(main: string): PhoneKind | null {
  if (!WRITTEN.test(main)) return null;
  const digits = main.replace(/\D/g, '');
  if (main.startsWith('+') || digits.startsWith('00')) {
    const national = main.startsWith('+') ? digits : digits.slice(2);
    if (national.startsWith('86')) {
      // +86: the country's own numbers, written for callers abroad.
      const rest = national.slice(2);
      if (MOBILE.test(rest)) return 'mobile';
      if (LANDLINE.test(`0${rest}`)) return 'landline';
      return null;
    }
    return INTERNATIONAL.test(national) ? 'international' : null;
  }
  if (MOBILE.test(digits)) return 'mobile';
  // 86 and a mobile, without the +: contacts.ts reads it as that mobile, so it is one.
  if (/^86/.test(digits) && MOBILE.test(digits.slice(2))) return 'mobile';
  if (LANDLINE.test(digits)) return 'landline';
  return null;
}

/**
 * The kind of a written phone number, or null when it is none: a mainland mobile (11 digits from 1),
 * a landline with its area code (010-12345678, 0571 8765432, an extension allowed), or a number
 * abroad written with + (or 00) and its country code (+852 9123 4567, +1 415 555 0100).
 */
export function phoneKind(raw: string | null | undefined): PhoneKind | null {
  // Not NFKC: full-width digits would pass here yet normalise to nothing (contacts.ts), escaping the
  // duplicate check; the person is asked to type ordinary digits instead.
  const text = (raw ?? '').trim();
  if (text === '') return null;
  const whole = kindOfDigits(text);
  if (whole) return whole;
  // Only a landline (or a switchboard abroad) has extensions; a mobile number with one is a typo.
  for (const pattern of [MARKED_EXTENSION, DASH_EXTENSION]) {
    const match = pattern.exec(text);
    const kind = match?.[1] ? kindOfDigits(match[1]) : null;
    if (kind === 'landline' || kind === 'international') return kind;
  }
  return null;
}

/** A QQ number: 5 to 11 digits, never starting with 0. */
export function isQq(raw: string | null | undefined): boolean {
  return /^[1-9]\d{4,10}$/.test((raw ?? '').trim());
}

/**
 * A WeChat id by WeChat's own rule — 6 to 20 characters, a letter first, then letters, digits, `_`
 * or `-` — or a mainland mobile number: WeChat finds people by the phone they signed up with, and
 * consultants write that number down as the WeChat id, so refusing it would refuse real leads.
 */
export function isWechat(raw: string | null | undefined): boolean {
  const text = (raw ?? '').trim();
  return /^[A-Za-z][A-Za-z0-9_-]{5,19}$/.test(text) || MOBILE.test(text);
}

export type ContactProblem = {
  field: 'phone' | 'qq' | 'wechat';
  code: 'phone_invalid' | 'qq_invalid' | 'wechat_invalid';
};

/** What is wrong with the contacts given (empty ones are not checked: at least one is a rule of its own). */
export function contactProblems(values: {
  phone?: string | null;
  qq?: string | null;
  wechat?: string | null;
}): ContactProblem[] {
  const given = (value: string | null | undefined) => typeof value === 'string' && value.trim() !== '';
  const problems: ContactProblem[] = [];
  if (given(values.phone) && phoneKind(values.phone) === null)
    problems.push({ field: 'phone', code: 'phone_invalid' });
  if (given(values.qq) && !isQq(values.qq)) problems.push({ field: 'qq', code: 'qq_invalid' });
  if (given(values.wechat) && !isWechat(values.wechat))
    problems.push({ field: 'wechat', code: 'wechat_invalid' });
  return problems;
}

import { sql } from 'drizzle-orm';
import { badRequest } from '../../http/errors.ts';
import { contactProblems } from './contact-rules.ts';

/**
 * Contact normalisation: two customers are the same person when their phone, QQ or WeChat match after
 * normalising. The database enforces uniqueness on generated columns computed by the SQL twins below;
 * the TypeScript versions let imports and forms check a value before touching the database.
 * A test keeps the two in agreement.
 */

/** Digits only; a mainland mobile written with its country code (+86 / 0086) is the same number. */
export function normalisePhone(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const digits = raw.replace(/[^0-9]/g, '').replace(/^(?:0086|86)(1[0-9]{10})$/, '$1');
  return digits === '' ? null : digits;
}

export function normaliseQq(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const digits = raw.replace(/[^0-9]/g, '');
  return digits === '' ? null : digits;
}

/** WeChat ids are case-insensitive; people paste them with stray spaces. */
export function normaliseWechat(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const id = raw.replace(/\s/g, '').toLowerCase();
  return id === '' ? null : id;
}

export const phoneNormSql = sql`nullif(regexp_replace(regexp_replace("phone", '[^0-9]', '', 'g'), '^(?:0086|86)(1[0-9]{10})$', '\\1'), '')`;
export const qqNormSql = sql`nullif(regexp_replace("qq", '[^0-9]', '', 'g'), '')`;
export const wechatNormSql = sql`nullif(lower(regexp_replace("wechat", '\\s', '', 'g')), '')`;

/** 13812345678 → 138****5678; shorter ids keep their first and last characters. */
export function maskContact(value: string | null | undefined): string | null {
  if (value == null || value === '') return value ?? null;
  if (value.length >= 7) return `${value.slice(0, 3)}****${value.slice(-4)}`;
  if (value.length <= 2) return '*'.repeat(value.length);
  return `${value[0]}${'*'.repeat(value.length - 2)}${value.at(-1)}`;
}

const ruleInWords = {
  phone_invalid:
    'is not a mobile number (11 digits from 1), a landline with its area code, or +country number',
  qq_invalid: 'is not a QQ number (5–11 digits, not starting with 0)',
  wechat_invalid: 'is not a WeChat id (6–20 letters, digits, _ or -, a letter first) or a mobile number',
} as const;

/** Refuses contacts that break the school's rules (contact-rules.ts), naming every field at once. */
export function refuseInvalidContacts(values: { phone?: unknown; qq?: unknown; wechat?: unknown }): void {
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const problems = contactProblems({
    phone: text(values.phone),
    qq: text(values.qq),
    wechat: text(values.wechat),
  });
  if (problems.length === 0) return;
  const details = problems.map((p) => ({ field: p.field, code: p.code, message: ruleInWords[p.code] }));
  throw badRequest('validation', details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
}

import { badRequest } from '../../http/errors.ts';
import { contactProblems } from './contact-rules.ts';

// Normalisation lives beside the generated columns it defines (db/schema/contacts.ts).
export {
  normalisePhone,
  normaliseQq,
  normaliseWechat,
  phoneNormSql,
  qqNormSql,
  wechatNormSql,
} from '../../db/schema/contacts.ts';

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

/** The contacts a body carries, as text or null (the route's schema has checked their types). */
export function contactsOf(values: { phone?: unknown; qq?: unknown; wechat?: unknown }) {
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return { phone: text(values.phone), qq: text(values.qq), wechat: text(values.wechat) };
}

/** Refuses contacts that break the school's rules (contact-rules.ts), naming every field at once. */
export function refuseInvalidContacts(values: { phone?: unknown; qq?: unknown; wechat?: unknown }): void {
  const problems = contactProblems(contactsOf(values));
  if (problems.length === 0) return;
  const details = problems.map((p) => ({ field: p.field, code: p.code, message: ruleInWords[p.code] }));
  throw badRequest('validation', details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
}

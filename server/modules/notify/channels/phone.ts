import { normalisePhone } from '../../../db/schema/contacts.ts';
import { phoneKind } from '../../customers/contact-rules.ts';

/**
 * A person's mobile as the providers take it — 11 digits, without +86 — or null when their phone is
 * none (a landline, a number abroad, nothing): SMS and DingTalk's mentions reach mobiles only.
 */
export function mainlandMobile(phone: string | null): string | null {
  if (phoneKind(phone) !== 'mobile') return null;
  return normalisePhone(phone);
}

import { sql } from 'drizzle-orm';

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

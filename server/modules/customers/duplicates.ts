import { sql } from 'drizzle-orm';
import type { Actor } from '../../auth/sessions.ts';
import { type Executor, queryRows } from '../../db/client.ts';
import { HttpError } from '../../http/errors.ts';
import { maskContact, normalisePhone, normaliseQq, normaliseWechat } from './contacts.ts';

/**
 * Duplicate leads (docs/spec.md §4): the same person is the same normalised phone, QQ or WeChat, wherever
 * the existing record is — someone's customer, the pool, or enrolled.
 */
export type ContactField = 'phone' | 'qq' | 'wechat';
export const contactFields: ContactField[] = ['phone', 'qq', 'wechat'];

export type Contacts = { phone?: string | null; qq?: string | null; wechat?: string | null };
export type NormalisedContacts = Record<ContactField, string | null>;

export const normaliseContacts = (c: Contacts): NormalisedContacts => ({
  phone: normalisePhone(c.phone),
  qq: normaliseQq(c.qq),
  wechat: normaliseWechat(c.wechat),
});

export type ExistingCustomer = {
  id: number;
  name: string;
  consultantId: number | null;
  consultantName: string | null;
  phoneNorm: string | null;
  qqNorm: string | null;
  wechatNorm: string | null;
};

/** A text[] from one JSON parameter (both drivers take it the same way), for `= any(…)` on an index. */
const textArray = (values: string[]) =>
  sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

/** The customers already holding any of these normalised contacts, in one indexed query. */
export async function findByContacts(
  db: Executor,
  wanted: NormalisedContacts[],
): Promise<ExistingCustomer[]> {
  const values = (field: ContactField) => [...new Set(wanted.map((w) => w[field]).filter((v) => v !== null))];
  const [phones, qqs, wechats] = [values('phone'), values('qq'), values('wechat')];
  if (phones.length + qqs.length + wechats.length === 0) return [];
  return queryRows<ExistingCustomer>(
    db,
    sql`select c.id, c.name, c.consultant_id as "consultantId", u.name as "consultantName",
               c.phone_norm as "phoneNorm", c.qq_norm as "qqNorm", c.wechat_norm as "wechatNorm"
        from customers c left join users u on u.id = c.consultant_id
        where c.phone_norm = any(${textArray(phones)}) or c.qq_norm = any(${textArray(qqs)})
           or c.wechat_norm = any(${textArray(wechats)})`,
  );
}

/** Which contact of `wanted` an existing customer shares, if any. */
export function sharedField(wanted: NormalisedContacts, existing: ExistingCustomer): ContactField | null {
  if (wanted.phone && wanted.phone === existing.phoneNorm) return 'phone';
  if (wanted.qq && wanted.qq === existing.qqNorm) return 'qq';
  if (wanted.wechat && wanted.wechat === existing.wechatNorm) return 'wechat';
  return null;
}

const fieldTitle: Record<ContactField, string> = { phone: '手机号', qq: 'QQ', wechat: '微信' };

/** 龙泰 → 龙*, 欧阳娜娜 → 欧***: enough to recognise, not to copy a lead from. */
const maskName = (name: string) => (name.length <= 1 ? '*' : `${name[0]}${'*'.repeat(name.length - 1)}`);

/**
 * Who already has this lead, in words a consultant can act on: the owner is named (that is the
 * point), but another consultant's customer keeps its name and contact masked.
 */
export type Viewer = { userId: number; seesAll: boolean };

export const viewerOf = (actor: Actor): Viewer => ({
  userId: actor.userId,
  seesAll: actor.permissions.has('customer.view_all'),
});

export type DuplicateOwner = 'mine' | 'pool' | 'owned';

export function describeDuplicate(
  viewer: Viewer,
  existing: ExistingCustomer,
  field: ContactField,
  value: string,
): {
  message: string;
  existing: Record<string, unknown>;
  /** The same in words any language can put together (imports/words.ts, web/i18n). */
  code: `duplicate_${DuplicateOwner}`;
  params: { field: ContactField; value: string; name: string; consultant: string; owner: DuplicateOwner };
} {
  const mine = existing.consultantId === viewer.userId;
  const sees = mine || viewer.seesAll;
  const name = sees ? existing.name : maskName(existing.name);
  const stored =
    { phone: existing.phoneNorm, qq: existing.qqNorm, wechat: existing.wechatNorm }[field] ?? value;
  const shown = sees ? value : (maskContact(stored) ?? '');
  const owner: DuplicateOwner = existing.consultantId === null ? 'pool' : mine ? 'mine' : 'owned';
  const consultant = existing.consultantName ?? '';
  const whose = { pool: '在公共客户池中', mine: '是你自己的客户', owned: `归属课程顾问 ${consultant}` }[
    owner
  ];
  return {
    message: `${fieldTitle[field]} ${shown} 已登记：客户「${name}」，${whose}`,
    existing: {
      id: existing.id,
      name,
      field,
      consultant:
        existing.consultantId === null
          ? null
          : { id: existing.consultantId, name: existing.consultantName ?? '' },
      mine,
    },
    code: `duplicate_${owner}`,
    params: { field, value: shown, name, consultant, owner },
  };
}

export function duplicateError(
  actor: Actor,
  existing: ExistingCustomer,
  field: ContactField,
  value: string,
): HttpError {
  const { message, existing: body, params } = describeDuplicate(viewerOf(actor), existing, field, value);
  return new HttpError(409, 'duplicate', message, undefined, { existing: body }, params);
}

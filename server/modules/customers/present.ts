import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Actor } from '../../auth/sessions.ts';
import { type Executor, queryRows } from '../../db/client.ts';
import { customers } from '../../db/schema/index.ts';
import { jsonProperty } from '../../engine/list-json.ts';
import type { Named } from '../../engine/present.ts';
import type { Item, ListJson } from '../../engine/types.ts';
import { phoneKind } from './contact-rules.ts';
import { maskContact } from './contacts.ts';

/** Whoever may see every customer reads every contact in full. */
export const seesEveryContact = (actor: Actor): boolean => actor.permissions.has('customer.view_all');

/**
 * Contact details are the consultant's asset: others see them masked (docs/spec.md §3). Keyword search
 * keeps to the same line (search.ts): a contact shown masked is matched only whole.
 */
export function seesContacts(actor: Actor, consultantId: unknown): boolean {
  return seesEveryContact(actor) || consultantId === actor.userId;
}

/** A customer's courses of interest (`co`), for a subquery that aggregates them. */
const coursesOf = (customerId: SQL | AnyPgColumn) =>
  sql`from customer_courses cc join courses co on co.id = cc.course_id where cc.customer_id = ${customerId}`;
/** Each of them as `{ id, name }`, in id order. */
const courseObjects = sql`json_agg(json_build_object('id', co.id, 'name', co.name) order by co.id)`;

/** A customer's courses of interest as a JSON array of `{ id, name }`, for one-statement answers. */
export const coursesJsonSql = (customerId: SQL | AnyPgColumn) =>
  sql`(select coalesce(${courseObjects}, '[]'::json) ${coursesOf(customerId)})`;

/** A user as `{ id, name }` (null for none), for one-statement answers. */
export const namedUserSql = (id: SQL | AnyPgColumn) =>
  sql`(select json_build_object('id', u.id, 'name', u.name) from users u where u.id = ${id})`;

/**
 * A customer's consultant and courses, as a page of the list reads them beside its rows
 * (ResourceConfig.listDetails): a page then costs the session and one statement.
 */
export const customerListDetails = {
  // Named in full: Drizzle leaves a column of a one-table select unqualified, and in these
  // subqueries "id" would be ambiguous.
  listConsultant: namedUserSql(sql.raw('"customers"."consultant_id"')),
  listCourses: coursesJsonSql(sql.raw('"customers"."id"')),
};

/**
 * Customers as the actor sees them, with their consultant's name and their courses: from the rows
 * when a list page read them beside (customerListDetails), else read in one statement.
 */
export async function presentCustomers(
  db: Executor,
  rows: Record<string, unknown>[],
  actor: Actor,
): Promise<Item[]> {
  const ids = rows.map((r) => r.id as number);
  if (ids.length === 0) return [];
  if (rows.every((row) => 'listCourses' in row)) {
    return rows.map(({ listConsultant, listCourses, ...row }) =>
      presentCustomer(row, actor, (listConsultant as Named | null) ?? null, (listCourses as Named[]) ?? []),
    );
  }
  const details = await queryRows<{ id: number; consultant: Named | null; courses: Named[] }>(
    db,
    sql`select ${customers.id} as id, ${namedUserSql(customers.consultantId)} as consultant,
               ${coursesJsonSql(customers.id)} as courses
        from ${customers} where ${customers.id} = any(${sql.param(ids)}::int[])`,
  );
  const byId = new Map(details.map((d) => [d.id, d]));
  return rows.map((row) => {
    const detail = byId.get(row.id as number);
    return presentCustomer(row, actor, detail?.consultant ?? null, detail?.courses ?? []);
  });
}

/** A customer's contacts as the actor sees them: whole or masked, and the phone's kind. */
export function contactsAsSeen(row: Record<string, unknown>, actor: Actor) {
  const visible = seesContacts(actor, row.consultantId);
  return {
    phone: visible ? row.phone : maskContact(row.phone as string | null),
    qq: visible ? row.qq : maskContact(row.qq as string | null),
    wechat: visible ? row.wechat : maskContact(row.wechat as string | null),
    // Whether it is a mobile, a landline or a number abroad says little about the number itself.
    phoneKind: phoneKind(row.phone as string | null),
  };
}

/** One customer as the actor sees it, given its consultant's name and the courses it is interested in. */
export function presentCustomer(
  row: Record<string, unknown>,
  actor: Actor,
  consultant: Named | null,
  interests: Named[],
): Item {
  return {
    ...(row as Item),
    ...contactsAsSeen(row, actor),
    consultant,
    courseIds: interests.map((c) => c.id),
    courses: interests,
  };
}

/**
 * A page of customers written as JSON by PostgreSQL (engine/list-json.ts): the contacts, which
 * depend on the reader, added by contactsAsSeen as `present` adds them.
 */
export const customerListJson: ListJson = {
  details: [
    jsonProperty('consultant', customerListDetails.listConsultant),
    {
      // The ids and the names from one read of the customer's courses.
      keys: ['courseIds', 'courses'],
      text: sql`(select '"courseIds":' || coalesce(json_agg(co.id order by co.id)::text, '[]')
                   || ',"courses":' || coalesce(${courseObjects}::text, '[]')
                 ${coursesOf(sql.raw('"customers"."id"'))})`,
    },
  ],
  raw: {
    phone: customers.phone,
    qq: customers.qq,
    wechat: customers.wechat,
    consultantId: customers.consultantId,
  },
  finished: ['phone', 'qq', 'wechat', 'phoneKind'],
  // A former owner's read-only view (former-owner.ts), never a list's.
  omitted: ['access'],
  finish: contactsAsSeen,
};

import { eq, inArray } from 'drizzle-orm';
import type { Actor } from '../../auth/sessions.ts';
import type { Executor } from '../../db/client.ts';
import { courses, customerCourses } from '../../db/schema/index.ts';
import { lookups, type Named } from '../../engine/present.ts';
import type { Item } from '../../engine/types.ts';
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

export async function presentCustomers(
  db: Executor,
  rows: Record<string, unknown>[],
  actor: Actor,
): Promise<Item[]> {
  const ids = rows.map((r) => r.id as number);
  if (ids.length === 0) return [];
  const consultantIds = [
    ...new Set(rows.map((r) => r.consultantId).filter((id): id is number => typeof id === 'number')),
  ];
  const [consultants, interests] = await Promise.all([
    consultantIds.length ? lookups.users(db, consultantIds) : [],
    db
      .select({ customerId: customerCourses.customerId, id: courses.id, name: courses.name })
      .from(customerCourses)
      .innerJoin(courses, eq(courses.id, customerCourses.courseId))
      .where(inArray(customerCourses.customerId, ids))
      .orderBy(courses.id),
  ]);
  return rows.map((row) =>
    presentCustomer(
      row,
      actor,
      consultants.find((c) => c.id === row.consultantId) ?? null,
      interests.filter((i) => i.customerId === row.id).map(({ id, name }) => ({ id, name })),
    ),
  );
}

/** One customer as the actor sees it, given its consultant's name and the courses it is interested in. */
export function presentCustomer(
  row: Record<string, unknown>,
  actor: Actor,
  consultant: Named | null,
  interests: Named[],
): Item {
  const visible = seesContacts(actor, row.consultantId);
  return {
    ...(row as Item),
    phone: visible ? row.phone : maskContact(row.phone as string | null),
    qq: visible ? row.qq : maskContact(row.qq as string | null),
    wechat: visible ? row.wechat : maskContact(row.wechat as string | null),
    // Whether it is a mobile, a landline or a number abroad says little about the number itself.
    phoneKind: phoneKind(row.phone as string | null),
    consultant,
    courseIds: interests.map((c) => c.id),
    courses: interests,
  };
}

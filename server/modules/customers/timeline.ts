import { type AnyColumn, and, desc, eq, ne } from 'drizzle-orm';
import { type Static, Type } from 'typebox';
import { customerScope, findInScope, wasOwner } from '../../auth/scopes.ts';
import type { Actor } from '../../auth/sessions.ts';
import type { Db } from '../../db/client.ts';
import { consultChannel, distributionStatus, distributionVia, payType } from '../../db/schema/enums.ts';
import {
  auditLog,
  consultRecords,
  customerDistributions,
  customers,
  paymentRecords,
} from '../../db/schema/index.ts';
import { lookups } from '../../engine/present.ts';
import { Enumerated, Instant } from '../../http/schemas.ts';
import { maskSnapshot } from './former-owner.ts';

const Period = Type.Object({
  distributionId: Type.Integer(),
  status: Enumerated(distributionStatus.codes),
  via: Enumerated(distributionVia.codes),
  memo: Type.String(),
});
const FollowUp = Type.Object({ channel: Enumerated(consultChannel.codes), note: Type.String() });
const Payment = Type.Object({
  payType: Enumerated(payType.codes),
  paidFee: Type.String(),
  classId: Type.Integer(),
  class: Type.Union([
    Type.Object({ id: Type.Integer(), name: Type.String(), nameEn: Type.String() }),
    Type.Null(),
  ]),
  confirmed: Type.Boolean(),
});
// An edit's audit snapshots, as they were written (masked for a former owner).
const Change = Type.Object({ action: Type.String(), before: Type.Unknown(), after: Type.Unknown() });

/** One event of a customer's story, as GET /api/customers/:id/timeline answers it. */
export const TimelineEventSchema = Type.Object({
  at: Instant,
  kind: Enumerated(['ownership_started', 'ownership_ended', 'follow_up', 'payment', 'change']),
  /** Who did it or whom it concerns. */
  user: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]),
  // The record's own fields, for the page to show as it likes; each kind has its own (none shares
  // another's required keys, so the serializer picks the right one).
  detail: Type.Union([Period, FollowUp, Payment, Change]),
});
export type TimelineEvent = Static<typeof TimelineEventSchema>;

/**
 * Whose story the actor may read: the whole of a customer in their scope; of a customer they owned
 * once, only their own part — their periods, follow-ups, the payments they signed and the edits
 * they made (contacts masked) — and nothing of what later owners did or learnt. Else 404.
 */
async function readableStory(db: Db, actor: Actor, customerId: number): Promise<'all' | 'own'> {
  try {
    await findInScope(db, customers, customerId, customerScope(actor));
    return 'all';
  } catch (error) {
    if (await wasOwner(db, actor, customerId)) return 'own';
    throw error;
  }
}

/** A customer's story, newest first: owners, follow-ups, payments and edits (docs/spec.md §7 detail page). */
export async function customerTimeline(db: Db, actor: Actor, customerId: number): Promise<TimelineEvent[]> {
  const story = await readableStory(db, actor, customerId);
  const own = story === 'own';
  // A former owner reads only their own part of the story: their periods, follow-ups, payments, edits.
  const partOfStory = (customerColumn: AnyColumn, personColumn: AnyColumn) =>
    and(eq(customerColumn, customerId), own ? eq(personColumn, actor.userId) : undefined);
  const [periods, follows, payments, edits] = await Promise.all([
    db
      .select()
      .from(customerDistributions)
      .where(partOfStory(customerDistributions.customerId, customerDistributions.consultantId)),
    db
      .select()
      .from(consultRecords)
      .where(partOfStory(consultRecords.customerId, consultRecords.consultantId)),
    db
      .select()
      .from(paymentRecords)
      .where(partOfStory(paymentRecords.customerId, paymentRecords.consultantId)),
    db
      .select()
      .from(auditLog)
      // A grab's audit entry repeats the ownership events the periods already tell.
      .where(
        and(
          eq(auditLog.entity, 'customers'),
          partOfStory(auditLog.entityId, auditLog.actorId),
          ne(auditLog.action, 'grab'),
        ),
      )
      .orderBy(desc(auditLog.at))
      .limit(200),
  ]);
  const classIds = [...new Set(payments.map((p) => p.classId))];
  const classNames = classIds.length ? await lookups.classes(db, classIds) : [];
  const events: (Omit<TimelineEvent, 'user'> & { userId: number | null })[] = [];
  for (const p of periods) {
    const detail = { distributionId: p.id, status: p.status, via: p.via, memo: p.memo };
    events.push({ at: p.startedAt, kind: 'ownership_started', userId: p.consultantId, detail });
    if (p.endedAt) events.push({ at: p.endedAt, kind: 'ownership_ended', userId: p.consultantId, detail });
  }
  for (const c of follows) {
    events.push({
      at: c.at,
      kind: 'follow_up',
      userId: c.consultantId,
      detail: { channel: c.channel, note: c.note },
    });
  }
  for (const p of payments) {
    events.push({
      at: p.paidAt,
      kind: 'payment',
      userId: p.consultantId,
      detail: {
        payType: p.payType,
        paidFee: p.paidFee,
        classId: p.classId,
        class: classNames.find((c) => c.id === p.classId) ?? null,
        confirmed: p.confirmedAt !== null,
      },
    });
  }
  for (const e of edits) {
    events.push({
      at: e.at,
      kind: 'change',
      userId: e.actorId,
      detail: own
        ? { action: e.action, before: maskSnapshot(e.before), after: maskSnapshot(e.after) }
        : { action: e.action, before: e.before, after: e.after },
    });
  }
  const userIds = [...new Set(events.map((e) => e.userId).filter((id): id is number => id !== null))];
  const people = userIds.length ? await lookups.users(db, userIds) : [];
  return events
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .map(({ userId, ...event }) => ({ ...event, user: people.find((p) => p.id === userId) ?? null }));
}

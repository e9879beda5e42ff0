import { and, desc, eq, ne } from 'drizzle-orm';
import { customerScope, findInScope } from '../../auth/scopes.ts';
import type { Actor } from '../../auth/sessions.ts';
import type { Db } from '../../db/client.ts';
import {
  auditLog,
  consultRecords,
  customerDistributions,
  customers,
  paymentRecords,
} from '../../db/schema/index.ts';
import { lookups } from '../../engine/present.ts';

export type TimelineEvent = {
  at: Date;
  kind: 'ownership_started' | 'ownership_ended' | 'follow_up' | 'payment' | 'change';
  /** Who did it or whom it concerns. */
  user: { id: number; name: string } | null;
  /** The record's own fields, for the page to show as it likes. */
  detail: Record<string, unknown>;
};

/** A customer's story, newest first: owners, follow-ups, payments and edits (SPEC §7 detail page). */
export async function customerTimeline(db: Db, actor: Actor, customerId: number): Promise<TimelineEvent[]> {
  await findInScope(db, customers, customerId, customerScope(actor));
  const [periods, follows, payments, edits] = await Promise.all([
    db.select().from(customerDistributions).where(eq(customerDistributions.customerId, customerId)),
    db.select().from(consultRecords).where(eq(consultRecords.customerId, customerId)),
    db.select().from(paymentRecords).where(eq(paymentRecords.customerId, customerId)),
    db
      .select()
      .from(auditLog)
      // A grab's audit entry repeats the ownership events the periods already tell.
      .where(
        and(eq(auditLog.entity, 'customers'), eq(auditLog.entityId, customerId), ne(auditLog.action, 'grab')),
      )
      .orderBy(desc(auditLog.at))
      .limit(200),
  ]);
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
        confirmed: p.confirmedAt !== null,
      },
    });
  }
  for (const e of edits) {
    events.push({
      at: e.at,
      kind: 'change',
      userId: e.actorId,
      detail: { action: e.action, before: e.before, after: e.after },
    });
  }
  const userIds = [...new Set(events.map((e) => e.userId).filter((id): id is number => id !== null))];
  const people = userIds.length ? await lookups.users(db, userIds) : [];
  return events
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .map(({ userId, ...event }) => ({ ...event, user: people.find((p) => p.id === userId) ?? null }));
}

import { and, eq, gt, sql } from 'drizzle-orm';
import { customerScope, findInScope } from '../../auth/scopes.ts';
import type { Actor } from '../../auth/sessions.ts';
import { addDays, now } from '../../clock.ts';
import type { Db } from '../../db/client.ts';
import type { CodeOf, consultChannel } from '../../db/schema/enums.ts';
import { consultRecords, customers } from '../../db/schema/index.ts';
import { writeAudit } from '../../engine/audit.ts';
import { dealDeadlineSql } from '../pool/predicates.ts';
import { loadPoolSettings } from '../pool/settings.ts';

export type FollowUpInput = { note: string; channel: CodeOf<typeof consultChannel> };

/**
 * A follow-up (跟进) on a customer the actor may reach (a consultant: their own). Only the current
 * owner's follow-up restarts the follow-up clock, and only while the customer is still theirs to
 * keep: once a deadline has passed it is public, whether or not the sweep has recorded it yet.
 */
export async function addFollowUp(db: Db, actor: Actor, customerId: number, input: FollowUpInput) {
  const at = now();
  return db.transaction(async (tx) => {
    await findInScope(tx, customers, customerId, customerScope(actor));
    const [record] = await tx
      .insert(consultRecords)
      .values({
        customerId,
        consultantId: actor.userId,
        at,
        channel: input.channel,
        note: input.note.trim(),
        createdAt: at,
        updatedAt: at,
      })
      .returning();
    const rules = await loadPoolSettings(tx);
    const moved = await tx
      .update(customers)
      .set({
        lastConsultAt: at,
        releaseAt: sql`least(${addDays(at, rules.followUpDays)}::timestamptz, ${dealDeadlineSql(rules)})`,
        updatedAt: at,
      })
      .where(
        and(
          eq(customers.id, customerId),
          eq(customers.consultantId, actor.userId),
          eq(customers.status, 'unregistered'),
          gt(customers.releaseAt, at),
        ),
      )
      .returning({ releaseAt: customers.releaseAt });
    await writeAudit(tx, {
      actorId: actor.userId,
      action: 'create',
      entity: 'consult-records',
      entityId: record!.id,
      after: record,
      at,
    });
    return { record: record!, clockMoved: moved.length > 0, releaseAt: moved[0]?.releaseAt ?? null };
  });
}

import type { Executor } from '../db/client.ts';
import { auditLog } from '../db/schema/index.ts';

/** One row of the audit log, written in the same transaction as the change it records. */
export async function writeAudit(
  tx: Executor,
  entry: {
    actorId: number | null;
    action: string;
    entity: string;
    entityId: number | null;
    before?: unknown;
    after?: unknown;
    at: Date;
  },
): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: entry.actorId,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
    at: entry.at,
    createdAt: entry.at,
    updatedAt: entry.at,
  });
}

import { and, eq, inArray } from 'drizzle-orm';
import { customers } from '../../db/schema/index.ts';
import type { ActionDef, Body, Context } from '../../engine/types.ts';
import { badRequest } from '../../http/errors.ts';
import { enqueue } from '../notify/outbox.ts';
import { loadPoolSettings } from '../pool/settings.ts';
import { refuseUnlessMayOwn } from './owners.ts';
import { endOwnership, startOwnership } from './service.ts';

/**
 * 转交: a manager hands selected customers to another consultant (someone who may own customers:
 * owners.ts). The old owner's period ends as
 * `reassigned` with the reason; the new one's starts with both clocks at now. Enrolled customers
 * and those the consultant already owns are left as they are.
 */
async function reassign({ tx, at }: Context, ids: number[], params: Body): Promise<number> {
  const consultantId = params.consultantId as number;
  const reason = String(params.reason ?? '').trim();
  if (!reason)
    throw badRequest('validation', 'reason: required', [
      { field: 'reason', message: 'required', code: 'required' },
    ]);
  await refuseUnlessMayOwn(tx, consultantId);
  const rules = await loadPoolSettings(tx);
  const moving = await tx
    .select({ id: customers.id, name: customers.name, consultantId: customers.consultantId })
    .from(customers)
    .where(and(inArray(customers.id, ids), eq(customers.status, 'unregistered')))
    .orderBy(customers.id)
    .for('update');
  const moved = moving.filter((c) => c.consultantId !== consultantId);
  for (const customer of moved) {
    await endOwnership(tx, { customerId: customer.id, status: 'reassigned', endedAt: at, at, memo: reason });
    await startOwnership(tx, {
      customerId: customer.id,
      consultantId,
      via: 'manual',
      at,
      rules,
      memo: reason,
    });
  }
  await enqueue(
    tx,
    moved.map((c) => ({
      userId: consultantId,
      event: 'customer_assigned' as const,
      payload: { customerId: c.id, name: c.name, via: 'manual', reason },
      dedupeKey: `customer_assigned:${c.id}:${at.toISOString()}`,
    })),
    at,
  );
  return moved.length;
}

// `satisfies`, so that a resource's keyed actions (defineResource) see it names no fields to confirm.
export const reassignAction = {
  title: '转交',
  titleEn: 'Reassign',
  permission: 'customer.assign',
  params: [
    {
      key: 'consultantId',
      title: '转交给',
      titleEn: 'To consultant',
      kind: 'ref',
      ref: 'users',
      refLabel: 'name',
      refParams: { owners: 'true' },
      required: true,
    },
    { key: 'reason', title: '原因', titleEn: 'Reason', kind: 'text', required: true, maxLength: 500 },
  ],
  run: reassign,
} satisfies ActionDef;

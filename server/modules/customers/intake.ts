import { businessDate } from '../../clock.ts';
import { isUniqueViolation, type Tx } from '../../db/client.ts';
import { customers } from '../../db/schema/index.ts';
import type { Body, Context, ResourceConfig } from '../../engine/types.ts';
import { columnValues } from '../../engine/writes.ts';
import { badRequest, forbidden } from '../../http/errors.ts';
import { lockRotation, notifyNobodyHadQuota } from '../assignment/assign.ts';
import { refuseUnlessMayOwn } from '../distributions/owners.ts';
import { startOwnership } from '../distributions/service.ts';
import { enqueue } from '../notify/outbox.ts';
import { loadPoolSettings } from '../pool/settings.ts';
import { contactsOf, refuseInvalidContacts } from './contacts.ts';
import {
  contactFields,
  duplicateError,
  findByContacts,
  type NormalisedContacts,
  normaliseContacts,
  sharedField,
} from './duplicates.ts';

/** Refuses a lead already on file, naming who has it (docs/spec.md §4 "Single entry"). */
async function refuseDuplicate(ctx: Context, wanted: NormalisedContacts, body: Body): Promise<void> {
  const [existing] = await findByContacts(ctx.tx, [wanted]);
  if (!existing) return;
  const field = sharedField(wanted, existing) ?? 'phone';
  throw duplicateError(ctx.actor, existing, field, String(body[field] ?? ''));
}

/** The consultant a manager (or a consultant, for themselves) chose: someone who may own customers. */
async function chosenConsultant(ctx: Context, consultantId: number): Promise<number> {
  if (consultantId !== ctx.actor.userId && !ctx.actor.permissions.has('customer.assign')) {
    throw forbidden('forbidden', 'Only a manager may give a new customer to another consultant');
  }
  await refuseUnlessMayOwn(ctx.tx, consultantId);
  return consultantId;
}

/** The next consultant of the rotation, or null (nobody has quota: the pool, and managers told). */
async function fromRotation(tx: Tx, at: Date, timezone: string): Promise<number | null> {
  const rotation = await lockRotation(tx, at, timezone);
  const next = rotation.next();
  await rotation.save();
  if (next === null) {
    await notifyNobodyHadQuota(tx, { at, key: `day:${businessDate(at, timezone)}`, count: 1 });
  }
  return next;
}

/**
 * 录入客户: a new customer, checked for duplicates, then given to the chosen consultant or to the
 * next one of the weighted rotation — all in the caller's transaction, so a refused insert moves
 * the rotation not at all.
 */
export async function createCustomer(ctx: Context, config: ResourceConfig, body: Body): Promise<number> {
  const { tx, at, actor } = ctx;
  refuseInvalidContacts(body);
  const wanted = normaliseContacts(contactsOf(body));
  if (contactFields.every((f) => wanted[f] === null)) {
    throw badRequest('validation', 'A customer needs at least one of phone, QQ or WeChat', [
      { field: 'phone', message: 'needs at least one contact', code: 'contact_required' },
    ]);
  }
  const chosen =
    typeof body.consultantId === 'number' ? await chosenConsultant(ctx, body.consultantId) : null;
  await refuseDuplicate(ctx, wanted, body);

  const { consultantId: _owner, courseIds: _courses, ...fields } = columnValues(config, body);
  let id: number;
  try {
    // A savepoint: a lead entered at the same instant elsewhere loses here, and is named as above.
    id = await tx.transaction(async (sp) => {
      const [row] = await sp
        .insert(customers)
        .values({
          ...(fields as { name: string }),
          releaseAt: at,
          releasedReason: 'unassigned',
          createdAt: at,
          updatedAt: at,
        })
        .returning({ id: customers.id });
      return row!.id;
    });
  } catch (error) {
    if (isUniqueViolation(error)) await refuseDuplicate(ctx, wanted, body);
    throw error;
  }

  const consultantId = chosen ?? (await fromRotation(tx, at, ctx.timezone));
  if (consultantId !== null) {
    const rules = await loadPoolSettings(tx);
    const period = await startOwnership(tx, {
      customerId: id,
      consultantId,
      via: chosen === null ? 'assigned' : 'manual',
      at,
      rules,
    });
    if (consultantId !== actor.userId) {
      await enqueue(
        tx,
        [
          {
            userId: consultantId,
            event: 'customer_assigned',
            payload: { customerId: id, name: body.name, by: actor.userId },
            dedupeKey: `customer_assigned:${period.id}`,
          },
        ],
        at,
      );
    }
  }
  return id;
}

import { and, count, eq, gt, gte, sql } from 'drizzle-orm';
import type { Actor } from '../../auth/sessions.ts';
import { addDays, now, startOfBusinessDay } from '../../clock.ts';
import { type Db, queryRows, type Tx } from '../../db/client.ts';
import { customerDistributions, customers } from '../../db/schema/index.ts';
import { writeAudit } from '../../engine/audit.ts';
import { conflict, forbidden, type HttpError, notFound, tooMany } from '../../http/errors.ts';
import { type Distribution, endOwnership, openPeriod, releaseStatus } from '../distributions/service.ts';
import { enqueue } from '../notify/outbox.ts';
import { releaseDeadline } from './rules.ts';
import { loadPoolSettings, type PoolSettings } from './settings.ts';

// Grabs by one consultant take turns on this lock (with their user id), so the daily limit and
// the owned limit are counted with nobody else's grab of theirs in flight.
const GRAB_LOCK_SPACE = 727_200;

type Previous = {
  consultant_id: number | null;
  recv_at: Date | string | null;
  last_consult_at: Date | string | null;
};

const asDate = (value: Date | string | null) => (value === null ? null : new Date(value));

async function checkLimits(tx: Tx, consultantId: number, settings: PoolSettings, at: Date, timezone: string) {
  if (settings.dailyGrabLimit === 0 && settings.maxOwned === 0) return;
  await tx.execute(sql`select pg_advisory_xact_lock(${GRAB_LOCK_SPACE}, ${consultantId})`);
  if (settings.dailyGrabLimit > 0) {
    const [today] = await tx
      .select({ n: count() })
      .from(customerDistributions)
      .where(
        and(
          eq(customerDistributions.consultantId, consultantId),
          eq(customerDistributions.via, 'grabbed'),
          gte(customerDistributions.startedAt, startOfBusinessDay(at, timezone)),
        ),
      );
    if ((today?.n ?? 0) >= settings.dailyGrabLimit) {
      throw tooMany('grab_limit', `You may grab at most ${settings.dailyGrabLimit} customers a day`);
    }
  }
  if (settings.maxOwned > 0) {
    const [owned] = await tx
      .select({ n: count() })
      .from(customers)
      .where(
        and(
          eq(customers.consultantId, consultantId),
          eq(customers.status, 'unregistered'),
          gt(customers.releaseAt, at),
        ),
      );
    if ((owned?.n ?? 0) >= settings.maxOwned) {
      throw conflict('owned_limit', `You already follow ${settings.maxOwned} customers, the most allowed`);
    }
  }
}

/**
 * The one conditional UPDATE of a grab (SPEC §3): it takes the customer only if, in the row as
 * committed when the lock is granted, it is still unregistered, public, and not the caller's last
 * ownership (unless the cooldown has passed). Of simultaneous grabbers the first holds the row
 * lock; the others re-read the row it committed, which is no longer public, and take nothing.
 */
async function takeIfPublic(
  tx: Tx,
  customerId: number,
  consultantId: number,
  settings: PoolSettings,
  at: Date,
): Promise<Previous | undefined> {
  const cooldown =
    settings.previousOwnerCooldownDays === null
      ? sql`false`
      : sql`c.release_at <= ${addDays(at, -settings.previousOwnerCooldownDays)}`;
  const [taken] = await queryRows<Previous>(
    tx,
    sql`update customers c
        set consultant_id = ${consultantId}, recv_at = ${at}, last_consult_at = ${at},
            release_at = ${addDays(at, Math.min(settings.followUpDays, settings.dealDays))},
            previous_consultant_id = null, released_reason = null, updated_at = ${at}
        from (select id, consultant_id, recv_at, last_consult_at from customers where id = ${customerId} for update) previous
        where c.id = previous.id
          and c.status = 'unregistered'
          and c.release_at <= ${at}
          and (coalesce(c.consultant_id, c.previous_consultant_id) is distinct from ${consultantId} or ${cooldown})
        returning previous.consultant_id, previous.recv_at, previous.last_consult_at`,
  );
  return taken;
}

/** Why a grab took nothing, as the status SPEC §3 names. */
async function refusal(
  db: Db | Tx,
  customerId: number,
  consultantId: number,
  settings: PoolSettings,
  at: Date,
): Promise<HttpError | null> {
  const [row] = await db
    .select({
      status: customers.status,
      releaseAt: customers.releaseAt,
      consultantId: customers.consultantId,
      previousConsultantId: customers.previousConsultantId,
    })
    .from(customers)
    .where(eq(customers.id, customerId));
  if (!row) return notFound();
  const lastOwner = row.consultantId ?? row.previousConsultantId;
  const isPublic = row.status === 'unregistered' && row.releaseAt !== null && row.releaseAt <= at;
  const cooledDown =
    settings.previousOwnerCooldownDays !== null &&
    row.releaseAt !== null &&
    row.releaseAt <= addDays(at, -settings.previousOwnerCooldownDays);
  if (isPublic && lastOwner === consultantId && !cooledDown) {
    return forbidden('previous_owner', 'You were its last consultant: another consultant may grab it');
  }
  return isPublic ? null : conflict('already_taken', 'Another consultant has already taken this customer');
}

export type GrabResult = { customerId: number; distribution: Distribution };

/** A consultant takes a public customer (抢单). */
export async function grab(db: Db, actor: Actor, customerId: number, timezone: string): Promise<GrabResult> {
  const at = now();
  const me = actor.userId;
  const settings = await loadPoolSettings(db);
  // Most grabs of a contested customer come after someone has won it: answer those from the row as
  // committed, without a transaction or a lock. Whatever this read says, the conditional UPDATE
  // below decides.
  const early = await refusal(db, customerId, me, settings, at);
  if (early) throw early;
  return db.transaction(async (tx) => {
    await checkLimits(tx, me, settings, at, timezone);
    const previous = await takeIfPublic(tx, customerId, me, settings, at);
    if (!previous) {
      throw (
        (await refusal(tx, customerId, me, settings, at)) ??
        conflict('already_taken', 'Another consultant has already taken this customer')
      );
    }

    // Its previous owner's period ends at the deadline that passed (unless the sweep ended it).
    const recvAt = asDate(previous.recv_at) ?? asDate(previous.last_consult_at);
    if (previous.consultant_id !== null && recvAt !== null) {
      const deadline = releaseDeadline({ recvAt, lastConsultAt: asDate(previous.last_consult_at) }, settings);
      await endOwnership(tx, {
        customerId,
        status: releaseStatus(deadline.reason),
        endedAt: deadline.at,
        at,
      });
    } else if (previous.consultant_id !== null) {
      await endOwnership(tx, { customerId, status: 'released_no_followup', endedAt: at, at });
    }
    const distribution = await openPeriod(tx, { customerId, consultantId: me, via: 'grabbed', at });
    await enqueue(
      tx,
      [
        {
          userId: me,
          event: 'grab_won',
          payload: { customerId, distributionId: distribution.id },
          dedupeKey: `grab_won:${distribution.id}`,
        },
      ],
      at,
    );
    await writeAudit(tx, {
      actorId: me,
      action: 'grab',
      entity: 'customers',
      entityId: customerId,
      before: { consultantId: previous.consultant_id },
      after: { consultantId: me, distributionId: distribution.id },
      at,
    });
    return { customerId, distribution };
  });
}

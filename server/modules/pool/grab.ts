import type { Actor } from '../../auth/sessions.ts';
import { now, startOfBusinessDay } from '../../clock.ts';
import { type Db, type Executor, rowFromJson, type Tx } from '../../db/client.ts';
import { customerDistributions, customers } from '../../db/schema/index.ts';
import type { Item } from '../../engine/types.ts';
import { conflict, forbidden, type HttpError, notFound, tooMany } from '../../http/errors.ts';
import { presentCustomer } from '../customers/present.ts';
import type { Distribution } from '../distributions/service.ts';
import {
  countFollowing,
  countGrabsSince,
  lockConsultantGrabs,
  type Outcome,
  readStanding,
  type Standing,
  takeCustomer,
} from './queries.ts';
import { lastOwnerMayTake } from './rules.ts';

export { standingAlongside, standingFrom } from './queries.ts';

type Limits = { dailyGrabLimit: number; maxOwned: number };

/** Refuses a grab past the consultant's daily or owned limit, counted under their grab lock. */
async function checkLimits(tx: Tx, consultantId: number, limits: Limits, at: Date, timezone: string) {
  await lockConsultantGrabs(tx, { consultantId });
  if (limits.dailyGrabLimit > 0) {
    const since = startOfBusinessDay(at, timezone);
    if ((await countGrabsSince(tx, { consultantId, since })) >= limits.dailyGrabLimit) {
      throw tooMany('grab_limit', `You may grab at most ${limits.dailyGrabLimit} customers a day`, {
        count: limits.dailyGrabLimit,
      });
    }
  }
  if (limits.maxOwned > 0 && (await countFollowing(tx, { consultantId, at })) >= limits.maxOwned) {
    throw conflict('owned_limit', `You already follow ${limits.maxOwned} customers, the most allowed`, {
      count: limits.maxOwned,
    });
  }
}

/** Public at `at` in the row as it stood. */
const isPublicIn = (standing: Standing, at: Date) =>
  standing.status === 'unregistered' && standing.release_at !== null && new Date(standing.release_at) <= at;

/** Public, but the caller was its last owner and the cooldown, if there is one, has not passed. */
function barredAsLastOwner(standing: Standing, me: number, at: Date): boolean {
  if (!isPublicIn(standing, at)) return false;
  const customer = {
    consultantId: standing.consultant_id,
    previousConsultantId: standing.previous_consultant_id,
    releaseAt: new Date(standing.release_at!),
  };
  return !lastOwnerMayTake(customer, me, at, standing.previous_owner_cooldown_days);
}

/** Why a grab took nothing, from the row as it stood: docs/spec.md §3's statuses. */
function refusal(standing: Standing, me: number, at: Date): HttpError {
  if (standing.status === null) return notFound();
  if (barredAsLastOwner(standing, me, at)) {
    return forbidden('previous_owner', 'You were its last consultant: another consultant may grab it');
  }
  // Public in the row as it stood, yet not taken: someone else's grab committed first.
  return conflict('already_taken', 'Another consultant has already taken this customer');
}

/** Public now and not barred as its last owner: only the limits stand between the caller and it. */
const takeable = (standing: Standing, me: number, at: Date) =>
  isPublicIn(standing, at) && !barredAsLastOwner(standing, me, at);

const attempt = (db: Executor, customerId: number, me: number, at: Date, limitsChecked: boolean) =>
  takeCustomer(db, { customerId, me, at, limitsChecked });

export type GrabResult = { customer: Item; distribution: Distribution };

function result(outcome: Outcome, actor: Actor): GrabResult {
  const row = rowFromJson(customers, outcome.customer!);
  return {
    customer: presentCustomer(row, actor, { id: actor.userId, name: actor.name }, outcome.courses),
    distribution: rowFromJson(customerDistributions, outcome.distribution!),
  };
}

const limitsOf = (standing: Standing): Limits => ({
  dailyGrabLimit: standing.daily_grab_limit,
  maxOwned: standing.max_owned,
});
const unlimited = (limits: Limits) => limits.dailyGrabLimit === 0 && limits.maxOwned === 0;

/**
 * A consultant takes a public customer (抢单). `read` is the customer as committed, when the
 * session query already read it (standingAlongside).
 */
export async function grab(
  db: Db,
  {
    actor,
    customerId,
    timezone,
    read,
  }: { actor: Actor; customerId: number; timezone: string; read?: Standing },
): Promise<GrabResult> {
  const at = now();
  const me = actor.userId;
  // Most refusals need only the row as committed: a customer taken a moment ago (nine in ten grabs
  // of a storm) then costs a primary-key read, not the grab's locks and writes. Whatever this lets
  // through, the grab checks again under the row lock.
  const standing = read ?? (await readStanding(db, { customerId }));
  if (!takeable(standing, me, at)) throw refusal(standing, me, at);
  let limits = limitsOf(standing);
  if (unlimited(limits)) {
    const first = await attempt(db, customerId, me, at, false);
    if (first.customer) return result(first, actor);
    limits = limitsOf(first);
    if (unlimited(limits) || !takeable(first, me, at)) throw refusal(first, me, at);
  }
  return db.transaction(async (tx) => {
    await checkLimits(tx, me, limits, at, timezone);
    const outcome = await attempt(tx, customerId, me, at, true);
    if (!outcome.customer) throw refusal(outcome, me, at);
    return result(outcome, actor);
  });
}

import { addDays } from '../../clock.ts';

/**
 * The public-pool rules of docs/spec.md §3, as pure functions (no database).
 *
 * Invariant kept by every write that moves a customer's clocks, owner or status, and by the batch
 * recompute when the rules change: `customers.release_at = releaseAtFor(customer, rules)`, so that
 *
 *   the pool at `now`  =  status = 'unregistered' and release_at <= now
 *
 * (an index range scan on `customers_pool_idx`), which is exactly the set `isPublic(…, now)` names.
 * The boundary is inclusive on both sides: at the deadline instant itself the customer is public.
 */
export type PoolRules = { followUpDays: number; dealDays: number };

export const DEFAULT_POOL_RULES: PoolRules = { followUpDays: 3, dealDays: 15 };

export type ReleaseReason = 'no_followup' | 'no_deal';

/** Why an owned customer falls into the pool, and when. */
export type ReleaseDeadline = { at: Date; reason: ReleaseReason };

/** The fields of a customer the rules read. */
export type PoolCustomer = {
  /** 'unregistered' or 'enrolled'; enrolled customers never enter the pool. */
  status: string;
  consultantId: number | null;
  recvAt: Date | null;
  lastConsultAt: Date | null;
};

/**
 * The earlier of "no follow-up for `followUpDays`" and "no deal within `dealDays` of receiving it";
 * a tie counts as no follow-up. A missing `lastConsultAt` means no follow-up yet: the clock runs from
 * `recvAt` (docs/spec.md §3 "New ownership" starts both clocks together).
 */
export function releaseDeadline(
  customer: { recvAt: Date; lastConsultAt: Date | null },
  rules: PoolRules,
): ReleaseDeadline {
  const followUp = addDays(customer.lastConsultAt ?? customer.recvAt, rules.followUpDays);
  const deal = addDays(customer.recvAt, rules.dealDays);
  return followUp.getTime() <= deal.getTime()
    ? { at: followUp, reason: 'no_followup' }
    : { at: deal, reason: 'no_deal' };
}

/** Public since ever: an owned customer without clocks (legacy data) or an unowned one of unknown age. */
const EPOCH = new Date(0);

/**
 * What `customers.release_at` must hold:
 * - enrolled: `null` (never in the pool);
 * - owned and unregistered: its release deadline;
 * - unowned and unregistered: the instant it became public — `publicSince` (the release moment, or
 *   its creation when it never had an owner); the epoch when unknown.
 * An owned customer missing both clocks is treated as already public rather than never (the
 * original's bug: customers with an empty `recv_date` never fell into the pool).
 */
export function releaseAtFor(
  customer: PoolCustomer & { publicSince?: Date | null },
  rules: PoolRules,
): Date | null {
  if (customer.status === 'enrolled') return null;
  if (customer.consultantId === null) return customer.publicSince ?? EPOCH;
  const recvAt = customer.recvAt ?? customer.lastConsultAt;
  if (recvAt === null) return EPOCH;
  return releaseDeadline({ recvAt, lastConsultAt: customer.lastConsultAt }, rules).at;
}

/**
 * The live rule of docs/spec.md §3: not enrolled, and either no consultant, or not followed up for
 * `followUpDays`, or not closed within `dealDays` of receiving it. Agrees with `release_at <= at`
 * for every customer whose `release_at` is `releaseAtFor(customer)` (for an unowned customer, at
 * any instant from `publicSince` on).
 */
/**
 * Whether consultant `me` may take a public customer as far as ownership goes: anyone but its last
 * owner (its consultant while it has one, else the one before); the last owner only once
 * `cooldownDays` have passed since it was released (null: never). Twin of lastOwnerMayTakeSql.
 */
export function lastOwnerMayTake(
  customer: { consultantId: number | null; previousConsultantId: number | null; releaseAt: Date | null },
  me: number,
  at: Date,
  cooldownDays: number | null,
): boolean {
  const lastOwner = customer.consultantId ?? customer.previousConsultantId;
  if (lastOwner !== me) return true;
  return (
    cooldownDays !== null &&
    customer.releaseAt !== null &&
    customer.releaseAt.getTime() <= addDays(at, -cooldownDays).getTime()
  );
}

export function isPublic(customer: PoolCustomer, rules: PoolRules, at: Date): boolean {
  if (customer.status === 'enrolled') return false;
  if (customer.consultantId === null) return true;
  const recvAt = customer.recvAt ?? customer.lastConsultAt;
  if (recvAt === null) return true;
  const lastConsultAt = customer.lastConsultAt ?? recvAt;
  return (
    lastConsultAt.getTime() <= addDays(at, -rules.followUpDays).getTime() ||
    recvAt.getTime() <= addDays(at, -rules.dealDays).getTime()
  );
}

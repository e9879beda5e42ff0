import { and, count, eq, gte, type SQL, sql } from 'drizzle-orm';
import type { Actor, Alongside } from '../../auth/sessions.ts';
import { now, startOfBusinessDay } from '../../clock.ts';
import { compiled, type Db, type Executor, rowFromJson, type Tx } from '../../db/client.ts';
import { followingSql } from '../../db/owners.ts';
import { customerDistributions, customerOwners, customers } from '../../db/schema/index.ts';
import type { Named } from '../../engine/present.ts';
import type { Item } from '../../engine/types.ts';
import { conflict, forbidden, type HttpError, notFound, tooMany } from '../../http/errors.ts';
import { presentCustomer } from '../customers/present.ts';
import type { Distribution } from '../distributions/service.ts';
import { outboxInsert } from '../notify/outbox.ts';
import {
  dealDeadlineSql,
  followUpDeadlineSql,
  lastOwnerMayTakeSql,
  publicAtSql,
  releasedPeriodStatusSql,
  releasedReasonSql,
} from './predicates.ts';
import { lastOwnerMayTake } from './rules.ts';
import { coursesJsonSql, savedRules, settingsRowSql } from './settings.ts';

// Grabs by one consultant take turns on this lock (with their user id), so the daily limit and
// the owned limit are counted with nobody else's grab of theirs in flight.
const GRAB_LOCK_SPACE = 727_200;

type Limits = { dailyGrabLimit: number; maxOwned: number };

async function checkLimits(tx: Tx, consultantId: number, limits: Limits, at: Date, timezone: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(${GRAB_LOCK_SPACE}, ${consultantId})`);
  if (limits.dailyGrabLimit > 0) {
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
    if ((today?.n ?? 0) >= limits.dailyGrabLimit) {
      throw tooMany('grab_limit', `You may grab at most ${limits.dailyGrabLimit} customers a day`, {
        count: limits.dailyGrabLimit,
      });
    }
  }
  if (limits.maxOwned > 0) {
    const [owned] = await tx
      .select({ n: count() })
      .from(customerOwners)
      .where(followingSql(consultantId, at));
    if ((owned?.n ?? 0) >= limits.maxOwned) {
      throw conflict('owned_limit', `You already follow ${limits.maxOwned} customers, the most allowed`, {
        count: limits.maxOwned,
      });
    }
  }
}

/** The customer as committed (null columns: no such customer) and the rules: all a refusal needs. */
type Standing = {
  status: string | null;
  release_at: Date | string | null;
  consultant_id: number | null;
  previous_consultant_id: number | null;
  previous_owner_cooldown_days: number | null;
  daily_grab_limit: number;
  max_owned: number;
};

type Outcome = Standing & {
  customer: Record<string, unknown> | null;
  distribution: Record<string, unknown> | null;
  courses: Named[];
};

/** The columns of Standing, for a statement whose `s` is the settings row (settingsRowSql). */
const standingSql = (customerId: SQL) =>
  sql`c.status, c.release_at, c.consultant_id, c.previous_consultant_id,
      s.previous_owner_cooldown_days, s.daily_grab_limit, s.max_owned
    from s left join customers c on c.id = ${customerId}`;

const standingStatement = compiled<{ customerId: number }, Standing>(
  ({ customerId }) => sql`with s as (${settingsRowSql}) select ${standingSql(customerId)}`,
);

/**
 * The same read, carried by the grab's session query (config.alongside on the route): a refusal,
 * nine in ten grabs of a storm, then costs the request's one round trip and nothing more.
 */
export const standingAlongside: Alongside = {
  param: 'customerId',
  read: (key) =>
    sql`(select row_to_json(r) from (with s as (${settingsRowSql}) select ${standingSql(key)}) r)`,
};

/** What the read alongside found, as the standing read would have given it. */
export const standingFrom = (alongside: unknown): Standing | undefined =>
  alongside && typeof alongside === 'object' ? (alongside as Standing) : undefined;

const received = sql`coalesce(${customers.recvAt}, ${customers.lastConsultAt})`;

/**
 * The whole taking in one statement (docs/spec.md §3), so it costs one round trip. `previous` locks the
 * customer only if, in the row as committed when the lock is granted, it is still unregistered,
 * public, and not the caller's last ownership (unless the cooldown has passed). Of simultaneous
 * grabbers the first holds the row lock; the others re-read the row it committed, which is no
 * longer public, and take nothing. Taking it ends the previous owner's period at the deadline that
 * passed (unless the sweep ended it) before opening the grabber's — the insert is made to wait for
 * that update, since one customer has one following period — and tells the grabber and the audit log.
 * The statement answers with the row as it stood before, to say why nothing was taken.
 *
 * With a daily or an owned limit set, it takes nothing unless `limitsChecked`: the limits must be
 * counted first, under the consultant's lock, in a statement of their own. Its text is rendered
 * once (`compiled`): a storm runs it thousands of times a second.
 */
type GrabValues = { customerId: number; me: number; at: Date; limitsChecked: boolean };
const grabStatement = compiled<GrabValues, Outcome>(
  ({ customerId, me, at, limitsChecked }) => sql`with s as (${settingsRowSql}),
    previous as (
      select ${customers.id} as id, ${customers.consultantId} as consultant_id,
             case when ${received} is null then ${at}::timestamptz
                  else least(${followUpDeadlineSql(savedRules)}, ${dealDeadlineSql(savedRules)}) end as deadline_at,
             ${releasedReasonSql(savedRules)} as reason
      from ${customers}, s
      where ${customers.id} = ${customerId} and ${publicAtSql(at)}
        and ${lastOwnerMayTakeSql(me, at, sql`s.previous_owner_cooldown_days`)}
        and (${limitsChecked}::boolean or (s.daily_grab_limit = 0 and s.max_owned = 0))
      for update of ${customers}
    ),
    taken as (
      update customers c
      set consultant_id = ${me}, recv_at = ${at}, last_consult_at = ${at},
          release_at = ${at}::timestamptz + interval '24 hours' * least(s.follow_up_days, s.deal_days),
          previous_consultant_id = null, released_reason = null, updated_at = ${at}
      from previous p, s
      where c.id = p.id
      returning c.*
    ),
    ended as (
      update customer_distributions d
      set status = ${releasedPeriodStatusSql(sql`p.reason`)},
          ended_at = greatest(p.deadline_at, d.started_at), updated_at = ${at}
      from previous p
      where d.customer_id = p.id and d.status = 'following' and p.consultant_id is not null
        and exists (select 1 from taken)
      returning d.id
    ),
    opened as (
      insert into customer_distributions (customer_id, consultant_id, via, status, started_at, memo, created_at, updated_at)
      select t.id, ${me}, 'grabbed', 'following', ${at}, '', ${at}, ${at}
      from taken t cross join (select count(*) from ended) as ended_first
      returning *
    ),
    told as (${outboxInsert(
      sql`select ${me}::int, 'grab_won'::text,
                 jsonb_build_object('customerId', o.customer_id, 'distributionId', o.id),
                 'grab_won:' || o.id
          from opened o`,
      at,
    )}),
    audited as (
      insert into audit_log (actor_id, action, entity, entity_id, before, after, at, created_at, updated_at)
      select ${me}, 'grab', 'customers', o.customer_id, jsonb_build_object('consultantId', p.consultant_id),
             jsonb_build_object('consultantId', ${me}::int, 'distributionId', o.id), ${at}, ${at}, ${at}
      from opened o, previous p
    )
    select (select row_to_json(t) from taken t) as customer,
           (select row_to_json(o) from opened o) as distribution,
           ${coursesJsonSql(sql`${customerId}`)} as courses,
           ${standingSql(customerId)}`,
);

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

async function attempt(db: Executor, customerId: number, me: number, at: Date, limitsChecked: boolean) {
  const [outcome] = await grabStatement(db, { customerId, me, at, limitsChecked });
  return outcome!;
}

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
  actor: Actor,
  customerId: number,
  timezone: string,
  read?: Standing,
): Promise<GrabResult> {
  const at = now();
  const me = actor.userId;
  // Most refusals need only the row as committed: a customer taken a moment ago (nine in ten grabs
  // of a storm) then costs a primary-key read, not the grab's locks and writes. Whatever this lets
  // through, the grab checks again under the row lock.
  const [standing] = read ? [read] : await standingStatement(db, { customerId });
  if (!takeable(standing!, me, at)) throw refusal(standing!, me, at);
  let limits = limitsOf(standing!);
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

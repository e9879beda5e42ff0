import { and, count, eq, gte, type SQL, sql } from 'drizzle-orm';
import type { Alongside } from '../../auth/sessions.ts';
import { compiled, type Db, type Executor, intArraySql, queryRows, type Tx } from '../../db/client.ts';
import { followingSql } from '../../db/owners.ts';
import { customerDistributions, customerOwners, customers } from '../../db/schema/index.ts';
import type { Named } from '../../engine/present.ts';
import { coursesJsonSql } from '../customers/present.ts';
import { isoTimeSql, type NotificationEvent, outboxInsert } from '../notify/outbox.ts';
import {
  dealDeadlineSql,
  followUpDeadlineSql,
  lastOwnerMayTakeSql,
  publicAtSql,
  releasedPeriodStatusSql,
  releasedReasonSql,
} from './predicates.ts';
import { type PoolSettings, savedRules, settingsRowSql } from './settings.ts';

/*
 * The pool's hand-written statements, each named for what it does: the grab (its standing read,
 * the consultant's limits and the taking itself) and the sweep's batches. The rules they apply are
 * predicates.ts's SQL twins of rules.ts; grab.ts and sweep.ts decide when to run them.
 */

// Grabs by one consultant take turns on this lock (with their user id), so the daily limit and
// the owned limit are counted with nobody else's grab of theirs in flight.
const GRAB_LOCK_SPACE = 727_200;

/** Holds the consultant's grab lock until the transaction ends. */
export async function lockConsultantGrabs(tx: Tx, { consultantId }: { consultantId: number }): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${GRAB_LOCK_SPACE}, ${consultantId})`);
}

/** How many customers the consultant has grabbed since `since`. */
export async function countGrabsSince(
  tx: Tx,
  { consultantId, since }: { consultantId: number; since: Date },
): Promise<number> {
  const [grabbed] = await tx
    .select({ n: count() })
    .from(customerDistributions)
    .where(
      and(
        eq(customerDistributions.consultantId, consultantId),
        eq(customerDistributions.via, 'grabbed'),
        gte(customerDistributions.startedAt, since),
      ),
    );
  return grabbed?.n ?? 0;
}

/** How many customers the consultant follows at `at`. */
export async function countFollowing(tx: Tx, { consultantId, at }: { consultantId: number; at: Date }) {
  const [owned] = await tx.select({ n: count() }).from(customerOwners).where(followingSql(consultantId, at));
  return owned?.n ?? 0;
}

/** The customer as committed (null columns: no such customer) and the rules: all a refusal needs. */
export type Standing = {
  status: string | null;
  release_at: Date | string | null;
  consultant_id: number | null;
  previous_consultant_id: number | null;
  previous_owner_cooldown_days: number | null;
  daily_grab_limit: number;
  max_owned: number;
};

export type Outcome = Standing & {
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

/** The customer as committed and the pool's rules (a customer that does not exist: null columns). */
export async function readStanding(db: Executor, values: { customerId: number }): Promise<Standing> {
  const [standing] = await standingStatement(db, values);
  return standing!;
}

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
                 jsonb_build_object('customerId', o.customer_id, 'distributionId', o.id, 'name', t.name),
                 'grab_won:' || o.id
          from opened o join taken t on t.id = o.customer_id`,
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

/** Runs the taking (grabStatement): the outcome says what was taken, or the row as it stood. */
export async function takeCustomer(db: Executor, values: GrabValues): Promise<Outcome> {
  const [outcome] = await grabStatement(db, values);
  return outcome!;
}

/**
 * One message per owner per batch, not one per customer: a consultant whose forty customers fell
 * due tonight is told once at 00:05, not forty times (SMS gateways and DingTalk robots also cap how
 * often one recipient may be messaged). `rows` names a relation with (id, name, consultant_id,
 * release_at) and whatever `more` reads; each customer is listed with its deadline as `timeField`.
 * A message about one customer carries that customer's fields at its top level as well, as the
 * per-customer messages did. The key is the event, the first customer listed and its deadline: a
 * customer is released (or reminded of a deadline) once, so no two messages share it.
 */
function ownerDigest(event: NotificationEvent, rows: SQL, timeField: string, more = sql`'{}'::jsonb`) {
  return sql`select g.consultant_id, ${event}::text,
           case when g.n = 1 then g.items -> 0 else '{}'::jsonb end
             || jsonb_build_object('count', g.n, 'customers', g.items),
           ${event}::text || ':' || (g.items -> 0 ->> 'customerId') || ':' || (g.items -> 0 ->> ${timeField}::text)
    from (
      select c.consultant_id, count(*)::int as n,
             jsonb_agg(jsonb_build_object('customerId', c.id, 'name', c.name, ${timeField}::text,
                                          ${isoTimeSql(sql`c.release_at`)}) || ${more}
                       order by c.release_at, c.id) as items
      from ${rows} c group by c.consultant_id
    ) g`;
}

/**
 * One batch of releases: of `ids`, the owned customers public at `at` lose their owner (recording
 * who and why), the owner's open period ends at the deadline that passed, and each owner is told —
 * one statement, so a customer is never half released and no row travels to the app and back.
 * Rows a grab holds are skipped; once the grab commits they are no longer public.
 */
export async function releaseDue(
  db: Db,
  { settings, at, ids }: { settings: PoolSettings; at: Date; ids: readonly string[] },
): Promise<number> {
  const [row] = await queryRows<{ done: number }>(
    db,
    sql`with batch as (
          select c.id from customers c
          where c.id = any(${intArraySql(ids)}) and c.status = 'unregistered' and c.consultant_id is not null
            and c.release_at <= ${at}
          for no key update of c skip locked
        ),
        released as (
          update customers
          set consultant_id = null, previous_consultant_id = ${customers.consultantId},
              released_reason = ${releasedReasonSql(settings)},
              recv_at = null, last_consult_at = null, updated_at = ${at}
          from batch where ${customers.id} = batch.id
          returning ${customers.id} as id, ${customers.name} as name,
                    ${customers.previousConsultantId} as consultant_id,
                    ${customers.releasedReason} as reason, ${customers.releaseAt} as release_at
        ),
        closed as (
          update customer_distributions d
          set status = ${releasedPeriodStatusSql(sql`r.reason`)},
              ended_at = greatest(r.release_at, d.started_at), updated_at = ${at}
          from released r
          where d.customer_id = r.id and d.status = 'following'
        ),
        told as (${outboxInsert(ownerDigest('customer_released', sql`released`, 'releasedAt', sql`jsonb_build_object('reason', c.reason)`), at)})
        select count(*)::int as done from released`,
  );
  return row!.done;
}

/**
 * One batch of reminders: of `ids`, the owned customers whose deadline falls within
 * `remindDaysBefore` days and whose owner has not been told of that deadline.
 * customer_owners.reminded_for records it, so a deadline is reminded of once, and again only once a
 * follow-up or a new owner moves it. Each owner's reminders are also left for the escalation
 * (escalation.ts) in one row of release_escalations.
 */
export async function remindDue(
  db: Db,
  { at, horizon, ids }: { at: Date; horizon: Date; ids: readonly string[] },
): Promise<number> {
  const [row] = await queryRows<{ done: number }>(
    db,
    sql`with due as (
          select o.customer_id from customer_owners o
          where o.customer_id = any(${intArraySql(ids)}) and o.release_at > ${at} and o.release_at <= ${horizon}
            and o.reminded_for is distinct from o.release_at
          for no key update of o skip locked
        ),
        marked as (
          update customer_owners o
          set reminded_for = o.release_at
          from due where o.customer_id = due.customer_id
          returning o.customer_id as id, o.name, o.consultant_id, o.release_at
        ),
        watched as (
          insert into release_escalations (consultant_id, reminded_at, customer_ids, release_ats, escalate_at)
          select consultant_id, ${at}, array_agg(id order by release_at, id), array_agg(release_at order by release_at, id),
                 ${at}::timestamptz + (min(release_at) - ${at}::timestamptz) / 2
          from marked group by consultant_id
        ),
        told as (${outboxInsert(ownerDigest('release_reminder', sql`marked`, 'releaseAt'), at)})
        select count(*)::int as done from marked`,
  );
  return row!.done;
}

/**
 * The owned customers `where` picks (a condition on customer_owners `o`), owner by owner, as one
 * comma-separated list per share of the owners (`consultant_id % shares`): read once, so that each
 * batch then finds its rows by primary key, and each owner's customers share a batch and so a
 * message. Asking customer_owners for the next 5,000 after a cursor instead made PostgreSQL sort
 * the whole remainder again for most batches. As text, not a row per customer: a row object per due
 * customer held up the event loop of the process running the sweep (a server answering requests)
 * several times longer than the text does (docs/benchmarks.md, "Releases as HOT updates, one
 * message per owner, the due list read once").
 */
export async function dueByOwner(
  db: Db,
  { where, shares }: { where: SQL; shares: number },
): Promise<string[][]> {
  const lists = await queryRows<{ ids: string }>(
    db,
    sql`select string_agg(o.customer_id::text, ',' order by o.consultant_id, o.release_at, o.customer_id) as ids
        from customer_owners o where ${where} group by o.consultant_id % ${shares}`,
  );
  return lists.map(({ ids }) => ids.split(','));
}

import { sql } from 'drizzle-orm';
import { type Executor, intArraySql, queryRows } from '../../../db/client.ts';
import type { ChannelCode } from '../channels/types.ts';
import type { NotificationEvent } from '../outbox.ts';
import type { Person, Verdict } from './rules.ts';

/*
 * The delivery worker's statements, each one short transaction of its own (never one around a
 * send): taking up what a dead instance left mid-send, claiming due rows (SKIP LOCKED, as the
 * import queue claims imports), renewing the claim, and recording each outcome under it. A record
 * that finds the claim gone changes nothing: the row is someone else's now.
 */

/** A claimed notification, as the worker sends it. */
export type ClaimedRow = {
  id: number;
  userId: number;
  channel: ChannelCode;
  event: NotificationEvent;
  payload: Record<string, unknown>;
  dedupeKey: string;
  attempts: number;
  /** Who it is for, with what each channel needs to reach them (null: nobody any more). */
  person: Person | null;
};

/** Why a row left mid-send is `unknown` / sent again, as its last error says. */
export const LOST_WORDS = {
  unknown:
    'the instance sending it stopped before the provider answered: it may or may not have arrived (retry it if it did not)',
  retried:
    'the instance sending it stopped before the provider answered; sent again under the same idempotency key',
  dead: 'the instance sending it stopped before the provider answered, at the last attempt allowed',
};

/**
 * Takes up the rows whose sender died mid-send (claim run out; all `sending` ones when `all`, on
 * the embedded database at start, which one process owns): that lost attempt is counted, and the
 * row is due again at once where its channel takes an idempotency key (`idempotent`), else
 * `unknown`, for a person to decide. `claimed_by` stays, saying who had it.
 */
export async function takeUpOrphans(
  db: Executor,
  values: { idempotent: ChannelCode[]; maxAttempts: number; at: Date; all?: boolean },
): Promise<{ id: number; channel: ChannelCode; status: string }[]> {
  const { maxAttempts, at } = values;
  const idempotent = sql`${textArray(values.idempotent)}::text[]`;
  return queryRows(
    db,
    sql`update notifications set
          status = case when not channel = any(${idempotent}) then 'unknown'
                        when attempts + 1 >= ${maxAttempts} then 'dead' else 'failed' end,
          last_error = case when not channel = any(${idempotent}) then ${LOST_WORDS.unknown}
                            when attempts + 1 >= ${maxAttempts} then ${LOST_WORDS.dead}
                            else ${LOST_WORDS.retried} end,
          next_attempt_at = case when channel = any(${idempotent}) then ${at}::timestamptz else next_attempt_at end,
          attempts = attempts + 1, claimed_until = null, updated_at = ${at}
        where status = 'sending' ${values.all ? sql`` : sql`and claimed_until < ${at}`}
        returning id, channel, status`,
  );
}

/** Channel codes (letters only) as one text[] literal. */
const textArray = (codes: ChannelCode[]) => `{${codes.join(',')}}`;

/**
 * Claims up to `limit` due rows for `instance` until `leaseUntil`: pending or failed ones whose
 * time has come, oldest first, each with its person, in one statement — so nothing stands between
 * the claim and the sends that could fail and leave a row claimed but never sent. SKIP LOCKED:
 * instances claiming at once take different rows.
 */
export async function claimDue(
  db: Executor,
  values: { instance: string; leaseUntil: Date; limit: number; at: Date },
): Promise<ClaimedRow[]> {
  const { instance, leaseUntil, limit, at } = values;
  const rows = await queryRows<Omit<ClaimedRow, 'person'> & Partial<Person>>(
    db,
    sql`with claimed as (
          update notifications n set status = 'sending', claimed_by = ${instance},
            claimed_until = ${leaseUntil}, updated_at = ${at}
          from (select id from notifications
                where status in ('pending', 'failed') and next_attempt_at <= ${at}
                order by next_attempt_at, id limit ${limit}
                for update skip locked) due
          where n.id = due.id
          returning n.id, n.user_id, n.channel, n.event, n.payload, n.dedupe_key, n.attempts)
        select c.id, c.user_id as "userId", c.channel, c.event, c.payload, c.dedupe_key as "dedupeKey",
               c.attempts, u.name, u.email, u.phone, u.wechat_openid as "wechatOpenid",
               u.dingtalk_user_id as "dingtalkUserId", u.active
        from claimed c left join users u on u.id = c.user_id
        order by c.id`,
  );
  return rows.map(({ name, email, phone, wechatOpenid, dingtalkUserId, active, ...row }) => ({
    ...row,
    person:
      active === undefined || active === null
        ? null
        : {
            userId: row.userId,
            name: name ?? '',
            email: email ?? null,
            phone: phone ?? null,
            wechatOpenid: wechatOpenid ?? null,
            dingtalkUserId: dingtalkUserId ?? null,
            active,
          },
  }));
}

/**
 * Skips, without claiming them one by one, up to `limit` due pending rows of channels that are not
 * configured on this instance, each with its channel's reason; how many. A school with no provider
 * set up (the demo, the first weeks) would otherwise spend a claim and an update per row on
 * nothing, beside every grab (docs/benchmarks.md). SKIP LOCKED: rows another instance holds are
 * its own to decide.
 */
export async function skipUnconfigured(
  db: Executor,
  values: { reasons: { channel: ChannelCode; reason: string }[]; at: Date; limit: number },
): Promise<number> {
  const { reasons, at, limit } = values;
  if (reasons.length === 0) return 0;
  const channels = reasons.map((r) => r.channel);
  const rows = await queryRows<{ id: number }>(
    db,
    // The rows first, in the due index's order, then each updated by its key: an update joined
    // straight to `id = any(array(…))` read the whole table.
    sql`with due as (
          select id, channel from notifications
          where status = 'pending' and next_attempt_at <= ${at} and channel = any(${textArray(channels)}::text[])
          order by next_attempt_at, id limit ${limit}
          for update skip locked
        )
        update notifications n set status = 'skipped', last_error = r.reason, updated_at = ${at}
        from due join jsonb_to_recordset(${JSON.stringify(reasons)}::jsonb) as r(channel text, reason text)
          on r.channel = due.channel
        where n.id = due.id
        returning n.id`,
  );
  return rows.length;
}

/**
 * Records that claimed rows are not sent at all, each with its reason, in one statement; they were
 * never tried, so no attempt. The ids still held by `instance`.
 */
export async function recordSkips(
  db: Executor,
  values: { skips: { id: number; reason: string }[]; instance: string; at: Date },
): Promise<Set<number>> {
  const { skips, instance, at } = values;
  if (skips.length === 0) return new Set();
  const rows = await queryRows<{ id: number }>(
    db,
    sql`update notifications n set status = 'skipped', last_error = s.reason, claimed_until = null, updated_at = ${at}
        from jsonb_to_recordset(${JSON.stringify(skips)}::jsonb) as s(id int, reason text)
        where n.id = any(${intArraySql(skips.map((skip) => skip.id))}) and n.id = s.id
          and n.claimed_by = ${instance} and n.status = 'sending'
        returning n.id`,
  );
  return new Set(rows.map((row) => row.id));
}

/** Extends the claim on `ids` still held by `instance`; how many it still holds. */
export async function renewClaims(
  db: Executor,
  values: { instance: string; ids: number[]; leaseUntil: Date; at: Date },
): Promise<number> {
  const renewed = await queryRows<{ id: number }>(
    db,
    sql`update notifications set claimed_until = ${values.leaseUntil}, updated_at = ${values.at}
        where id = any(${intArraySql(values.ids)}) and status = 'sending' and claimed_by = ${values.instance}
        returning id`,
  );
  return renewed.length;
}

/**
 * Records an attempt's verdict, counting it, on a row `instance` claimed: still sending, or taken
 * up meanwhile as lost (unknown, failed or dead) but not claimed again by anyone — what really
 * happened is better than a guess. False when the row is someone else's.
 */
export async function recordVerdict(
  db: Executor,
  values: { id: number; instance: string; verdict: Verdict; at: Date },
): Promise<boolean> {
  const { id, instance, verdict, at } = values;
  const set =
    verdict.status === 'sent'
      ? sql`status = 'sent', sent_at = ${at}, provider_message_id = ${verdict.providerMessageId}`
      : verdict.status === 'failed'
        ? sql`status = 'failed', last_error = ${verdict.error}, next_attempt_at = ${verdict.nextAttemptAt}`
        : sql`status = 'dead', last_error = ${verdict.error}`;
  const rows = await queryRows<{ id: number }>(
    db,
    sql`update notifications set ${set}, attempts = attempts + 1, claimed_until = null, updated_at = ${at}
        where id = ${id} and claimed_by = ${instance} and status in ('sending', 'unknown', 'failed', 'dead')
        returning id`,
  );
  return rows.length > 0;
}

/**
 * The retry of the delivery log: dead, unknown and failed rows among `ids` are due again now, their
 * attempts kept (a dead row gets one more). How many were.
 */
export async function retryNow(db: Executor, values: { ids: number[]; at: Date }): Promise<number> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`update notifications set status = 'pending', next_attempt_at = ${values.at},
          claimed_by = null, claimed_until = null, updated_at = ${values.at}
        where id = any(${intArraySql(values.ids)}) and status in ('dead', 'unknown', 'failed')
        returning id`,
  );
  return rows.length;
}

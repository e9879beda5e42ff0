import { and, desc, eq, gte, inArray, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import { Type } from 'typebox';
import type { Actor } from '../../auth/sessions.ts';
import { now } from '../../clock.ts';
import type { Executor } from '../../db/client.ts';
import { consultRecords, customers, customerDistributions as d } from '../../db/schema/index.ts';
import { instantText, jsonProperty } from '../../engine/list-json.ts';
import { lookups, type Named } from '../../engine/present.ts';
import { defineResource, type Item, type ListJson } from '../../engine/types.ts';
import { namedUserSql, presentCustomer } from '../customers/present.ts';
import { nameOrPhoneSql } from '../customers/search.ts';
import { periodCountSql } from './period-counts.ts';
import { distributionsResource } from './resource.ts';

const DAY_MS = 86_400_000;

/** Following first, then released or handed on, enrolled last (docs/spec.md §3 "My customers"). */
const statusRank = sql`case ${d.status} when 'following' then 0 when 'enrolled' then 2 else 1 end`;

type Summary = Record<string, unknown> & { id: number; consultantId: number | null };

/** A timestamp as a JSON detail carries it (text) or the driver gives it (Date): a Date. */
const asDate = (value: unknown): Date | null =>
  value === null || value === undefined ? null : value instanceof Date ? value : new Date(String(value));

/**
 * What a period shows beside its columns, read in the page's own statement (ResourceConfig
 * listDetails): its customer as the list summarises it, its consultant, and its consultant's last
 * follow-up within it. A page then costs the session and one statement, where it asked five.
 * Columns named in full: Drizzle leaves a column of a one-table select unqualified.
 */
const myCustomerDetails = {
  listCustomer: sql.raw(`(select json_build_object('id', c.id, 'name', c.name, 'phone', c.phone, 'qq', c.qq,
      'wechat', c.wechat, 'status', c.status, 'lastConsultAt', c.last_consult_at, 'releaseAt', c.release_at,
      'consultantId', c.consultant_id)
    from customers c where c.id = "customer_distributions"."customer_id")`),
  listConsultant: namedUserSql(sql.raw('"customer_distributions"."consultant_id"')),
  listLastFollowUp: sql.raw(`(select max(cr.at) from consult_records cr
    where cr.customer_id = "customer_distributions"."customer_id"
      and cr.consultant_id = "customer_distributions"."consultant_id"
      and cr.at >= "customer_distributions"."started_at"
      and ("customer_distributions"."ended_at" is null or cr.at <= "customer_distributions"."ended_at"))`),
};

/** The periods' customers, consultants and last follow-ups, from the rows' details or read for them. */
async function detailsOf(db: Executor, rows: Record<string, unknown>[]) {
  if (rows.every((row) => 'listCustomer' in row)) {
    return rows.map((row) => ({
      customer: row.listCustomer as Summary | null,
      consultant: (row.listConsultant as Named | null) ?? null,
      lastFollowUpAt: asDate(row.listLastFollowUp),
    }));
  }
  const ids = [...new Set(rows.map((r) => r.customerId as number))];
  const found = (
    ids.length ? await db.select().from(customers).where(inArray(customers.id, ids)) : []
  ) as Summary[];
  const consultantIds = [...new Set(rows.map((r) => r.consultantId as number))];
  const consultants = consultantIds.length ? await lookups.users(db, consultantIds) : [];
  const ownFollowUps = await lastFollowUps(
    db,
    rows.map((r) => r.id as number),
  );
  return rows.map((row) => ({
    customer: found.find((c) => c.id === row.customerId) ?? null,
    consultant: consultants.find((c) => c.id === row.consultantId) ?? null,
    lastFollowUpAt: ownFollowUps.get(row.id as number) ?? null,
  }));
}

/** A period's customer as its reader sees it at `at`, and the days its ownership has left. */
function customerOfPeriod(status: unknown, found: Summary | null, actor: Actor, at: number) {
  // Masked as the customers list masks it: a customer now someone else's shows its contacts so.
  const customer = found ? presentCustomer(found, actor, null, []) : null;
  const releaseAt = asDate(customer?.releaseAt);
  // Days left only while this period is the customer's live ownership.
  const live = status === 'following' && customer?.consultantId === actor.userId && releaseAt;
  return {
    customer: customer
      ? {
          id: customer.id,
          name: customer.name,
          phone: customer.phone,
          qq: customer.qq,
          wechat: customer.wechat,
          status: customer.status,
          lastConsultAt: asDate(customer.lastConsultAt),
          releaseAt,
        }
      : null,
    daysLeft: live ? Math.round(((releaseAt.getTime() - at) / DAY_MS) * 100) / 100 : null,
  };
}

async function present(db: Executor, rows: Record<string, unknown>[], actor: Actor): Promise<Item[]> {
  const details = await detailsOf(db, rows);
  const at = now().getTime();
  return rows.map(({ listCustomer: _c, listConsultant: _n, listLastFollowUp: _f, ...period }, i) => {
    const { customer: found, consultant, lastFollowUpAt } = details[i]!;
    const { customer, daysLeft } = customerOfPeriod(period.status, found, actor, at);
    return { ...(period as Item), consultant, customer, daysLeft, lastFollowUpAt };
  });
}

/**
 * Pages of my customers written as JSON by PostgreSQL (engine/list-json.ts): the customer, whose
 * contacts and days left depend on the reader and the time, added by customerOfPeriod as `present`
 * adds it.
 */
const myCustomersJson: ListJson = {
  details: [
    jsonProperty('consultant', myCustomerDetails.listConsultant),
    {
      keys: ['lastFollowUpAt'],
      text: sql`'"lastFollowUpAt":' || ${instantText(myCustomerDetails.listLastFollowUp)}`,
    },
  ],
  raw: { listCustomer: myCustomerDetails.listCustomer, status: d.status },
  finished: ['customer', 'daysLeft'],
  finish: (row, actor, at) =>
    customerOfPeriod(row.status, row.listCustomer as Summary | null, actor, at.getTime()),
};

/**
 * Each period's last follow-up by its own consultant, within the period: what "my last follow-up"
 * means on a customer that has since passed to someone else, whose follow-ups are theirs.
 */
async function lastFollowUps(db: Executor, periodIds: number[]): Promise<Map<number, Date>> {
  if (periodIds.length === 0) return new Map();
  const rows = await db
    .select({ id: d.id, at: sql<string>`max(${consultRecords.at})` })
    .from(d)
    .innerJoin(
      consultRecords,
      and(
        eq(consultRecords.customerId, d.customerId),
        eq(consultRecords.consultantId, d.consultantId),
        gte(consultRecords.at, d.startedAt),
        or(isNull(d.endedAt), lte(consultRecords.at, d.endedAt)),
      ),
    )
    .where(inArray(d.id, periodIds))
    .groupBy(d.id);
  return new Map(rows.map((r) => [r.id, new Date(r.at)]));
}

const CustomerSummary = Type.Union([
  Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    phone: Type.Union([Type.String(), Type.Null()]),
    qq: Type.Union([Type.String(), Type.Null()]),
    wechat: Type.Union([Type.String(), Type.Null()]),
    status: Type.String(),
    lastConsultAt: Type.Union([Type.Unsafe<Date>({ type: 'string', format: 'date-time' }), Type.Null()]),
    releaseAt: Type.Union([Type.Unsafe<Date>({ type: 'string', format: 'date-time' }), Type.Null()]),
  }),
  Type.Null(),
]);

/**
 * The list's first `limit` periods, one status group after another, each read newest first along
 * the consultant's index (consultant_id, started_at): no index holds "following first", for one
 * naming status would make every release write it (schema/sales.ts). A consultant with thousands
 * of periods had all of them read and sorted for page 1; this reads a few dozen.
 */
function firstByStatusGroup(where: SQL | undefined, limit: number): SQL {
  // Each group read newest first along the consultant's index, its status checked row by row.
  // The groups are named by status itself, not by the rank's CASE: PostgreSQL has statistics for
  // the one and guesses 0.5 % for the other, and from that guess it read and sorted every period of
  // the busiest consultant for page 1 (11 ms) instead of walking the index (1 ms).
  const group = (member: SQL) =>
    sql`(select ${d.id} from ${d} where ${and(where, member)}
         order by ${d.startedAt} desc, ${d.id} limit ${limit})`;
  // In rank order, each group in its own order: the first `limit` rows of the concatenation are
  // the list's, and PostgreSQL stops reading once it has them (most pages never reach "enrolled").
  const following = group(sql`${d.status} = 'following'`);
  const ended = group(sql`${d.status} not in ('following', 'enrolled')`);
  const enrolled = group(sql`${d.status} = 'enrolled'`);
  return sql`select ${sql.identifier('id')} from (${following} union all ${ended} union all ${enrolled}) ranked limit ${limit}`;
}

/** 我的客户: the caller's periods of ownership, whoever they are (a manager's own too). */
export const myCustomersResource = defineResource({
  ...distributionsResource,
  name: 'my-customers',
  title: '我的客户',
  titleEn: 'My customers',
  permissions: { list: 'my_customer.list' },
  scope: (actor) => eq(d.consultantId, actor.userId),
  // No named default sort: a client that sends none gets the status groups (a client echoing a
  // column sort back would lose them).
  defaultSort: '',
  defaultOrder: [sql`${statusRank}`, desc(d.startedAt)],
  defaultOrderIds: firstByStatusGroup,
  // Every period the caller has had: their counter (period-counts.ts).
  scopeCount: (actor) => periodCountSql(actor.userId),
  // Each status group walked along the consultant's index, whoever the consultant: with its limits
  // as parameters PostgreSQL planned every page again (0.5 ms of its 1 ms per request).
  planOnce: true,
  // The customer, by name or phone: a customer now someone else's shows its phone masked, and is
  // found by the whole number only.
  searchFields: ['customerId'],
  searchKeyword: (q, actor) =>
    sql`exists (select 1 from ${customers} where ${customers.id} = ${d.customerId} and ${nameOrPhoneSql(q, actor)})`,
  fields: distributionsResource.fields.filter((f) => f.key !== 'consultantId'),
  extra: {
    ...distributionsResource.extra,
    customer: CustomerSummary,
    daysLeft: Type.Union([Type.Number(), Type.Null()]),
    lastFollowUpAt: Type.Union([
      Type.Unsafe<Date>({
        type: 'string',
        format: 'date-time',
        description: "The caller's own last follow-up within this period (later owners' are theirs)",
      }),
      Type.Null(),
    ]),
  },
  present,
  listDetails: myCustomerDetails,
  listJson: myCustomersJson,
});

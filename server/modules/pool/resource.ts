import { and, type SQL, sql } from 'drizzle-orm';
import { Type } from 'typebox';
import type { Actor } from '../../auth/sessions.ts';
import { now } from '../../clock.ts';
import { poolChanges } from '../../db/changes.ts';
import { type Executor, queryRows } from '../../db/client.ts';
import { releasedReason } from '../../db/schema/enums.ts';
import { customers } from '../../db/schema/index.ts';
import { optionsOf } from '../../engine/fields.ts';
import type { Named } from '../../engine/present.ts';
import { defineResource, type FieldDef, type Item } from '../../engine/types.ts';
import { coursesJsonSql, namedUserSql, presentCustomer } from '../customers/present.ts';
import { customersResource } from '../customers/resource.ts';
import { customerKeywordSql } from '../customers/search.ts';
import { lastOwnerSql, publicAtSql, releasedReasonSql } from './predicates.ts';
import { savedRules, settingsRowSql } from './settings.ts';

/**
 * The public pool a consultant may grab from (docs/spec.md §3): public now, and not a customer the caller
 * owned last — unless the cooldown set in pool_settings has passed since it became public.
 */
export function poolScope(actor: Actor, at: Date | SQL = now()) {
  const cooldownOver = sql`${customers.releaseAt} <= ${at}::timestamptz - interval '24 hours' *
    (select previous_owner_cooldown_days from pool_settings limit 1)`;
  return and(publicAtSql(at), sql`(${lastOwnerSql} is distinct from ${actor.userId} or ${cooldownOver})`);
}

/**
 * The next instant a pool page changes with no write: a customer's deadline passing (it joins the
 * pool at the top), or, with a cooldown, a last owner's cooldown ending (it joins their pool).
 */
export function poolChangesAt(at: Date | SQL): SQL {
  const cooldown = sql`(interval '24 hours' * (select previous_owner_cooldown_days from pool_settings limit 1))`;
  return sql`least(
    (select min(release_at) from customers where status = 'unregistered' and release_at > ${at}::timestamptz),
    (select min(release_at) + ${cooldown} from customers
      where status = 'unregistered' and release_at > ${at}::timestamptz - ${cooldown}))`;
}

type PoolDetails = {
  id: number;
  consultant: Named | null;
  last_owner: Named | null;
  courses: Named[];
  reason: string;
};

/** A pool row's details as a page of the pool reads them beside its rows (ResourceConfig.listDetails). */
const poolListDetails = {
  // Columns named in full where a subquery has an "id" of its own: Drizzle leaves a column of a
  // one-table select unqualified. The rest resolve to the customer, as pool_settings has no such column.
  listConsultant: namedUserSql(sql.raw('"customers"."consultant_id"')),
  listLastOwner: namedUserSql(
    sql.raw('coalesce("customers"."consultant_id", "customers"."previous_consultant_id")'),
  ),
  listCourses: coursesJsonSql(sql.raw('"customers"."id"')),
  listReason: sql`(select ${releasedReasonSql(savedRules)} from (${settingsRowSql}) s)`,
};

/**
 * What a pool row shows beside its columns — the consultant's and the last owner's names, the
 * courses, why it is public: from the row when a page read them beside it (poolListDetails, so a
 * page costs the session and one statement), else in one query.
 */
async function presentPool(db: Executor, rows: Record<string, unknown>[], actor: Actor): Promise<Item[]> {
  if (rows.length === 0) return [];
  const details = rows.every((row) => 'listReason' in row)
    ? rows.map(
        (row): PoolDetails => ({
          id: row.id as number,
          consultant: row.listConsultant as Named | null,
          last_owner: row.listLastOwner as Named | null,
          courses: (row.listCourses as Named[] | null) ?? [],
          reason: row.listReason as string,
        }),
      )
    : await queryRows<PoolDetails>(
        db,
        sql`with s as (${settingsRowSql})
            select ${customers.id} as id, ${namedUserSql(customers.consultantId)} as consultant,
                   ${namedUserSql(lastOwnerSql)} as last_owner, ${coursesJsonSql(customers.id)} as courses,
                   ${releasedReasonSql(savedRules)} as reason
            from ${customers}, s
            where ${customers.id} = any(${sql.param(rows.map((r) => r.id))}::int[])`,
      );
  const byId = new Map(details.map((d) => [d.id, d]));
  return rows.map(({ listConsultant: _c, listLastOwner: _l, listCourses: _o, listReason: _r, ...row }) => {
    const detail = byId.get(row.id as number);
    return {
      ...presentCustomer(row, actor, detail?.consultant ?? null, detail?.courses ?? []),
      releasedReason: detail?.reason ?? 'unassigned',
      // When it became public: its release deadline, or when it was put in the pool unowned.
      publicSince: row.releaseAt,
      previousConsultantId: detail?.last_owner?.id ?? null,
      previousConsultant: detail?.last_owner ?? null,
    };
  });
}

type CustomerKey = (typeof customersResource.fields)[number]['key'];

const reused = <const K extends CustomerKey>(key: K): FieldDef & { key: K } => {
  const field = customersResource.fields.find((f): f is FieldDef & { key: K } => f.key === key);
  if (!field) throw new Error(`customers has no field ${key}`);
  return field;
};

export const poolResource = defineResource({
  name: 'pool',
  title: '公海',
  titleEn: 'Public pool',
  table: customers,
  id: customers.id,
  labelField: 'name',
  defaultSort: '-releaseAt',
  // The pool is a queue to work from, hundreds of thousands long at scale: "1,000+" is all a
  // consultant needs, and counting further would cost more than the page (the dashboard has the
  // exact size for managers).
  countCap: 1_000,
  // One plan for every consultant and instant: planned per run (its LIMIT a placeholder), each
  // page cost 0.55–0.7 ms of planning on top of 1.2–2.4 ms of execution while consultants grab;
  // the generic plan runs as fast (docs/benchmarks.md, issue 24's fifth part). A keyword's page is
  // still planned for its keyword.
  planOnce: 'without keyword',
  searchFields: ['name', 'phone', 'qq', 'wechat'],
  searchKeyword: (q, actor) => customerKeywordSql(q, actor, 'pool'),
  permissions: { list: 'pool.list' },
  scope: poolScope,
  // Every consultant's pool page is read again whenever anyone grabs (the page refreshes itself),
  // and far more often than the pool changes.
  listCache: { watch: poolChanges, until: poolChangesAt },
  fields: [
    ...(['id', 'name'] as const).map(reused),
    // Masked here for consultants (138****0001): sorted by them, a masked number would fall in line
    // between numbers the caller knows whole, and be bracketed.
    ...(['phone', 'qq', 'wechat'] as const).map((key) => ({ ...reused(key), sortable: false })),
    ...(['gender', 'source', 'classType', 'courseIds'] as const).map(reused),
    {
      key: 'releasedReason',
      title: '进入公海原因',
      titleEn: 'Why public',
      kind: 'enum',
      options: optionsOf(releasedReason.labels),
      readOnly: true,
      sortable: false,
    },
    {
      key: 'releaseAt',
      title: '进入公海时间',
      titleEn: 'Public since',
      kind: 'datetime',
      column: customers.releaseAt,
      readOnly: true,
      filter: 'range',
    },
    {
      key: 'previousConsultantId',
      display: 'previousConsultant',
      title: '原课程顾问',
      titleEn: 'Previous consultant',
      kind: 'ref',
      ref: 'users',
      refLabel: 'name',
      column: customers.previousConsultantId,
      readOnly: true,
      sortable: false,
    },
    reused('createdAt'),
  ],
  extra: {
    ...customersResource.extra,
    publicSince: Type.Unsafe<Date>({ type: 'string', format: 'date-time' }),
    previousConsultant: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]),
  },
  present: presentPool,
  listDetails: poolListDetails,
});

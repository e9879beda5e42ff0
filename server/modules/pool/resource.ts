import { and, sql } from 'drizzle-orm';
import { Type } from 'typebox';
import type { Actor } from '../../auth/sessions.ts';
import { now } from '../../clock.ts';
import type { Executor } from '../../db/client.ts';
import { releasedReason } from '../../db/schema/enums.ts';
import { customers } from '../../db/schema/index.ts';
import { optionsOf } from '../../engine/fields.ts';
import { lookups } from '../../engine/present.ts';
import type { FieldDef, Item, ResourceConfig } from '../../engine/types.ts';
import { customersResource, presentCustomers } from '../customers/resource.ts';
import { lastOwnerSql, publicAtSql } from './predicates.ts';
import { releaseDeadline } from './rules.ts';
import { loadPoolSettings } from './settings.ts';

/**
 * The public pool a consultant may grab from (SPEC §3): public now, and not a customer the caller
 * owned last — unless the cooldown set in pool_settings has passed since it became public.
 */
export function poolScope(actor: Actor) {
  const at = now();
  const cooldownOver = sql`${customers.releaseAt} <= ${at}::timestamptz - interval '24 hours' *
    (select previous_owner_cooldown_days from pool_settings limit 1)`;
  return and(publicAtSql(at), sql`(${lastOwnerSql} is distinct from ${actor.userId} or ${cooldownOver})`);
}

async function presentPool(db: Executor, rows: Record<string, unknown>[], actor: Actor): Promise<Item[]> {
  const [items, settings] = await Promise.all([presentCustomers(db, rows, actor), loadPoolSettings(db)]);
  const lastOwnerIds = [
    ...new Set(
      rows
        .map((r) => (r.consultantId ?? r.previousConsultantId) as number | null)
        .filter((id) => id !== null),
    ),
  ];
  const owners = lastOwnerIds.length ? await lookups.users(db, lastOwnerIds) : [];
  return items.map((item, i) => {
    const row = rows[i]!;
    const lastOwner = (row.consultantId ?? row.previousConsultantId) as number | null;
    const recvAt = (row.recvAt ?? row.lastConsultAt) as Date | null;
    const reason =
      row.consultantId === null
        ? ((row.releasedReason as string | null) ?? 'unassigned')
        : recvAt === null
          ? 'no_followup'
          : releaseDeadline({ recvAt, lastConsultAt: row.lastConsultAt as Date | null }, settings).reason;
    return {
      ...item,
      releasedReason: reason,
      // When it became public: its release deadline, or when it was put in the pool unowned.
      publicSince: row.releaseAt,
      previousConsultantId: lastOwner,
      previousConsultant: owners.find((o) => o.id === lastOwner) ?? null,
    };
  });
}

const reused = (key: string): FieldDef => {
  const field = customersResource.fields.find((f) => f.key === key);
  if (!field) throw new Error(`customers has no field ${key}`);
  return field;
};

export const poolResource: ResourceConfig = {
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
  searchFields: ['name', 'phone', 'qq', 'wechat'],
  searchGrams: customersResource.searchGrams,
  permissions: { list: 'pool.list' },
  scope: poolScope,
  fields: [
    ...['id', 'name', 'phone', 'qq', 'wechat', 'gender', 'source', 'classType', 'courseIds'].map(reused),
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
};

import { eq, sql } from 'drizzle-orm';
import { Type } from 'typebox';
import { businessDate, now } from '../../clock.ts';
import type { Executor } from '../../db/client.ts';
import { saleRanks as r, users } from '../../db/schema/index.ts';
import { idField } from '../../engine/fields.ts';
import { lookups, presentRefs, refField } from '../../engine/present.ts';
import { defineResource } from '../../engine/types.ts';
import { insertColumns, updateColumns } from '../../engine/writes.ts';
import { ownerRef, refuseUnlessMayOwn } from '../distributions/owners.ts';

/** 销售权重: who takes new customers, how many a day, in what proportion. */
export const saleRanksResource = defineResource({
  name: 'sale-ranks',
  title: '销售权重',
  titleEn: 'Sales weights',
  table: r,
  id: r.id,
  labelField: 'id',
  defaultSort: '-weight',
  searchFields: ['consultantId'],
  searchSql: (pattern) =>
    sql`exists (select 1 from ${users} u where u.id = ${r.consultantId} and (u.name ilike ${pattern} or u.username ilike ${pattern}))`,
  permissions: {
    list: 'sale_rank.list',
    create: 'sale_rank.update',
    update: 'sale_rank.update',
    delete: 'sale_rank.update',
  },
  fields: [
    idField(r.id),
    refField('consultantId', r.consultantId, ownerRef, { required: true, createOnly: true, filter: 'in' }),
    {
      key: 'weight',
      title: '权重',
      titleEn: 'Weight',
      kind: 'int',
      column: r.weight,
      required: true,
      min: 0,
      max: 1000,
    },
    {
      key: 'dailyQuota',
      title: '每日配额',
      titleEn: 'Daily quota',
      kind: 'int',
      column: r.dailyQuota,
      required: true,
      min: 0,
      max: 100_000,
    },
    { key: 'active', title: '启用', titleEn: 'Active', kind: 'bool', column: r.active, filter: 'bool' },
    {
      key: 'assignedToday',
      title: '今日已分配',
      titleEn: 'Assigned today',
      kind: 'int',
      column: r.assignedToday,
      readOnly: true,
    },
    {
      key: 'assignedOn',
      title: '分配日期',
      titleEn: 'Assigned on',
      kind: 'date',
      column: r.assignedOn,
      readOnly: true,
      list: false,
    },
  ],
  extra: { consultant: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]) },
  present: async (db, rows, _actor, school) => {
    const today = businessDate(now(), school.timezone);
    // A count from an earlier day is stale: the rotation starts each business day at zero.
    const fresh = rows.map((row) => ({
      ...row,
      assignedToday: String(row.assignedOn) === today ? row.assignedToday : 0,
    }));
    return presentRefs({ consultantId: ['consultant', lookups.users] })(db, fresh);
  },
  // New weights (or who takes part) apply from the next assignment: the rotation starts over.
  create: async (ctx, body) => {
    // The rotation gives customers only to those who may own them (it passes others by as well).
    await refuseUnlessMayOwn(ctx.tx, body.consultantId as number);
    const id = await insertColumns(ctx, saleRanksResource, body);
    await restartRotation(ctx.tx);
    return id;
  },
  update: async (ctx, id, body) => {
    await updateColumns(ctx, saleRanksResource, id, body);
    await restartRotation(ctx.tx);
  },
  remove: async (ctx, id) => {
    await ctx.tx.delete(r).where(eq(r.id, id));
    await restartRotation(ctx.tx);
  },
});

function restartRotation(tx: Executor) {
  return tx.execute(sql`update sale_ranks set current_weight = 0 where current_weight <> 0`);
}

import { and, eq, inArray } from 'drizzle-orm';
import type { Actor } from '../auth/sessions.ts';
import { now } from '../clock.ts';
import type { Db, Executor } from '../db/client.ts';
import { notFound } from '../http/errors.ts';
import { writeAudit } from './audit.ts';
import type { LoadOptions, Row } from './reads.ts';
import type { Body, Context, Item, ResourceConfig, School } from './types.ts';

type Load = (executor: Executor, actor: Actor, id: number, options?: LoadOptions) => Promise<Item>;

/** The body's column fields as the table's values (money as text, instants as Dates). */
export function columnValues(config: ResourceConfig, body: Body): Row {
  const values: Row = {};
  for (const field of config.fields) {
    if (!field.column || !(field.key in body)) continue;
    const value = body[field.key];
    if (value === null || value === undefined) values[field.key] = null;
    else if (field.kind === 'money') values[field.key] = String(value);
    else if (field.kind === 'datetime') values[field.key] = new Date(String(value));
    else values[field.key] = value;
  }
  return values;
}

/**
 * How a resource's records are written: each write in one transaction with its audit row, through
 * the config's hooks where it has them, else the body's column fields.
 */
export function resourceWrites(db: Db, config: ResourceConfig, school: School, load: Load) {
  const { table } = config;
  return {
    async create(actor: Actor, body: Body) {
      const at = now();
      return db.transaction(async (tx) => {
        const ctx: Context = { tx, actor, at, ...school };
        const id = config.create ? await config.create(ctx, body) : await insertColumns(ctx, config, body);
        // Whoever created it sees what they created, even when it went to someone else (a lead a
        // consultant entered that the rotation gave to a colleague); `present` still masks.
        const after = await load(tx, actor, id, { scoped: false });
        await writeAudit(tx, {
          actorId: actor.userId,
          action: 'create',
          entity: config.name,
          entityId: id,
          after,
          at,
        });
        return after;
      });
    },

    async update(actor: Actor, id: number, body: Body) {
      const at = now();
      return db.transaction(async (tx) => {
        const ctx: Context = { tx, actor, at, ...school };
        const before = await load(tx, actor, id, { lock: true });
        if (config.update) await config.update(ctx, id, body, before);
        else await updateColumns(ctx, config, id, body);
        const after = await load(tx, actor, id);
        await writeAudit(tx, {
          actorId: actor.userId,
          action: 'update',
          entity: config.name,
          entityId: id,
          before,
          after,
          at,
        });
        return after;
      });
    },

    async remove(actor: Actor, id: number) {
      const at = now();
      await db.transaction(async (tx) => {
        const ctx: Context = { tx, actor, at, ...school };
        const before = await load(tx, actor, id, { lock: true });
        if (config.remove) await config.remove(ctx, id, before);
        else await tx.delete(table).where(eq(config.id, id));
        await writeAudit(tx, {
          actorId: actor.userId,
          action: 'delete',
          entity: config.name,
          entityId: id,
          before,
          at,
        });
      });
      return { ok: true, id };
    },

    async act(actor: Actor, name: string, body: Body & { ids: number[] }) {
      const action = config.actions?.[name];
      if (!action) throw notFound();
      const at = now();
      return db.transaction(async (tx) => {
        // Only the ids in the caller's scope are touched; the rest are as good as missing.
        const allowed = (await tx
          .select({ id: config.id })
          .from(table)
          .where(and(inArray(config.id, body.ids), config.scope?.(actor, at)))
          .for('update')) as { id: number }[];
        if (allowed.length < body.ids.length)
          throw notFound('Some of the records were not found or are not yours');
        const { ids, ...params } = body;
        const affected = await action.run({ tx, actor, at, ...school }, ids, params);
        const logged = Object.fromEntries(
          Object.entries(params).filter(
            ([key]) => action.params?.find((p) => p.key === key)?.kind !== 'password',
          ),
        );
        await writeAudit(tx, {
          actorId: actor.userId,
          action: name,
          entity: config.name,
          entityId: null,
          after: { ids, ...logged },
          at,
        });
        return { ok: true, affected, ...(action.countsAs ? { [action.countsAs]: affected } : {}) };
      });
    },
  };
}

/** Inserts the body's column fields (and `extra`), stamped with the operation's time; returns the id. */
export async function insertColumns(
  ctx: Context,
  config: ResourceConfig,
  body: Body,
  extra: Row = {},
): Promise<number> {
  const [row] = (await ctx.tx
    .insert(config.table)
    .values({ ...columnValues(config, body), ...extra, createdAt: ctx.at, updatedAt: ctx.at })
    .returning({ id: config.id })) as { id: number }[];
  if (!row) throw new Error('insert returned nothing');
  return row.id;
}

/** Writes the body's column fields, if it has any (hooks handle the rest, such as links). */
export async function updateColumns(
  ctx: Context,
  config: ResourceConfig,
  id: number,
  body: Body,
): Promise<void> {
  const values = columnValues(config, body);
  if (Object.keys(values).length === 0) return;
  await ctx.tx
    .update(config.table)
    .set({ ...values, updatedAt: ctx.at })
    .where(eq(config.id, id));
}

import { and, eq, getTableColumns, inArray, type SQL, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../auth/gate.ts';
import type { Actor } from '../auth/sessions.ts';
import { now } from '../clock.ts';
import { counterSql } from '../db/changes.ts';
import type { Db, Executor } from '../db/client.ts';
import { badRequest, HttpError, notFound } from '../http/errors.ts';
import { errors } from '../http/schemas.ts';
import { writeAudit } from './audit.ts';
import { exportWorkbook, type Lang } from './export.ts';
import { actionBodySchema, createBodySchema, itemSchema, updateBodySchema } from './fields.ts';
import { type CacheStatus, ListCache, type ListRead, permissionsId } from './list-cache.ts';
import { type CanPick, describeResource } from './meta.ts';
import { LIST_COUNT_CAP, type ListQuery, listQuerySchema, orderOf, whereOf } from './query.ts';
import type { Body, Context, FieldDef, Item, ResourceConfig, School } from './types.ts';

type Row = Record<string, unknown>;
type ListPage = { items: Item[]; total: number; totalCapped: boolean; page: number; pageSize: number };

/** Fields' values of a row, nothing else: the default presentation (secrets have no field). */
function defaultPresent(config: ResourceConfig) {
  const keys = ['id', ...config.fields.filter((f) => f.column).map((f) => f.key)];
  return async (_db: Executor, rows: Row[]): Promise<Item[]> =>
    rows.map((row) => Object.fromEntries(keys.map((k) => [k, row[k] ?? null])) as Item);
}

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

/** `school`: whose days lists count in (their time zone), from the configuration. */
export function resourceService(db: Db, config: ResourceConfig, school: School) {
  const presentWith = config.present ?? defaultPresent(config);
  const present = (executor: Executor, rows: Row[], actor: Actor) =>
    presentWith(executor, rows, actor, school);
  const table = config.table as never;
  const listCache = new ListCache<ListPage>();

  async function load(
    executor: Executor,
    actor: Actor,
    id: number,
    lock = false,
    scoped = true,
  ): Promise<Item> {
    const where = and(eq(config.id, id), scoped ? config.scope?.(actor, now()) : undefined);
    const query = executor.select().from(table).where(where);
    const rows = (lock ? await query.for('update') : await query) as Row[];
    const [item] = await present(executor, rows, actor);
    if (!item) throw notFound();
    return item;
  }

  return {
    load,
    /** One record as `GET /api/<name>/:id` answers it: in the scope, or read beyond it where the config allows. */
    async read(actor: Actor, id: number): Promise<Item> {
      try {
        return await load(db, actor, id);
      } catch (error) {
        if (!(error instanceof HttpError && error.statusCode === 404) || !config.readOutsideScope)
          throw error;
        const item = await config.readOutsideScope(db, actor, id);
        if (!item) throw error;
        return item;
      }
    },
    /** The page of items a query selects, presented for the actor. */
    async rows(actor: Actor, where: SQL | undefined, order: SQL[], offset: number, limit: number) {
      const rows = (await db
        .select()
        .from(table)
        .where(where)
        .orderBy(...order)
        .limit(limit)
        .offset(offset)) as Row[];
      return present(db, rows, actor);
    },

    async count(where: SQL | undefined): Promise<number> {
      const [counted] = (await db.select({ total: sql<number>`count(*)::int` }).from(table).where(where)) as {
        total: number;
      }[];
      return counted?.total ?? 0;
    },

    /** The number of matches, counting no further than `cap + 1` (which says "more than cap"). */
    async countUpTo(where: SQL | undefined, cap: number): Promise<number> {
      const matches = db
        .select({ one: sql`1` })
        .from(table)
        .where(where)
        .limit(cap + 1)
        .as('matches');
      const [counted] = (await db.select({ total: sql<number>`count(*)::int` }).from(matches)) as {
        total: number;
      }[];
      return counted?.total ?? 0;
    },

    /** A page of the list, from the list cache when the resource has one (`told` says how). */
    async list(actor: Actor, query: ListQuery, told?: (status: CacheStatus) => void): Promise<ListPage> {
      const at = now();
      const seen = config.listCache ? actor.seen : undefined;
      if (!seen) return (await this.readList(actor, query, at)).value;
      const key = `${actor.userId}:${permissionsId(actor.permissions)}:${JSON.stringify(query)}`;
      const { value, status } = await listCache.load(key, seen, at, () => this.readList(actor, query, at));
      told?.(status);
      return value;
    },

    /**
     * A page and its total in one statement, with what a list cache needs to keep it. Counting a
     * million matches exactly costs more than the page; past the cap, "10,000+" is what a person
     * needs to know (narrow the search). A page that is not full ends the list, so it tells the
     * total itself.
     */
    async readList(actor: Actor, query: ListQuery, at: Date): Promise<{ value: ListPage; read: ListRead }> {
      const cache = config.listCache;
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 20;
      const offset = (page - 1) * pageSize;
      const order = orderOf(config, query.sort);
      const where = whereOf(config, query, config.scope?.(actor, at), school.timezone, actor);
      const cap = config.countCap ?? LIST_COUNT_CAP;
      const matches = db
        .select({ one: sql`1` })
        .from(table)
        .where(where)
        .limit(cap + 1)
        .getSQL();
      const found = (await db
        .select({
          ...getTableColumns(config.table),
          listMatches: sql<number>`(select count(*)::int from (${matches}) m)`,
          ...(cache ? { listCounter: counterSql(cache.watch), listUntil: cache.until(at) } : {}),
        })
        .from(table)
        .where(where)
        .orderBy(...order)
        .limit(pageSize)
        .offset(offset)) as (Row & {
        listMatches: number;
        listCounter?: string;
        listUntil?: string | null;
      })[];
      const rows = found.map(({ listMatches: _, listCounter: _c, listUntil: _u, ...row }) => row);
      const items = await present(db, rows, actor);
      // An empty page carries no counter to check against: it is simply not kept.
      const read = { at, counter: found[0]?.listCounter, until: found[0]?.listUntil ?? null };
      if (items.length < pageSize && (items.length > 0 || offset === 0)) {
        return { value: { items, total: offset + items.length, totalCapped: false, page, pageSize }, read };
      }
      const counted = found[0]?.listMatches ?? (await this.countUpTo(where, cap));
      const totalCapped = counted > cap;
      return { value: { items, total: totalCapped ? cap : counted, totalCapped, page, pageSize }, read };
    },

    async create(actor: Actor, body: Body) {
      const at = now();
      return db.transaction(async (tx) => {
        const ctx: Context = { tx, actor, at, ...school };
        const id = config.create ? await config.create(ctx, body) : await insertColumns(ctx, config, body);
        // Whoever created it sees what they created, even when it went to someone else (a lead a
        // consultant entered that the rotation gave to a colleague); `present` still masks.
        const after = await load(tx, actor, id, false, false);
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
        const before = await load(tx, actor, id, true);
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
        const before = await load(tx, actor, id, true);
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
          .where(and(inArray(config.id, body.ids), config.scope?.(actor, now())))
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
        return { ok: true, affected };
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
    .values({ ...columnValues(config, body), ...extra, createdAt: ctx.at, updatedAt: ctx.at } as never)
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
    .set({ ...values, updatedAt: ctx.at } as never)
    .where(eq(config.id, id));
}

/** The columns asked for (`columns=name,phone`), else the list's default columns. */
function exportColumns(config: ResourceConfig, asked: string | undefined): FieldDef[] {
  const exportable = config.fields.filter((f) => f.kind !== 'password');
  if (!asked) return exportable.filter((f) => f.list !== false);
  const keys = asked.split(',').filter(Boolean);
  const unknown = keys.filter((key) => !exportable.some((f) => f.key === key));
  if (unknown.length || keys.length === 0) {
    throw badRequest('validation', `columns: unknown ${unknown.join(', ').slice(0, 100)}`, [
      { field: 'columns', message: 'unknown column', code: 'unknown_field' },
    ]);
  }
  return keys.map((key) => exportable.find((f) => f.key === key)!);
}

/** RFC 9211's Cache-Status for a list answered from, or stored in, the list cache. */
const CACHE_STATUS: Record<CacheStatus, string> = {
  hit: 'banyan; hit',
  stored: 'banyan; fwd=miss; stored',
  miss: 'banyan; fwd=miss',
};

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });

/** GET/POST /api/<name>, GET/PATCH/DELETE /api/<name>/:id, actions and metadata, from one config. */
export function registerResource(
  app: FastifyInstance,
  db: Db,
  config: ResourceConfig,
  options: { timezone: string; canPick?: CanPick },
): void {
  const service = resourceService(db, config, options);
  const base = `/api/${config.name}`;
  const tags = [config.name];
  const item = itemSchema(config);
  const { permissions: p } = config;

  app.get(
    base,
    {
      config: { access: { permission: p.list }, watch: config.listCache?.watch },
      schema: {
        tags,
        summary: `List ${config.titleEn.toLowerCase()}`,
        querystring: listQuerySchema(config),
        response: {
          200: Type.Object({
            items: Type.Array(item),
            total: Type.Integer(),
            totalCapped: Type.Boolean({
              description: `true when more rows match than the list counts (${config.countCap ?? LIST_COUNT_CAP}): total is then that, a lower bound`,
            }),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request, reply) =>
      service.list(actorOf(request), request.query as ListQuery, (status) => {
        reply.header('cache-status', CACHE_STATUS[status]);
      }),
  );

  app.get(
    `${base}/export`,
    {
      config: { access: { permission: p.export ?? p.list } },
      schema: {
        tags,
        summary: `Export the filtered list as .xlsx`,
        querystring: listQuerySchema(config, {
          columns: Type.Optional(Type.String({ maxLength: 2000 })),
          lang: Type.Optional(Type.Union([Type.Literal('zh'), Type.Literal('en')])),
        }),
        response: errors(400, 401, 403),
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const query = request.query as ListQuery & { columns?: string; lang?: Lang };
      const columns = exportColumns(config, query.columns);
      const order = orderOf(config, query.sort);
      const where = whereOf(config, query, config.scope?.(actor, now()), options.timezone, actor);
      const total = await service.count(where);
      const stream = exportWorkbook({
        config,
        actor,
        columns,
        lang: query.lang ?? 'zh',
        timezone: options.timezone,
        total,
        page: (offset, limit) => service.rows(actor, where, order, offset, limit),
        onError: (error) => request.log.error({ err: error }, 'export failed midway'),
      });
      const { page: _page, pageSize: _pageSize, columns: _columns, lang: _lang, ...filters } = query;
      await writeAudit(db, {
        actorId: actor.userId,
        action: 'export',
        entity: config.name,
        entityId: null,
        after: { filters, rows: total },
        at: now(),
      });
      const stamp = now().toISOString().slice(0, 10);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename="${config.name}-${stamp}.xlsx"; filename*=UTF-8''${encodeURIComponent(`${config.title}-${stamp}.xlsx`)}`,
        )
        .send(stream);
    },
  );

  app.get(
    `/api/meta/${config.name}`,
    {
      config: { access: { permission: p.list } },
      schema: { tags: ['meta'], summary: `Describe ${config.name}`, response: errors(401, 403) },
    },
    async (request) => describeResource(config, actorOf(request), options.canPick),
  );

  app.get(
    `${base}/:id`,
    {
      config: { access: { permission: p.list } },
      schema: {
        tags,
        summary: `One of ${config.name}`,
        params: IdParams,
        response: { 200: item, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => service.read(actorOf(request), (request.params as { id: number }).id),
  );

  if (p.create) {
    app.post(
      base,
      {
        config: { access: { permission: p.create } },
        schema: {
          tags,
          summary: `Create`,
          body: createBodySchema(config),
          response: { 201: item, ...errors(400, 401, 403, 409) },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await service.create(actorOf(request), request.body as Body)),
    );
  }
  if (p.update) {
    app.patch(
      `${base}/:id`,
      {
        config: { access: { permission: p.update } },
        schema: {
          tags,
          summary: `Update`,
          params: IdParams,
          body: updateBodySchema(config),
          response: { 200: item, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        service.update(actorOf(request), (request.params as { id: number }).id, request.body as Body),
    );
  }
  if (p.delete) {
    app.delete(
      `${base}/:id`,
      {
        config: { access: { permission: p.delete } },
        schema: {
          tags,
          summary: `Delete`,
          params: IdParams,
          response: {
            200: Type.Object({ ok: Type.Boolean(), id: Type.Integer() }),
            ...errors(401, 403, 404, 409),
          },
        },
      },
      async (request) => service.remove(actorOf(request), (request.params as { id: number }).id),
    );
  }
  for (const [name, action] of Object.entries(config.actions ?? {})) {
    app.post(
      `${base}/actions/${name}`,
      {
        config: { access: { permission: action.permission } },
        schema: {
          tags,
          summary: action.titleEn,
          body: actionBodySchema(action.params),
          response: {
            200: Type.Object({ ok: Type.Boolean(), affected: Type.Integer() }),
            ...errors(400, 401, 403, 404, 409),
          },
        },
      },
      async (request) => service.act(actorOf(request), name, request.body as Body & { ids: number[] }),
    );
  }
}

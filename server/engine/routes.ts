import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../auth/gate.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { errors } from '../http/schemas.ts';
import { exportRoute } from './export.ts';
import { actionBodySchema, createBodySchema, itemSchema, updateBodySchema } from './fields.ts';
import type { CacheStatus } from './list-cache.ts';
import { type CanPick, describeResource } from './meta.ts';
import { LIST_COUNT_CAP, type ListQuery, listQuerySchema } from './query.ts';
import { resourceService } from './service.ts';
import type { Body, ResourceConfig } from './types.ts';

/** RFC 9211's Cache-Status for a list answered from, or stored in, the list cache. */
const CACHE_STATUS: Record<CacheStatus, string> = {
  hit: 'banyan; hit',
  stored: 'banyan; fwd=miss; stored',
  miss: 'banyan; fwd=miss',
};

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });

/**
 * What every module's routes are given: the database, the school's time zone, which records'
 * names the caller may pick (for the metadata's refs), and the settings (the signing secret,
 * PUBLIC_URL, the notification providers) for the few routes that need them.
 */
export type ModuleOptions = { db: Db; timezone: string; canPick?: CanPick; config: Config };

/** GET/POST /api/<name>, GET/PATCH/DELETE /api/<name>/:id, actions and metadata, from one config. */
export function registerResource(app: FastifyInstance, config: ResourceConfig, options: ModuleOptions): void {
  const { db } = options;
  const service = resourceService(db, config, { timezone: options.timezone });
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
    async (request, reply) => {
      const actor = actorOf(request);
      const query = request.query as ListQuery;
      // Written by PostgreSQL where the resource's pages are (list-json.ts): sent as it is.
      const text = await service.listText(actor, query);
      if (text !== null) return reply.type('application/json; charset=utf-8').send(text);
      return service.list(actor, query, (status) => {
        reply.header('cache-status', CACHE_STATUS[status]);
      });
    },
  );

  exportRoute(app, db, service, config, options.timezone);

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
            200: Type.Object({
              ok: Type.Boolean(),
              affected: Type.Integer(),
              ...(action.countsAs ? { [action.countsAs]: Type.Integer() } : {}),
            }),
            ...errors(400, 401, 403, 404, 409),
          },
        },
      },
      async (request) => service.act(actorOf(request), name, request.body as Body & { ids: number[] }),
    );
  }
}

import type { FastifyInstance } from 'fastify';
import { type TProperties, Type } from 'typebox';
import type { Access } from '../auth/gate.ts';
import { actorOf } from '../auth/gate.ts';
import type { Actor } from '../auth/sessions.ts';
import type { Db } from '../db/client.ts';
import { MAX_ID } from '../db/schema/columns.ts';
import { errors } from '../http/schemas.ts';
import { likePattern, MAX_PAGE_SIZE } from './query.ts';

/**
 * Names for pickers and labels (`GET /api/options/<what>`): the few words a form or a cell needs
 * to name a record of another resource, apart from that resource's list, whose permission opens
 * far more (a consultant entering a customer needs course names, not course administration).
 * Every options route takes the same query — `q` to search, `id=1,2` to name given ids (whatever
 * else the route filters on: a label must name what a record points at), `pageSize` — and
 * answers `{ items: [{ id, name, … }] }`.
 */
export type OptionItem = { id: number; name: string } & Record<string, unknown>;

export type OptionsSearch<Q> = {
  /** `%q%` for ILIKE, already escaped; `%%` matches everything. */
  pattern: string;
  /** The search words as typed (trimmed), for matches other than "contains". */
  q: string;
  pageSize: number;
  /** The route's own query parameters (beside q, id and pageSize). */
  query: Q;
  actor: Actor;
};

export type OptionsRoute<Q> = {
  /** The thing named, as in the path: `/api/options/<name>`. */
  name: string;
  tag: string;
  summary: string;
  /** Who may read these names; say why in a comment where the route is declared. */
  access: Access;
  /** Properties items carry beyond `id` and `name`. */
  item?: TProperties;
  /** Query parameters beyond `q`, `id` and `pageSize`. */
  query?: TProperties;
  /** The named records of these ids (already checked to be row ids), in any order. */
  byIds: (ids: number[], actor: Actor) => Promise<OptionItem[]>;
  /** Candidates for a picker: at most `pageSize`, in the order a person picks from. */
  search: (search: OptionsSearch<Q>) => Promise<OptionItem[]>;
};

const IdList = Type.String({ maxLength: 2000, pattern: '^\\d{1,10}(,\\d{1,10})*$' });

/** Registers `GET /api/options/<name>` with the query, the answer's schema and the access every options route has. */
export function registerOptions<Q extends Record<string, unknown>>(
  app: FastifyInstance,
  route: OptionsRoute<Q>,
): void {
  app.get(
    `/api/options/${route.name}`,
    {
      config: { access: route.access },
      schema: {
        tags: [route.tag],
        summary: route.summary,
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 100 })),
            id: Type.Optional(IdList),
            pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE })),
            ...route.query,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), ...route.item })),
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const {
        q,
        id,
        pageSize = 20,
        ...query
      } = request.query as {
        q?: string;
        id?: string;
        pageSize?: number;
      } & Q;
      if (id !== undefined) {
        const ids = [...new Set(id.split(',').map(Number))].filter((n) => n >= 1 && n <= MAX_ID);
        return { items: ids.length ? await route.byIds(ids, actor) : [] };
      }
      const words = q?.trim() ?? '';
      return {
        items: await route.search({
          pattern: likePattern(words),
          q: words,
          pageSize,
          query: query as unknown as Q,
          actor,
        }),
      };
    },
  );
}

/** A plugin's options for the routes above: the database, and the school's time zone for "today". */
export type OptionsPluginOptions = { db: Db; timezone: string };

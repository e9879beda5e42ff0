import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { and, asc, eq, ilike, inArray, or } from 'drizzle-orm';
import { Type } from 'typebox';
import type { Db } from '../../db/client.ts';
import { users } from '../../db/schema/index.ts';
import { MAX_ID } from '../../engine/fields.ts';
import { likePattern, MAX_PAGE_SIZE } from '../../engine/query.ts';
import { errors } from '../../http/schemas.ts';

/**
 * Staff names for pickers (`GET /api/options/users`): a manager choosing a consultant to filter by
 * or to hand customers to needs names, not the user administration that `user.list` opens. Anyone
 * signed in may read them; nothing else about a user is shown.
 */
export const userOptionRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/options/users',
    {
      config: { access: { signedIn: true } },
      schema: {
        tags: ['users'],
        summary: 'Staff names for pickers: search active staff (q), or name given ids (id=1,2)',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 100 })),
            id: Type.Optional(Type.String({ maxLength: 2000, pattern: '^\\d{1,10}(,\\d{1,10})*$' })),
            pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })) }),
          ...errors(400, 401),
        },
      },
    },
    async (request) => {
      const { q, id, pageSize = 20 } = request.query;
      const columns = { id: users.id, name: users.name };
      if (id) {
        const ids = id
          .split(',')
          .map(Number)
          .filter((n) => n <= MAX_ID);
        return {
          items: ids.length ? await db.select(columns).from(users).where(inArray(users.id, ids)) : [],
        };
      }
      const pattern = likePattern(q?.trim() ?? '');
      const items = await db
        .select(columns)
        .from(users)
        .where(and(eq(users.active, true), or(ilike(users.name, pattern), ilike(users.username, pattern))))
        .orderBy(asc(users.name), asc(users.id))
        .limit(pageSize);
      return { items };
    },
  );
};

import { and, asc, eq, ilike, inArray, or } from 'drizzle-orm';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../db/client.ts';
import { users } from '../../db/schema/index.ts';
import { registerOptions } from '../../engine/options.ts';
import { mayOwnSql } from '../distributions/owners.ts';

/**
 * Staff names for pickers (`GET /api/options/users`): a manager choosing a consultant to filter by
 * or to hand customers to needs names, not the user administration that `user.list` opens. Anyone
 * signed in may read them; nothing else about a user is shown.
 */
export const userOptionRoutes: FastifyPluginAsync<{ db: Db }> = async (app, { db }) => {
  const columns = { id: users.id, name: users.name };
  registerOptions<{ owners?: boolean }>(app, {
    name: 'users',
    tag: 'users',
    summary: 'Staff names for pickers: search active staff (q), or name given ids (id=1,2)',
    access: { signedIn: true },
    query: {
      owners: Type.Optional(
        Type.Boolean({ description: 'only staff who may own customers (a consultant to give them to)' }),
      ),
    },
    byIds: (ids) => db.select(columns).from(users).where(inArray(users.id, ids)),
    search: ({ pattern, pageSize, query }) =>
      db
        .select(columns)
        .from(users)
        .where(
          and(
            eq(users.active, true),
            or(ilike(users.name, pattern), ilike(users.username, pattern)),
            query.owners ? mayOwnSql(users.id) : undefined,
          ),
        )
        .orderBy(asc(users.name), asc(users.id))
        .limit(pageSize),
  });
};

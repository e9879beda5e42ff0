import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../auth/gate.ts';
import type { Db } from '../../db/client.ts';
import { errors } from '../../http/schemas.ts';
import { customerTimeline, type TimelineEvent } from './timeline.ts';

const Event = Type.Object({
  at: Type.Unsafe<Date>({ type: 'string', format: 'date-time' }),
  kind: Type.Unsafe<TimelineEvent['kind']>({
    type: 'string',
    enum: ['ownership_started', 'ownership_ended', 'follow_up', 'payment', 'change'],
  }),
  user: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown()),
});

export const customerRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/customers/:id/timeline',
    {
      config: { access: { permission: 'customer.list' } },
      schema: {
        tags: ['customers'],
        summary: "A customer's owners, follow-ups, payments and edits, newest first",
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) }),
        response: { 200: Type.Object({ items: Type.Array(Event) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => ({ items: await customerTimeline(db, actorOf(request), request.params.id) }),
  );
};

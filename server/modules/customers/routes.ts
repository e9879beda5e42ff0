import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../auth/gate.ts';
import type { Db } from '../../db/client.ts';
import { studentClassStatus } from '../../db/schema/enums.ts';
import { Enumerated, errors } from '../../http/schemas.ts';
import { studentOfCustomer } from './student.ts';
import { customerTimeline, TimelineEventSchema as Event } from './timeline.ts';

const Params = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });

export const customerRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/customers/:id/timeline',
    {
      config: { access: { permission: 'customer.list' } },
      schema: {
        tags: ['customers'],
        summary: "A customer's owners, follow-ups, payments and edits, newest first",
        description:
          'A former owner (the customer was theirs once) reads only their own part: their periods, follow-ups, the payments they signed and their edits, contacts masked.',
        params: Params,
        response: { 200: Type.Object({ items: Type.Array(Event) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => ({ items: await customerTimeline(db, actorOf(request), request.params.id) }),
  );

  app.get(
    '/api/customers/:id/student',
    {
      config: { access: { permission: 'customer.list' } },
      schema: {
        tags: ['customers'],
        summary: 'The student the customer became, with their classes; null before the first payment',
        params: Params,
        response: {
          200: Type.Object({
            student: Type.Union([
              Type.Object({
                id: Type.Integer(),
                classes: Type.Array(
                  Type.Object({
                    id: Type.Integer(),
                    name: Type.String(),
                    nameEn: Type.String(),
                    status: Enumerated(studentClassStatus.codes),
                  }),
                ),
              }),
              Type.Null(),
            ]),
          }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => ({ student: await studentOfCustomer(db, actorOf(request), request.params.id) }),
  );
};

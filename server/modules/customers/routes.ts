import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../auth/gate.ts';
import { type ModuleOptions, registerResource } from '../../engine/routes.ts';
import { errors } from '../../http/schemas.ts';
import { StudentClass } from '../students/resource.ts';
import { customersResource } from './resource.ts';
import { studentOfCustomer } from './student.ts';
import { customerTimeline, TimelineEventSchema as Event } from './timeline.ts';

const Params = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });

/**
 * Customers (客户).
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   GET /api/customers/:id/timeline       timeline  timeline.ts#customerTimeline
 *   GET /api/customers/:id/student        student   student.ts#studentOfCustomer
 *   GET /api/customers                    list      engine/reads.ts
 *   GET /api/customers/export             export    engine/export.ts
 *   GET /api/meta/customers               describe  engine/meta.ts
 *   GET /api/customers/:id                read      engine/reads.ts, former-owner.ts#readAsFormerOwner
 *   POST /api/customers                   create    engine/writes.ts, intake.ts#createCustomer
 *   PATCH /api/customers/:id              update    engine/writes.ts, resource.ts#update
 *   DELETE /api/customers/:id             delete    engine/writes.ts
 *   POST /api/customers/actions/reassign  action    engine/writes.ts#act, ../distributions/reassign.ts#reassignAction
 */
export const customerRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, options) => {
  const { db } = options;
  registerResource(app, customersResource, options);
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
                classes: Type.Array(StudentClass),
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

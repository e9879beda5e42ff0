import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../auth/gate.ts';
import { customerStatus, payType } from '../../db/schema/enums.ts';
import { type ModuleOptions, registerResource } from '../../engine/routes.ts';
import { errors } from '../../http/schemas.ts';
import { recordPayment } from './enrol.ts';
import { paymentRecordsResource } from './resource.ts';
import type { PayType } from './rules.ts';

const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
const Money = Type.String({ pattern: '^\\d{1,10}(\\.\\d{1,2})?$', description: 'CNY, e.g. "12800.00"' });

/**
 * Payments (缴费记录) and enrolment.
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   POST   /api/payments                         record    enrol.ts#recordPayment
 *   GET    /api/payment-records                  list      engine/reads.ts
 *   GET    /api/payment-records/export           export    engine/export.ts
 *   GET    /api/meta/payment-records             describe  engine/meta.ts
 *   GET    /api/payment-records/:id              read      engine/reads.ts
 *   POST   /api/payment-records/actions/confirm  action    engine/writes.ts#act, resource.ts#confirm
 */
export const paymentRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, options) => {
  const { db, timezone } = options;
  registerResource(app, paymentRecordsResource, options);
  app.post(
    '/api/payments',
    {
      config: { access: { permission: 'payment_record.create' } },
      schema: {
        tags: ['payments'],
        summary: 'Record a payment; a deposit or tuition enrols the customer in the class',
        description:
          'A deposit, tuition or transfer puts the student in the class, which must not have graduated ' +
          '(409 class_closed), unless the student is in it already; a transfer, withdrawal or refund needs ' +
          'an enrolled customer (409 not_enrolled).',
        body: Type.Object(
          {
            customerId: Id,
            classId: Id,
            payType: Type.Unsafe<PayType>({
              type: 'string',
              enum: [...payType.codes],
            }),
            paidFee: Money,
            quote: Type.Optional(Type.Union([Money, Type.Null()])),
            turnover: Type.Optional(Type.Union([Money, Type.Null()])),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
            paidAt: Type.Optional(Type.String({ format: 'date-time' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            payment: Type.Record(Type.String(), Type.Unknown()),
            enrolled: Type.Boolean({ description: 'whether the customer is enrolled now' }),
            enrolledNow: Type.Boolean({ description: 'whether this payment is what enrolled them' }),
            customer: Type.Object({
              id: Type.Integer(),
              name: Type.String(),
              status: Type.Unsafe<string>({ type: 'string', enum: customerStatus.codes }),
            }),
            class: Type.Object({ id: Type.Integer(), name: Type.String(), nameEn: Type.String() }),
            student: Type.Object({ id: Type.Integer(), name: Type.String() }),
            studentId: Type.Integer(),
            classes: Type.Array(Type.Object({ classId: Type.Integer(), status: Type.String() })),
          }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => recordPayment(db, actorOf(request), request.body, { timezone }),
  );
};

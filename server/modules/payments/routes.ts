import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../auth/gate.ts';
import type { Db } from '../../db/client.ts';
import { payType } from '../../db/schema/enums.ts';
import { errors } from '../../http/schemas.ts';
import { recordPayment } from './enrol.ts';

const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
const Money = Type.String({ pattern: '^\\d{1,10}(\\.\\d{1,2})?$', description: 'CNY, e.g. "12800.00"' });

export const paymentRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.post(
    '/api/payments',
    {
      config: { access: { permission: 'payment_record.create' } },
      schema: {
        tags: ['payments'],
        summary: 'Record a payment; a deposit or tuition enrols the customer in the class',
        body: Type.Object(
          {
            customerId: Id,
            classId: Id,
            payType: Type.Unsafe<'deposit' | 'tuition' | 'transfer' | 'withdraw' | 'refund'>({
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
            studentId: Type.Integer(),
            classes: Type.Array(Type.Object({ classId: Type.Integer(), status: Type.String() })),
          }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => recordPayment(db, actorOf(request), request.body),
  );
};

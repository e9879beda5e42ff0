import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../auth/gate.ts';
import { customerStatus, studentClassStatus } from '../../db/schema/enums.ts';
import { itemSchemaWith } from '../../engine/fields.ts';
import { type ModuleOptions, registerResource } from '../../engine/routes.ts';
import { Enumerated, errors, Instant } from '../../http/schemas.ts';
import { recordPayment } from './enrol.ts';
import { paymentRecordsResource } from './resource.ts';
import { PaymentBody } from './schemas.ts';

// The row written, as the payments list shows it, and the two stamps a new record carries.
const PaymentRecord = itemSchemaWith(paymentRecordsResource, { createdAt: Instant, updatedAt: Instant });

/**
 * Payments (缴费记录) and enrolment.
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   POST /api/payments                         record    enrol.ts#recordPayment
 *   GET /api/payment-records                   list      engine/reads.ts
 *   GET /api/payment-records/export            export    engine/export.ts
 *   GET /api/meta/payment-records              describe  engine/meta.ts
 *   GET /api/payment-records/:id               read      engine/reads.ts
 *   POST /api/payment-records/actions/confirm  action    engine/writes.ts#act, resource.ts#confirm
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
        body: PaymentBody,
        response: {
          200: Type.Object({
            payment: PaymentRecord,
            enrolled: Type.Boolean({ description: 'whether the customer is enrolled now' }),
            enrolledNow: Type.Boolean({ description: 'whether this payment is what enrolled them' }),
            customer: Type.Object({
              id: Type.Integer(),
              name: Type.String(),
              status: Enumerated(customerStatus.codes),
            }),
            class: Type.Object({ id: Type.Integer(), name: Type.String(), nameEn: Type.String() }),
            student: Type.Object({ id: Type.Integer(), name: Type.String() }),
            studentId: Type.Integer(),
            classes: Type.Array(
              Type.Object({ classId: Type.Integer(), status: Enumerated(studentClassStatus.codes) }),
            ),
          }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => recordPayment(db, actorOf(request), request.body, { timezone }),
  );
};

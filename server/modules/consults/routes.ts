import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../auth/gate.ts';
import { consultChannel } from '../../db/schema/enums.ts';
import { itemSchemaWith } from '../../engine/fields.ts';
import { type ModuleOptions, registerResource } from '../../engine/routes.ts';
import { Enumerated, errors, Instant } from '../../http/schemas.ts';
import { addFollowUp } from './follow-up.ts';
import { consultRecordsResource } from './resource.ts';

// The row written, as the follow-ups list shows it, and the two stamps a new record carries.
const ConsultRecord = itemSchemaWith(consultRecordsResource, { createdAt: Instant, updatedAt: Instant });

/**
 * Follow-ups (跟进记录).
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   POST /api/customers/:id/consult-records  follow-up  follow-up.ts#addFollowUp
 *   GET /api/consult-records                 list       engine/reads.ts
 *   GET /api/consult-records/export          export     engine/export.ts
 *   GET /api/meta/consult-records            describe   engine/meta.ts
 *   GET /api/consult-records/:id             read       engine/reads.ts
 */
export const consultRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, options) => {
  const { db } = options;
  registerResource(app, consultRecordsResource, options);
  app.post(
    '/api/customers/:id/consult-records',
    {
      config: { access: { permission: 'consult_record.create' } },
      schema: {
        tags: ['consult-records'],
        summary: "A follow-up (跟进); the owner's restarts the release clock",
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) }),
        body: Type.Object(
          {
            note: Type.String({ minLength: 1, maxLength: 5000, pattern: '\\S' }),
            channel: Type.Optional(Enumerated(consultChannel.codes, { default: 'phone' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            record: ConsultRecord,
            clockMoved: Type.Boolean(),
            releaseAt: Type.Union([Instant, Type.Null()]),
          }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) =>
      addFollowUp(db, actorOf(request), request.params.id, {
        note: request.body.note,
        channel: request.body.channel ?? 'phone',
      }),
  );
};

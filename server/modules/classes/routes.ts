import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../auth/gate.ts';
import { type ModuleOptions, registerResource } from '../../engine/routes.ts';
import { errors } from '../../http/schemas.ts';
import { classOptionRoutes } from './options.ts';
import { classesResource } from './resource.ts';
import { ClassStatsSchema, classStats } from './stats.ts';

/**
 * Classes (班级).
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   GET /api/options/classes    names     options.ts#classOptionRoutes
 *   GET /api/classes/:id/stats  stats     stats.ts#classStats
 *   GET /api/classes            list      engine/reads.ts
 *   GET /api/classes/export     export    engine/export.ts
 *   GET /api/meta/classes       describe  engine/meta.ts
 *   GET /api/classes/:id        read      engine/reads.ts
 *   POST /api/classes           create    engine/writes.ts, resource.ts#create
 *   PATCH /api/classes/:id      update    engine/writes.ts, resource.ts#update
 *   DELETE /api/classes/:id     delete    engine/writes.ts
 */
export const classRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, options) => {
  const { db } = options;
  registerResource(app, classesResource, options);
  await app.register(classOptionRoutes, options);
  app.get(
    '/api/classes/:id/stats',
    {
      config: { access: { permission: 'class.list' } },
      schema: {
        tags: ['classes'],
        summary: "A class's students and, lesson by lesson, its attendance and average score",
        description:
          'Attendance rates count 已签到, 迟到 and 早退 over study records, only for lessons with anything marked; averages are over grades (scores ≥ 0) only, never N/A, COPY or FAIL.',
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) }),
        response: { 200: ClassStatsSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => classStats(db, { actor: actorOf(request), classId: request.params.id }),
  );
};

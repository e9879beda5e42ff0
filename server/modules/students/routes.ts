import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../auth/gate.ts';
import { type ModuleOptions, registerResource } from '../../engine/routes.ts';
import { errors } from '../../http/schemas.ts';
import { studentsResource } from './resource.ts';
import { ScoreChartSchema, scoreChart } from './score-chart.ts';

const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });

/**
 * Students (学员).
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   GET /api/students/:id/score-chart  chart     score-chart.ts#scoreChart
 *   GET /api/students                  list      engine/reads.ts
 *   GET /api/students/export           export    engine/export.ts
 *   GET /api/meta/students             describe  engine/meta.ts
 *   GET /api/students/:id              read      engine/reads.ts
 *   PATCH /api/students/:id            update    engine/writes.ts
 */
export const studentRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, options) => {
  const { db } = options;
  registerResource(app, studentsResource, options);
  app.get(
    '/api/students/:id/score-chart',
    {
      config: { access: { permission: 'student.list' } },
      schema: {
        tags: ['students'],
        summary: "A student's scores and attendance in one of their classes, lesson by lesson",
        description:
          "classId: one of the student's classes the caller teaches or tutors (or any, with class.view_all); by default the one that started last. Anything else answers 404.",
        params: Type.Object({ id: Id }),
        querystring: Type.Object({ classId: Type.Optional(Id) }, { additionalProperties: false }),
        response: { 200: ScoreChartSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) =>
      scoreChart(db, {
        actor: actorOf(request),
        studentId: request.params.id,
        classId: request.query.classId,
      }),
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../auth/gate.ts';
import { scores } from '../../db/schema/enums.ts';
import { type ModuleOptions, registerResource } from '../../engine/routes.ts';
import { errors } from '../../http/schemas.ts';
import { loadTeachingSettings, saveTeachingSettings } from './absence.ts';
import { lessonsResource, studyRecordsResource } from './resource.ts';
import { MAX_SCORE_ROWS, type ScoreValue, saveScores } from './scores.ts';

const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });

const ScoreSheet = Type.Object(
  {
    scores: Type.Array(
      Type.Object(
        {
          studyRecordId: Id,
          score: Type.Unsafe<ScoreValue>({
            type: 'integer',
            enum: scores.map((s) => s.value),
            description: scores.map((s) => `${s.value} ${s.label}`).join(', '),
          }),
          homeworkNote: Type.String({ maxLength: 500 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: MAX_SCORE_ROWS },
    ),
  },
  { additionalProperties: false },
);

const TeachingSettings = Type.Object(
  {
    absenceStreakLessons: Type.Integer({
      minimum: 1,
      maximum: 50,
      description: 'Lessons of a class in a row a student must miss (缺勤) to be an absence alert',
    }),
  },
  { additionalProperties: false },
);

/**
 * Lessons (课程记录) and study records (学习记录), and the teaching rules (absence alerts).
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   GET /api/course-records                              list      engine/reads.ts
 *   GET /api/course-records/export                       export    engine/export.ts
 *   GET /api/meta/course-records                         describe  engine/meta.ts
 *   GET /api/course-records/:id                          read      engine/reads.ts
 *   POST /api/course-records                             create    engine/writes.ts, resource.ts#create
 *   PATCH /api/course-records/:id                        update    engine/writes.ts
 *   DELETE /api/course-records/:id                       delete    engine/writes.ts
 *   POST /api/course-records/actions/init-study-records  action    engine/writes.ts#act, service.ts#initialiseStudyRecords
 *   PUT /api/course-records/:id/scores                   scores    scores.ts#saveScores
 *   GET /api/study-records                               list      engine/reads.ts
 *   GET /api/study-records/export                        export    engine/export.ts
 *   GET /api/meta/study-records                          describe  engine/meta.ts
 *   GET /api/study-records/:id                           read      engine/reads.ts
 *   PATCH /api/study-records/:id                         update    engine/writes.ts
 *   POST /api/study-records/actions/mark-checked         action    engine/writes.ts#act, resource.ts#attendanceEnum
 *   POST /api/study-records/actions/mark-vacate          action    engine/writes.ts#act, resource.ts#attendanceEnum
 *   POST /api/study-records/actions/mark-late            action    engine/writes.ts#act, resource.ts#attendanceEnum
 *   POST /api/study-records/actions/mark-noshow          action    engine/writes.ts#act, resource.ts#attendanceEnum
 *   POST /api/study-records/actions/mark-leave-early     action    engine/writes.ts#act, resource.ts#attendanceEnum
 *   GET /api/settings/teaching                           settings  absence.ts#loadTeachingSettings
 *   PUT /api/settings/teaching                           save      absence.ts#saveTeachingSettings
 */
export const lessonRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, options) => {
  const { db } = options;
  registerResource(app, lessonsResource, options);
  registerResource(app, studyRecordsResource, options);
  app.put(
    '/api/course-records/:id/scores',
    {
      config: { access: { permission: 'study_record.update' } },
      schema: {
        tags: ['course-records'],
        summary: "The lesson's score sheet, saved at once: each student's grade and homework note",
        params: Type.Object({ id: Id }),
        body: ScoreSheet,
        response: { 200: Type.Object({ saved: Type.Integer() }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) =>
      saveScores(db, { actor: actorOf(request), lessonId: request.params.id, rows: request.body.scores }),
  );

  app.get(
    '/api/settings/teaching',
    {
      config: { access: { permission: 'settings.pool' } },
      schema: {
        tags: ['course-records'],
        summary: 'The teaching rules: how many lessons missed in a row make an absence alert',
        response: { 200: TeachingSettings, ...errors(401, 403) },
      },
    },
    async () => loadTeachingSettings(db),
  );

  app.put(
    '/api/settings/teaching',
    {
      config: { access: { permission: 'settings.pool_update' } },
      schema: {
        tags: ['course-records'],
        summary: 'Change the teaching rules; absence alerts follow at once',
        body: TeachingSettings,
        response: { 200: Type.Object({ settings: TeachingSettings }), ...errors(400, 401, 403) },
      },
    },
    async (request) => saveTeachingSettings(db, actorOf(request), request.body),
  );
};

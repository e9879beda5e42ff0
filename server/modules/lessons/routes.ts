import type { FastifyPluginAsync } from 'fastify';
import { type ModuleOptions, registerResource } from '../../engine/routes.ts';
import { lessonsResource, studyRecordsResource } from './resource.ts';

/**
 * Lessons (课程记录) and study records (学习记录).
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
 */
export const lessonRoutes: FastifyPluginAsync<ModuleOptions> = async (app, options) => {
  registerResource(app, lessonsResource, options);
  registerResource(app, studyRecordsResource, options);
};

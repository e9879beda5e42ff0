import type { FastifyPluginAsync } from 'fastify';
import { type ModuleOptions, registerResource } from '../../engine/routes.ts';
import { studentsResource } from './resource.ts';

/**
 * Students (学员).
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   GET /api/students         list      engine/reads.ts
 *   GET /api/students/export  export    engine/export.ts
 *   GET /api/meta/students    describe  engine/meta.ts
 *   GET /api/students/:id     read      engine/reads.ts
 *   PATCH /api/students/:id   update    engine/writes.ts
 */
export const studentRoutes: FastifyPluginAsync<ModuleOptions> = async (app, options) => {
  registerResource(app, studentsResource, options);
};

import type { FastifyPluginAsync } from 'fastify';
import { type ModuleOptions, registerResource } from '../../engine/routes.ts';
import { courseOptionRoutes } from './options.ts';
import { coursesResource } from './resource.ts';

/**
 * Courses (课程).
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   GET /api/options/courses  names     options.ts#courseOptionRoutes
 *   GET /api/courses          list      engine/reads.ts
 *   GET /api/courses/export   export    engine/export.ts
 *   GET /api/meta/courses     describe  engine/meta.ts
 *   GET /api/courses/:id      read      engine/reads.ts
 *   POST /api/courses         create    engine/writes.ts
 *   PATCH /api/courses/:id    update    engine/writes.ts
 *   DELETE /api/courses/:id   delete    engine/writes.ts
 */
export const courseRoutes: FastifyPluginAsync<ModuleOptions> = async (app, options) => {
  registerResource(app, coursesResource, options);
  await app.register(courseOptionRoutes, options);
};

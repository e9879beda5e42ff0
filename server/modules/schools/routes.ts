import type { FastifyPluginAsync } from 'fastify';
import { type ModuleOptions, registerResource } from '../../engine/routes.ts';
import { schoolsResource } from './resource.ts';

/**
 * Schools (校区).
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   GET /api/schools         list      engine/reads.ts
 *   GET /api/schools/export  export    engine/export.ts
 *   GET /api/meta/schools    describe  engine/meta.ts
 *   GET /api/schools/:id     read      engine/reads.ts
 *   POST /api/schools        create    engine/writes.ts
 *   PATCH /api/schools/:id   update    engine/writes.ts
 *   DELETE /api/schools/:id  delete    engine/writes.ts
 */
export const schoolRoutes: FastifyPluginAsync<ModuleOptions> = async (app, options) => {
  registerResource(app, schoolsResource, options);
};

import type { FastifyPluginAsync } from 'fastify';
import { type ModuleOptions, registerResource } from '../../engine/routes.ts';
import { classOptionRoutes } from './options.ts';
import { classesResource } from './resource.ts';

/**
 * Classes (班级).
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   GET /api/options/classes  names     options.ts#classOptionRoutes
 *   GET /api/classes          list      engine/reads.ts
 *   GET /api/classes/export   export    engine/export.ts
 *   GET /api/meta/classes     describe  engine/meta.ts
 *   GET /api/classes/:id      read      engine/reads.ts
 *   POST /api/classes         create    engine/writes.ts, resource.ts#create
 *   PATCH /api/classes/:id    update    engine/writes.ts, resource.ts#update
 *   DELETE /api/classes/:id   delete    engine/writes.ts
 */
export const classRoutes: FastifyPluginAsync<ModuleOptions> = async (app, options) => {
  registerResource(app, classesResource, options);
  await app.register(classOptionRoutes, options);
};

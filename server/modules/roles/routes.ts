import type { FastifyPluginAsync } from 'fastify';
import { type ModuleOptions, registerResource } from '../../engine/routes.ts';
import { rolesResource } from './resource.ts';

/**
 * Roles (角色).
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   GET /api/roles         list      engine/reads.ts
 *   GET /api/roles/export  export    engine/export.ts
 *   GET /api/meta/roles    describe  engine/meta.ts
 *   GET /api/roles/:id     read      engine/reads.ts
 *   POST /api/roles        create    engine/writes.ts, resource.ts#create
 *   PATCH /api/roles/:id   update    engine/writes.ts, resource.ts#update
 *   DELETE /api/roles/:id  delete    engine/writes.ts, resource.ts#remove
 */
export const roleRoutes: FastifyPluginAsync<ModuleOptions> = async (app, options) => {
  registerResource(app, rolesResource, options);
};

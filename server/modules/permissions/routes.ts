import type { FastifyPluginAsync } from 'fastify';
import { type ModuleOptions, registerResource } from '../../engine/routes.ts';
import { permissionsResource } from './resource.ts';

/**
 * Permissions (权限).
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   GET /api/permissions         list      engine/reads.ts
 *   GET /api/permissions/export  export    engine/export.ts
 *   GET /api/meta/permissions    describe  engine/meta.ts
 *   GET /api/permissions/:id     read      engine/reads.ts
 *   PATCH /api/permissions/:id   update    engine/writes.ts, resource.ts#update
 */
export const permissionRoutes: FastifyPluginAsync<ModuleOptions> = async (app, options) => {
  registerResource(app, permissionsResource, options);
};

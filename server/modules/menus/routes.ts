import type { FastifyPluginAsync } from 'fastify';
import { type ModuleOptions, registerResource } from '../../engine/routes.ts';
import { menusResource } from './resource.ts';

/**
 * Menus (菜单).
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   GET /api/menus                   list      engine/reads.ts
 *   GET /api/menus/export            export    engine/export.ts
 *   GET /api/meta/menus              describe  engine/meta.ts
 *   GET /api/menus/:id               read      engine/reads.ts
 *   POST /api/menus                  create    engine/writes.ts, resource.ts#create
 *   PATCH /api/menus/:id             update    engine/writes.ts
 *   DELETE /api/menus/:id            delete    engine/writes.ts
 *   POST /api/menus/actions/reorder  action    engine/writes.ts#act, resource.ts#reorder
 */
export const menuRoutes: FastifyPluginAsync<ModuleOptions> = async (app, options) => {
  registerResource(app, menusResource, options);
};

import type { FastifyPluginAsync } from 'fastify';
import { type ModuleOptions, registerResource } from '../../engine/routes.ts';
import { departmentsResource } from './resource.ts';

/**
 * Departments (部门).
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   GET /api/departments         list      engine/reads.ts
 *   GET /api/departments/export  export    engine/export.ts
 *   GET /api/meta/departments    describe  engine/meta.ts
 *   GET /api/departments/:id     read      engine/reads.ts
 *   POST /api/departments        create    engine/writes.ts
 *   PATCH /api/departments/:id   update    engine/writes.ts
 *   DELETE /api/departments/:id  delete    engine/writes.ts
 */
export const departmentRoutes: FastifyPluginAsync<ModuleOptions> = async (app, options) => {
  registerResource(app, departmentsResource, options);
};

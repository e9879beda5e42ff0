import type { FastifyPluginAsync } from 'fastify';
import { type ModuleOptions, registerResource } from '../../engine/routes.ts';
import { myCustomersResource } from './my-customers.ts';
import { distributionsResource } from './resource.ts';

/**
 * Ownership periods (分配记录) and my customers (我的客户).
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   GET /api/distributions         list      engine/reads.ts
 *   GET /api/distributions/export  export    engine/export.ts
 *   GET /api/meta/distributions    describe  engine/meta.ts
 *   GET /api/distributions/:id     read      engine/reads.ts
 *   GET /api/my-customers          list      engine/reads.ts
 *   GET /api/my-customers/export   export    engine/export.ts
 *   GET /api/meta/my-customers     describe  engine/meta.ts
 *   GET /api/my-customers/:id      read      engine/reads.ts
 */
export const distributionRoutes: FastifyPluginAsync<ModuleOptions> = async (app, options) => {
  registerResource(app, distributionsResource, options);
  registerResource(app, myCustomersResource, options);
};

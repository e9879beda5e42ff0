import type { FastifyPluginAsync } from 'fastify';
import { type ModuleOptions, registerResource } from '../../engine/routes.ts';
import { saleRanksResource } from './resource.ts';

/**
 * The weighted auto-assignment (分配权重): who takes part, with what weight.
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   GET /api/sale-ranks         list      engine/reads.ts
 *   GET /api/sale-ranks/export  export    engine/export.ts
 *   GET /api/meta/sale-ranks    describe  engine/meta.ts
 *   GET /api/sale-ranks/:id     read      engine/reads.ts
 *   POST /api/sale-ranks        create    engine/writes.ts, resource.ts#restartRotation
 *   PATCH /api/sale-ranks/:id   update    engine/writes.ts, resource.ts#restartRotation
 *   DELETE /api/sale-ranks/:id  delete    engine/writes.ts, resource.ts#restartRotation
 */
export const assignmentRoutes: FastifyPluginAsync<ModuleOptions> = async (app, options) => {
  registerResource(app, saleRanksResource, options);
};

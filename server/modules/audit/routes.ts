import type { FastifyPluginAsync } from 'fastify';
import { type ModuleOptions, registerResource } from '../../engine/routes.ts';
import { auditLogResource } from '../index.ts';

/**
 * The audit log (操作日志).
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   GET /api/audit-log         list      engine/reads.ts
 *   GET /api/audit-log/export  export    engine/export.ts
 *   GET /api/meta/audit-log    describe  engine/meta.ts
 *   GET /api/audit-log/:id     read      engine/reads.ts
 */
export const auditRoutes: FastifyPluginAsync<ModuleOptions> = async (app, options) => {
  registerResource(app, auditLogResource, options);
};

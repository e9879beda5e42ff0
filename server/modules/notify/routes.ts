import type { FastifyPluginAsync } from 'fastify';
import { type ModuleOptions, registerResource } from '../../engine/routes.ts';
import { notificationsResource } from './resource.ts';

/**
 * Notifications (通知).
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   GET /api/notifications         list      engine/reads.ts
 *   GET /api/notifications/export  export    engine/export.ts
 *   GET /api/meta/notifications    describe  engine/meta.ts
 *   GET /api/notifications/:id     read      engine/reads.ts
 */
export const notificationRoutes: FastifyPluginAsync<ModuleOptions> = async (app, options) => {
  registerResource(app, notificationsResource, options);
};

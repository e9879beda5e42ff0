import type { FastifyPluginAsync } from 'fastify';
import { type ModuleOptions, registerResource } from '../../engine/routes.ts';
import { userOptionRoutes } from './options.ts';
import { usersResource } from './resource.ts';

/**
 * Staff accounts (用户).
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   GET /api/options/users                  names     options.ts#userOptionRoutes
 *   GET /api/users                          list      engine/reads.ts
 *   GET /api/users/export                   export    engine/export.ts
 *   GET /api/meta/users                     describe  engine/meta.ts
 *   GET /api/users/:id                      read      engine/reads.ts
 *   POST /api/users                         create    engine/writes.ts, accounts.ts#createAccount
 *   PATCH /api/users/:id                    update    engine/writes.ts, accounts.ts#updateAccount
 *   DELETE /api/users/:id                   delete    engine/writes.ts, accounts.ts#removeAccount
 *   POST /api/users/actions/disable         action    engine/writes.ts#act, accounts.ts#setActive
 *   POST /api/users/actions/enable          action    engine/writes.ts#act, accounts.ts#setActive
 *   POST /api/users/actions/reset-password  action    engine/writes.ts#act, accounts.ts#resetPasswordsOf
 */
export const userRoutes: FastifyPluginAsync<ModuleOptions> = async (app, options) => {
  registerResource(app, usersResource, options);
  await app.register(userOptionRoutes, options);
};

import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { now } from '../clock.ts';
import type { ChangeWatch } from '../db/changes.ts';
import type { Db } from '../db/client.ts';
import { forbidden, HttpError, unauthorized } from '../http/errors.ts';
import type { PermissionCode } from './catalogue.ts';
import {
  type Actor,
  type Alongside,
  findActor,
  intKey,
  PermissionCache,
  SESSION_COOKIE,
} from './sessions.ts';

/**
 * What a route requires, declared on the route itself (`config.access`) and enforced here, in one
 * place. A route under /api that declares nothing stops the server from starting.
 */
export type Access = { public: true } | { signedIn: true } | { permission: PermissionCode };

/** A guarded route as the gate saw it; the authorization matrix test walks this table. */
export type GuardedRoute = { method: string; url: string; access: Access };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Data the route's answer may be cached on: read with the session (see db/changes.ts). */
    watch?: ChangeWatch;
    /** A read the handler needs first, carried by the session query (see sessions.ts). */
    alongside?: Alongside;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyInstance {
    apiRoutes: GuardedRoute[];
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The grants' version on every signed-in answer: the web refreshes `me` when it moves. */
export const AUTH_EPOCH_HEADER = 'x-auth-epoch';
/** Routes registered by plugins (the OpenAPI UI) that are public by design. */
const PUBLIC_PREFIXES = ['/api/docs'];

export class MissingAccessError extends Error {}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The signed-in actor; for use in routes whose access already guaranteed one. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthorized();
  return request.actor;
}

export const gate = fp(async (app: FastifyInstance, options: { db: Db }) => {
  app.decorateRequest('actor', null);
  app.decorate('apiRoutes', [] as GuardedRoute[]);
  const permissionCache = new PermissionCache();

  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith('/api')) return;
    const config = (route.config ?? {}) as { access?: Access };
    let access = config.access;
    if (PUBLIC_PREFIXES.some((prefix) => route.url.startsWith(prefix))) {
      access = { public: true };
      route.config = { ...config, access } as RouteOptions['config'];
    }
    if (!access) {
      throw new MissingAccessError(
        `Route ${String(route.method)} ${route.url} declares no access (config.access)`,
      );
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') app.apiRoutes.push({ method, url: route.url, access });
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access;
    // Not an /api route we declared (static files, the 404 handler): nothing to guard.
    if (!access || 'public' in access) return;
    const token = request.cookies[SESSION_COOKIE];
    const { watch, alongside } = request.routeOptions.config;
    const key = alongside ? intKey((request.params as Record<string, unknown>)[alongside.param]) : null;
    const ride = alongside && key !== null ? { read: alongside, key } : undefined;
    const actor = token ? await findActor(options.db, token, now(), permissionCache, watch, ride) : null;
    if (!actor) throw unauthorized('Your session has ended; sign in again');
    if (STATE_CHANGING.has(request.method)) {
      const header = request.headers['x-csrf-token'];
      if (typeof header !== 'string' || !sameToken(header, actor.csrfToken)) {
        throw new HttpError(403, 'csrf', 'Missing or wrong x-csrf-token header');
      }
    }
    if ('permission' in access && !actor.permissions.has(access.permission)) {
      throw forbidden();
    }
    request.actor = actor;
    reply.header(AUTH_EPOCH_HEADER, actor.authEpoch);
  });
});

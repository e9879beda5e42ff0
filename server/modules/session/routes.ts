import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AUTH_EPOCH_HEADER, actorOf } from '../../auth/gate.ts';
import { ABSOLUTE_DAYS, findActor, SESSION_COOKIE } from '../../auth/sessions.ts';
import { now } from '../../clock.ts';
import type { Db } from '../../db/client.ts';
import { errors } from '../../http/schemas.ts';
import { describeActor, signIn, signOut } from './service.ts';

const MenuItem = Type.Object({
  code: Type.String(),
  title: Type.String(),
  titleEn: Type.String(),
  icon: Type.Union([Type.String(), Type.Null()]),
  path: Type.String(),
});
const Me = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  name: Type.String(),
  roles: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String(), title: Type.String() })),
  permissions: Type.Array(Type.String()),
  menus: Type.Array(
    Type.Object({
      id: Type.Integer(),
      title: Type.String(),
      titleEn: Type.String(),
      icon: Type.String(),
      items: Type.Array(MenuItem),
    }),
  ),
  timezone: Type.String({
    description: "The school's time zone (CRM_TIMEZONE): the web shows dates and times in it",
    examples: ['Asia/Shanghai'],
  }),
});
const MeWithCsrf = Type.Intersect([
  Me,
  Type.Object({
    csrfToken: Type.String(),
    authEpoch: Type.String({ description: 'the grants version; answers carry it as x-auth-epoch' }),
  }),
]);

/**
 * Sign-in, sign-out and who is signed in.
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   POST /api/auth/login   sign-in   service.ts#signIn
 *   POST /api/auth/logout  sign-out  service.ts#signOut
 *   GET /api/auth/me       me        service.ts#describeActor
 */
export const sessionRoutes: FastifyPluginAsyncTypebox<{
  db: Db;
  secureCookie: boolean;
  timezone: string;
  /** Failed sign-ins one address may make in the throttle's window (config.ts). */
  loginMaxFailuresPerAddress: number;
}> = async (app, { db, secureCookie, timezone, loginMaxFailuresPerAddress }) => {
  app.post(
    '/api/auth/login',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64 }),
            password: Type.String({ minLength: 1, maxLength: 256 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            user: Me,
            csrfToken: Type.String(),
            authEpoch: Type.String(),
          }),
          ...errors(400, 401, 403, 429),
        },
      },
    },
    async (request, reply) => {
      const at = now();
      // request.ip is the client's as the proxy reports it when trustProxy is on (app.ts).
      const session = await signIn(
        db,
        { ...request.body, ip: request.ip, userAgent: request.headers['user-agent'] ?? null, at },
        loginMaxFailuresPerAddress,
      );
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookie,
        maxAge: ABSOLUTE_DAYS * 86_400,
      });
      // Describe the new session's user the same way /me does.
      const actor = await findActor(db, session.token, at);
      if (!actor) throw new Error('session vanished right after sign-in');
      reply.header(AUTH_EPOCH_HEADER, actor.authEpoch);
      return {
        user: { ...(await describeActor(db, actor)), timezone },
        csrfToken: session.csrfToken,
        authEpoch: actor.authEpoch,
      };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: { signedIn: true } },
      schema: {
        tags: ['auth'],
        summary: 'Sign out',
        response: { 200: Type.Object({ ok: Type.Boolean() }), ...errors(401, 403) },
      },
    },
    async (request, reply) => {
      await signOut(db, actorOf(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { access: { signedIn: true } },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, their permissions and menu',
        response: { 200: MeWithCsrf, ...errors(401) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return {
        ...(await describeActor(db, actor)),
        timezone,
        csrfToken: actor.csrfToken,
        authEpoch: actor.authEpoch,
      };
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../auth/gate.ts';
import { now } from '../../clock.ts';
import { MAX_ID } from '../../db/schema/columns.ts';
import { notificationEvent } from '../../db/schema/enums.ts';
import type { ModuleOptions } from '../../engine/routes.ts';
import { Enumerated, errors, Instant } from '../../http/schemas.ts';
import { listMyNotifications, markNotificationsRead } from './service.ts';

const Count = Type.Integer({ minimum: 0 });

const Item = Type.Object({
  id: Type.Integer(),
  event: Enumerated(notificationEvent.codes),
  title: Type.String({ examples: ['新客户分配：张三'] }),
  text: Type.String({ description: 'A few lines of plain text' }),
  link: Type.Union([Type.String(), Type.Null()], {
    description: 'Where it is acted on, a path of the web app ("/customers/12"); null: nowhere',
  }),
  createdAt: Instant,
  readAt: Type.Union([Instant, Type.Null()]),
});

const ListQuery = Type.Object(
  {
    unread: Type.Optional(Type.Boolean({ description: 'true: only those not read yet' })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    lang: Type.Optional(
      Type.Union([Type.Literal('zh'), Type.Literal('en')], {
        description: 'The language of title and text (default zh)',
      }),
    ),
  },
  { additionalProperties: false },
);

const ReadBody = Type.Union([
  Type.Object(
    {
      ids: Type.Array(Type.Integer({ minimum: 1, maximum: MAX_ID }), {
        minItems: 1,
        maxItems: 1000,
        uniqueItems: true,
      }),
    },
    { additionalProperties: false },
  ),
  Type.Object({ all: Type.Literal(true) }, { additionalProperties: false }),
]);

/**
 * My notifications (站内消息): the in-app inbox every signed-in person has.
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   GET /api/me/notifications        list  service.ts#listMyNotifications
 *   POST /api/me/notifications/read  read  service.ts#markNotificationsRead
 */
export const inboxRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, options) => {
  const { db, timezone } = options;
  app.get(
    '/api/me/notifications',
    {
      config: { access: { signedIn: true } },
      schema: {
        tags: ['inbox'],
        summary: "The caller's own notifications, newest first, with how many are unread",
        querystring: ListQuery,
        response: {
          200: Type.Object({
            items: Type.Array(Item),
            total: Type.Integer({
              minimum: 0,
              description: 'How many match (only unread ones with unread=true)',
            }),
            unread: Count,
          }),
          ...errors(400, 401),
        },
      },
    },
    async (request) =>
      listMyNotifications(db, {
        actor: actorOf(request),
        unread: request.query.unread,
        page: request.query.page ?? 1,
        pageSize: request.query.pageSize ?? 20,
        language: request.query.lang ?? 'zh',
        timezone,
      }),
  );

  app.post(
    '/api/me/notifications/read',
    {
      config: { access: { signedIn: true } },
      schema: {
        tags: ['inbox'],
        summary: "Marks the caller's notifications read: `ids` (others' ids are passed over), or `all: true`",
        body: ReadBody,
        response: { 200: Type.Object({ read: Count }), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const body = request.body;
      return markNotificationsRead(db, {
        actor: actorOf(request),
        ...('all' in body ? { all: true } : { ids: body.ids }),
        at: now(),
      });
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../auth/gate.ts';
import { notificationEvent, notifyChannel } from '../../db/schema/enums.ts';
import type { ModuleOptions } from '../../engine/routes.ts';
import { Enumerated, errors } from '../../http/schemas.ts';
import { bindWechat, unbindWechat } from './bind.ts';
import { bindingPage } from './page.ts';
import { wechatQrCode } from './qrcode.ts';
import { loadNotifySettings, saveNotifySettings } from './settings.ts';

const Channel = Enumerated(notifyChannel.codes);
const Channels = Type.Array(Channel, { uniqueItems: true, maxItems: notifyChannel.codes.length });

const PerEvent = Type.Object(
  Object.fromEntries(notificationEvent.codes.map((event) => [event, Type.Optional(Channels)])),
  {
    additionalProperties: false,
    description:
      'Channels per event, for the events chosen apart from the general channels; an event not named follows them, [] means none',
  },
);

const NullableText = Type.Union([Type.String(), Type.Null()]);

const Settings = Type.Object({
  channels: Type.Array(Channel, { description: 'The general channels (users.notify_channels)' }),
  perEvent: PerEvent,
  wechatBound: Type.Boolean({ description: 'Whether a WeChat openid is bound (never the openid)' }),
  contacts: Type.Object({ email: NullableText, phone: NullableText }),
  configured: Type.Array(Type.Object({ channel: Channel, configured: Type.Boolean() }), {
    description: 'Which channels the school has configured a provider for (no setting is shown)',
  }),
  events: Type.Array(
    Type.Object({
      event: Enumerated(notificationEvent.codes),
      title: Type.String(),
      titleEn: Type.String(),
    }),
    { description: 'Every event one may be told of, in order, with its words' },
  ),
});

/**
 * My profile: my notification settings and my WeChat binding (docs/spec.md §6). Every route is the
 * caller's own: none takes a user id. The callback is public — WeChat's browser carries no session;
 * the signed, single-use state names the person instead.
 *
 * Every endpoint, and the code that runs it. test/endpoints.test.ts holds this table to the routes
 * the app serves.
 *
 *   GET /api/me/notify-settings       settings  settings.ts#loadNotifySettings
 *   PUT /api/me/notify-settings       save      settings.ts#saveNotifySettings
 *   GET /api/me/wechat/qrcode         qrcode    qrcode.ts#wechatQrCode
 *   DELETE /api/me/wechat             unbind    bind.ts#unbindWechat
 *   GET /api/wechat/oauth/callback    callback  bind.ts#bindWechat, page.ts#bindingPage
 */
export const profileRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, options) => {
  const { db, config } = options;
  const { notify } = config;

  app.get(
    '/api/me/notify-settings',
    {
      config: { access: { signedIn: true } },
      schema: {
        tags: ['profile'],
        summary: 'My notification settings, WeChat binding and contacts, and the configured channels',
        response: { 200: Settings, ...errors(401) },
      },
    },
    async (request) => loadNotifySettings(db, { userId: actorOf(request).userId, notify }),
  );

  app.put(
    '/api/me/notify-settings',
    {
      config: { access: { signedIn: true } },
      schema: {
        tags: ['profile'],
        summary: 'Change my general channels and my choices per event (audited)',
        body: Type.Object({ channels: Channels, perEvent: PerEvent }, { additionalProperties: false }),
        response: { 200: Settings, ...errors(400, 401, 403) },
      },
    },
    async (request) =>
      saveNotifySettings(db, {
        actor: actorOf(request),
        channels: request.body.channels,
        perEvent: request.body.perEvent,
        notify,
      }),
  );

  app.get(
    '/api/me/wechat/qrcode',
    {
      config: { access: { signedIn: true } },
      schema: {
        tags: ['profile'],
        summary:
          'A PNG QR code of the official account’s authorise page, carrying a signed state naming me, good once within 10 minutes (`x-expires-at`)',
        response: errors(401, 409),
      },
    },
    async (request, reply) => {
      const { png, expiresAt } = await wechatQrCode(db, {
        actor: actorOf(request),
        wechat: notify.wechat,
        publicUrl: config.publicUrl,
        secret: config.secret,
      });
      return reply
        .header('content-type', 'image/png')
        .header('x-expires-at', expiresAt.toISOString())
        .send(png);
    },
  );

  app.delete(
    '/api/me/wechat',
    {
      config: { access: { signedIn: true } },
      schema: {
        tags: ['profile'],
        summary: 'Unbind my WeChat (audited); answers my settings',
        response: { 200: Settings, ...errors(401, 403) },
      },
    },
    async (request) => unbindWechat(db, { actor: actorOf(request), notify }),
  );

  app.get(
    '/api/wechat/oauth/callback',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['profile'],
        summary:
          'Where WeChat returns the scanner: binds their openid to the person the state names, and answers a page in Chinese saying so, or why not',
        querystring: Type.Object({ code: Type.Optional(Type.String()), state: Type.Optional(Type.String()) }),
      },
    },
    async (request, reply) => {
      const outcome = await bindWechat(db, {
        code: request.query.code,
        state: request.query.state,
        wechat: notify.wechat,
        secret: config.secret,
        timeoutMs: notify.timeoutMs,
      });
      if (outcome.kind === 'wechat_error') {
        request.log.warn({ reason: outcome.reason }, 'WeChat binding: the code was not exchanged');
      } else if (outcome.kind !== 'bound') {
        request.log.info({ outcome: outcome.kind }, 'WeChat binding refused');
      }
      const page = bindingPage(outcome);
      return reply.status(page.status).header('content-type', 'text/html; charset=utf-8').send(page.html);
    },
  );
};

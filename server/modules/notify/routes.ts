import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { notifyChannel } from '../../db/schema/enums.ts';
import { type ModuleOptions, registerResource } from '../../engine/routes.ts';
import { errors } from '../../http/schemas.ts';
import type { ChannelStatus } from './channels/index.ts';
import { notificationsResource } from './resource.ts';

/**
 * Notifications (通知).
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   GET /api/notifications                 list      engine/reads.ts
 *   GET /api/notifications/export          export    engine/export.ts
 *   GET /api/meta/notifications            describe  engine/meta.ts
 *   GET /api/notifications/:id             read      engine/reads.ts
 *   POST /api/notifications/actions/retry  retry     engine/writes.ts + delivery/queries.ts#retryNow
 *   GET /api/notify/channels               channels  channels/index.ts#channelStatuses
 */
export const notificationRoutes: FastifyPluginAsync<ModuleOptions> = async (app, options) => {
  registerResource(app, notificationsResource, options);
};

const ChannelStatusSchema = Type.Object({
  channel: Type.Unsafe<ChannelStatus['channel']>(Type.String({ enum: [...notifyChannel.codes] })),
  configured: Type.Boolean(),
  reason: Type.Union([Type.String(), Type.Null()], {
    description: 'Why it cannot send ("SMTP_URL is not set"), null when it can; never a secret',
  }),
});

/**
 * Which channels this instance can send through: registered by app.ts, which builds the channels
 * from the settings (channels/index.ts `channelsFrom`).
 */
export const notifyChannelRoutes: FastifyPluginAsyncTypebox<{ statuses: () => ChannelStatus[] }> = async (
  app,
  options,
) => {
  app.get(
    '/api/notify/channels',
    {
      config: { access: { permission: 'notification.list' } },
      schema: {
        tags: ['notifications'],
        summary: 'Which notification channels are configured, and why the others are not',
        response: { 200: Type.Array(ChannelStatusSchema), ...errors(401, 403) },
      },
    },
    async () => options.statuses(),
  );
};

import { Type } from 'typebox';
import { notificationEvent, notificationStatus, notifyChannel } from '../../db/schema/enums.ts';
import { notifications } from '../../db/schema/index.ts';
import { createdAtField, optionsOf } from '../../engine/fields.ts';
import { lookups, presentRefs } from '../../engine/present.ts';
import { defineResource } from '../../engine/types.ts';
import { retryNow } from './delivery/queries.ts';

/**
 * The outbox as the delivery log: read-only but for the retry of what failed or was given up
 * (delivery itself belongs to the worker, modules/notify/delivery/).
 */
export const notificationsResource = defineResource({
  name: 'notifications',
  title: '消息通知',
  titleEn: 'Notifications',
  table: notifications,
  id: notifications.id,
  labelField: 'event',
  defaultSort: '-createdAt',
  // The event, channel, status and person are filters; the rest of a row is codes and keys.
  searchFields: [],
  permissions: { list: 'notification.list' },
  actions: {
    retry: {
      title: '重发',
      titleEn: 'Retry',
      permission: 'notification.retry',
      // Due again at once; rows already sent, skipped or on their way are left as they are.
      run: ({ tx, at }, ids) => retryNow(tx, { ids, at }),
    },
  },
  fields: [
    {
      key: 'id',
      title: 'ID',
      titleEn: 'ID',
      kind: 'int',
      column: notifications.id,
      readOnly: true,
      list: false,
    },
    createdAtField(notifications.createdAt, { filter: 'range' }),
    {
      key: 'userId',
      display: 'user',
      title: '接收人',
      titleEn: 'To',
      kind: 'ref',
      ref: 'users',
      refLabel: 'name',
      column: notifications.userId,
      readOnly: true,
      filter: 'in',
    },
    {
      key: 'channel',
      title: '渠道',
      titleEn: 'Channel',
      kind: 'enum',
      options: optionsOf(notifyChannel.labels),
      column: notifications.channel,
      readOnly: true,
      filter: 'in',
    },
    {
      key: 'event',
      title: '事件',
      titleEn: 'Event',
      kind: 'enum',
      options: optionsOf(notificationEvent.labels),
      codeTip: true,
      column: notifications.event,
      readOnly: true,
      filter: 'in',
    },
    {
      key: 'status',
      title: '状态',
      titleEn: 'Status',
      kind: 'enum',
      options: optionsOf(notificationStatus.labels),
      column: notifications.status,
      readOnly: true,
      filter: 'in',
    },
    {
      key: 'attempts',
      title: '尝试次数',
      titleEn: 'Attempts',
      kind: 'int',
      column: notifications.attempts,
      readOnly: true,
    },
    {
      key: 'nextAttemptAt',
      title: '下次尝试',
      titleEn: 'Next attempt',
      kind: 'datetime',
      column: notifications.nextAttemptAt,
      readOnly: true,
      list: false,
    },
    {
      key: 'lastError',
      title: '最近错误',
      titleEn: 'Last error',
      kind: 'text',
      column: notifications.lastError,
      readOnly: true,
    },
    {
      key: 'sentAt',
      title: '发送时间',
      titleEn: 'Sent',
      kind: 'datetime',
      column: notifications.sentAt,
      readOnly: true,
    },
    {
      key: 'dedupeKey',
      title: '去重键',
      titleEn: 'Dedupe key',
      kind: 'text',
      column: notifications.dedupeKey,
      readOnly: true,
      list: false,
    },
  ],
  extra: {
    user: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]),
    payload: Type.Unknown(),
  },
  present: presentRefs({ userId: ['user', lookups.users] }),
});

import { Type } from 'typebox';
import { auditLog } from '../../db/schema/index.ts';
import { lookups, presentRefs } from '../../engine/present.ts';
import type { ResourceConfig } from '../../engine/types.ts';

/** Read-only: the log is written by the engine and the services, never edited. */
export const auditLogResource: ResourceConfig = {
  name: 'audit-log',
  title: '操作日志',
  titleEn: 'Audit log',
  table: auditLog,
  id: auditLog.id,
  labelField: 'action',
  defaultSort: '-at',
  searchFields: ['action', 'entity'],
  permissions: { list: 'audit_log.list' },
  fields: [
    { key: 'id', title: 'ID', titleEn: 'ID', kind: 'int', column: auditLog.id, readOnly: true, list: false },
    {
      key: 'at',
      title: '时间',
      titleEn: 'At',
      kind: 'datetime',
      column: auditLog.at,
      readOnly: true,
      filter: 'range',
    },
    {
      key: 'actorId',
      display: 'actor',
      title: '操作人',
      titleEn: 'By',
      kind: 'ref',
      ref: 'users',
      refLabel: 'name',
      column: auditLog.actorId,
      readOnly: true,
      filter: 'in',
    },
    {
      key: 'action',
      title: '操作',
      titleEn: 'Action',
      kind: 'text',
      column: auditLog.action,
      readOnly: true,
      filter: 'in',
    },
    {
      key: 'entity',
      title: '对象',
      titleEn: 'Entity',
      kind: 'text',
      column: auditLog.entity,
      readOnly: true,
      filter: 'in',
    },
    {
      key: 'entityId',
      title: '对象 ID',
      titleEn: 'Entity ID',
      kind: 'int',
      column: auditLog.entityId,
      readOnly: true,
      filter: 'in',
    },
  ],
  extra: {
    actor: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]),
    before: Type.Unknown(),
    after: Type.Unknown(),
  },
  present: presentRefs({ actorId: ['actor', lookups.users] }),
};

import { Type } from 'typebox';
import { auditLog } from '../../db/schema/index.ts';
import { NamedRef } from '../../engine/present.ts';
import { defineResource, type ResourceConfig } from '../../engine/types.ts';
import { auditPresenter } from './present.ts';
import { auditActions, auditEntities } from './vocabulary.ts';

/**
 * The audit log over the resources the engine serves: read-only (it is written by the engine and
 * the services, never edited), and worded from those resources, so that every action and record
 * type reads as words in lists, filters and exports alike.
 */
export function auditLogResourceOver(resources: ResourceConfig[]) {
  return defineResource({
    name: 'audit-log',
    title: '操作日志',
    titleEn: 'Audit log',
    table: auditLog,
    id: auditLog.id,
    labelField: 'action',
    defaultSort: '-at',
    // Actions and record types are codes underneath: they are filters, which show their words.
    searchFields: [],
    permissions: { list: 'audit_log.list' },
    fields: [
      {
        key: 'id',
        title: 'ID',
        titleEn: 'ID',
        kind: 'int',
        column: auditLog.id,
        readOnly: true,
        list: false,
      },
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
        kind: 'enum',
        options: auditActions(resources),
        codeTip: true,
        column: auditLog.action,
        readOnly: true,
        filter: 'in',
      },
      {
        key: 'entity',
        title: '对象',
        titleEn: 'Type',
        kind: 'enum',
        options: auditEntities(resources),
        codeTip: true,
        column: auditLog.entity,
        readOnly: true,
        filter: 'in',
      },
      {
        key: 'entityId',
        title: '记录编号',
        titleEn: 'Record number',
        kind: 'int',
        column: auditLog.entityId,
        readOnly: true,
        list: false,
        filter: 'in',
      },
      {
        key: 'recordName',
        title: '记录',
        titleEn: 'Record',
        kind: 'text',
        readOnly: true,
      },
    ],
    extra: {
      actor: NamedRef,
      recordNameEn: Type.Union([Type.String(), Type.Null()]),
      count: Type.Union([Type.Integer(), Type.Null()]),
      changes: Type.Array(Type.Object({ key: Type.String(), title: Type.String(), titleEn: Type.String() })),
      before: Type.Unknown(),
      after: Type.Unknown(),
    },
    present: auditPresenter(resources),
  });
}

import { distributionScope } from '../../auth/scopes.ts';
import { distributionStatus, distributionVia } from '../../db/schema/enums.ts';
import { customerDistributions as d } from '../../db/schema/index.ts';
import { idField, optionsOf } from '../../engine/fields.ts';
import {
  consultantRef,
  customerRef,
  lookups,
  NamedRef,
  presentRefs,
  readOnlyRef,
} from '../../engine/present.ts';
import { defineResource } from '../../engine/types.ts';

/** Read-only: periods of ownership are opened and closed by the sales operations alone. */
export const distributionsResource = defineResource({
  name: 'distributions',
  title: '客户分布',
  titleEn: 'Ownership history',
  table: d,
  id: d.id,
  labelField: 'id',
  defaultSort: '-startedAt',
  searchFields: ['memo'],
  permissions: { list: 'distribution.list' },
  scope: distributionScope,
  fields: [
    idField(d.id),
    readOnlyRef('customerId', d.customerId, customerRef),
    readOnlyRef('consultantId', d.consultantId, consultantRef),
    {
      key: 'status',
      title: '状态',
      titleEn: 'Status',
      kind: 'enum',
      options: optionsOf(distributionStatus.labels),
      column: d.status,
      readOnly: true,
      filter: 'in',
    },
    {
      key: 'via',
      // Not 来源: that is where a lead came from (百度推广…); this is how the consultant got it.
      title: '获得方式',
      titleEn: 'How received',
      kind: 'enum',
      options: optionsOf(distributionVia.labels),
      column: d.via,
      readOnly: true,
      filter: 'in',
    },
    {
      key: 'startedAt',
      title: '开始',
      titleEn: 'Started',
      kind: 'datetime',
      column: d.startedAt,
      readOnly: true,
      filter: 'range',
    },
    {
      key: 'endedAt',
      title: '结束',
      titleEn: 'Ended',
      kind: 'datetime',
      column: d.endedAt,
      readOnly: true,
      nullable: true,
    },
    {
      key: 'memo',
      title: '备注',
      titleEn: 'Memo',
      kind: 'text',
      column: d.memo,
      readOnly: true,
      list: false,
    },
  ],
  extra: { customer: NamedRef, consultant: NamedRef },
  present: presentRefs({
    customerId: ['customer', lookups.customers],
    consultantId: ['consultant', lookups.users],
  }),
});

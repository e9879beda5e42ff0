import { consultRecordScope } from '../../auth/scopes.ts';
import { consultChannel } from '../../db/schema/enums.ts';
import { consultRecords as c } from '../../db/schema/index.ts';
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

/** Follow-ups are written through the customer (they move its release clock), listed here. */
export const consultRecordsResource = defineResource({
  name: 'consult-records',
  title: '跟进记录',
  titleEn: 'Follow-ups',
  table: c,
  id: c.id,
  labelField: 'note',
  defaultSort: '-at',
  searchFields: ['note'],
  permissions: { list: 'consult_record.list' },
  scope: consultRecordScope,
  fields: [
    idField(c.id),
    readOnlyRef('customerId', c.customerId, customerRef),
    readOnlyRef('consultantId', c.consultantId, { ...consultantRef, title: '跟进人', titleEn: 'By' }),
    {
      key: 'at',
      title: '跟进时间',
      titleEn: 'At',
      kind: 'datetime',
      column: c.at,
      readOnly: true,
      filter: 'range',
    },
    {
      key: 'channel',
      title: '方式',
      titleEn: 'Channel',
      kind: 'enum',
      options: optionsOf(consultChannel.labels),
      column: c.channel,
      readOnly: true,
      filter: 'in',
    },
    { key: 'note', title: '跟进内容', titleEn: 'Note', kind: 'longtext', column: c.note, readOnly: true },
  ],
  extra: { customer: NamedRef, consultant: NamedRef },
  present: presentRefs({
    customerId: ['customer', lookups.customers],
    consultantId: ['consultant', lookups.users],
  }),
});

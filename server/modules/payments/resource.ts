import { and, inArray, isNull } from 'drizzle-orm';
import { paymentRecordScope } from '../../auth/scopes.ts';
import { payType } from '../../db/schema/enums.ts';
import { paymentRecords as p } from '../../db/schema/index.ts';
import { idField, optionsOf } from '../../engine/fields.ts';
import {
  classRef,
  consultantRef,
  customerRef,
  lookups,
  NamedRef,
  presentRefs,
  readOnlyRef,
} from '../../engine/present.ts';
import { defineResource } from '../../engine/types.ts';

/** Payments are recorded through enrolment (they change the customer); finance confirms them here. */
export const paymentRecordsResource = defineResource({
  name: 'payment-records',
  title: '缴费记录',
  titleEn: 'Payments',
  table: p,
  id: p.id,
  labelField: 'id',
  defaultSort: '-paidAt',
  searchFields: ['note'],
  permissions: { list: 'payment_record.list', export: 'payment_record.export' },
  scope: paymentRecordScope,
  fields: [
    idField(p.id),
    readOnlyRef('customerId', p.customerId, customerRef),
    readOnlyRef('classId', p.classId, classRef),
    {
      key: 'payType',
      title: '费用类型',
      titleEn: 'Type',
      kind: 'enum',
      options: optionsOf(payType.labels),
      column: p.payType,
      readOnly: true,
      filter: 'in',
    },
    {
      key: 'paidFee',
      title: '金额',
      titleEn: 'Amount',
      kind: 'money',
      column: p.paidFee,
      readOnly: true,
      filter: 'range',
    },
    {
      key: 'quote',
      title: '报价',
      titleEn: 'Quote',
      kind: 'money',
      column: p.quote,
      readOnly: true,
      nullable: true,
      list: false,
    },
    {
      key: 'turnover',
      title: '成交金额',
      titleEn: 'Turnover',
      kind: 'money',
      column: p.turnover,
      readOnly: true,
      nullable: true,
      list: false,
    },
    readOnlyRef('consultantId', p.consultantId, consultantRef),
    {
      key: 'paidAt',
      title: '缴费时间',
      titleEn: 'Paid',
      kind: 'datetime',
      column: p.paidAt,
      readOnly: true,
      filter: 'range',
    },
    {
      key: 'confirmedBy',
      display: 'confirmer',
      title: '确认人',
      titleEn: 'Confirmed by',
      kind: 'ref',
      ref: 'users',
      refLabel: 'name',
      column: p.confirmedBy,
      readOnly: true,
      nullable: true,
      filter: 'in',
    },
    {
      key: 'confirmedAt',
      title: '确认时间',
      titleEn: 'Confirmed',
      kind: 'datetime',
      column: p.confirmedAt,
      readOnly: true,
      nullable: true,
    },
    {
      key: 'note',
      title: '备注',
      titleEn: 'Note',
      kind: 'text',
      column: p.note,
      readOnly: true,
      list: false,
    },
  ],
  extra: { customer: NamedRef, class: NamedRef, consultant: NamedRef, confirmer: NamedRef },
  present: presentRefs({
    customerId: ['customer', lookups.customers],
    classId: ['class', lookups.classes],
    consultantId: ['consultant', lookups.users],
    confirmedBy: ['confirmer', lookups.users],
  }),
  actions: {
    confirm: {
      title: '确认缴费',
      titleEn: 'Confirm',
      permission: 'payment_record.confirm',
      // Finance checks each payment against the money received before confirming it.
      confirmFields: ['customerId', 'classId', 'payType', 'paidFee', 'consultantId', 'paidAt'],
      // Confirming twice keeps the first confirmation: who checked it, and when.
      async run({ tx, actor, at }, ids) {
        const confirmed = await tx
          .update(p)
          .set({ confirmedBy: actor.userId, confirmedAt: at, updatedAt: at })
          .where(and(inArray(p.id, ids), isNull(p.confirmedAt)))
          .returning({ id: p.id });
        return confirmed.length;
      },
    },
  },
});

import { eq, sql } from 'drizzle-orm';
import { Type } from 'typebox';
import { customerScope } from '../../auth/scopes.ts';
import type { Tx } from '../../db/client.ts';
import { ownedBySql } from '../../db/owners.ts';
import {
  classType,
  customerSource,
  customerStatus,
  education,
  experience,
  gender,
  workStatus,
} from '../../db/schema/enums.ts';
import { courses, customerCourses, customers } from '../../db/schema/index.ts';
import { createdAtField, idField, optionsOf } from '../../engine/fields.ts';
import { replaceLinks } from '../../engine/links.ts';
import { refField } from '../../engine/present.ts';
import { type Body, type Context, defineResource, type FieldDef } from '../../engine/types.ts';
import { updateColumns } from '../../engine/writes.ts';
import { badRequest } from '../../http/errors.ts';
import { ownerRef } from '../distributions/owners.ts';
import { reassignAction } from '../distributions/reassign.ts';
import type { PhoneKind } from './contact-rules.ts';
import { refuseInvalidContacts } from './contacts.ts';
import { readAsFormerOwner } from './former-owner.ts';
import { createCustomer } from './intake.ts';
import { customerListDetails, customerListJson, presentCustomers } from './present.ts';
import { customerKeywordSql } from './search.ts';
import { customerKeywordWalk } from './walk.ts';

function setCourses(tx: Tx, customerId: number, courseIds: number[]): Promise<void> {
  return replaceLinks(tx, {
    table: customerCourses,
    owner: customerCourses.customerId,
    ownerId: customerId,
    target: courses.id,
    values: courseIds,
    row: (courseId) => ({ customerId, courseId }),
    refuse: () =>
      badRequest('validation', 'courseIds: unknown course', [
        { field: 'courseIds', message: 'unknown course', code: 'unknown_reference' },
      ]),
  });
}

/** Edits the customer's file; ownership and status change only through the sales operations. */
async function update(ctx: Context, id: number, body: Body): Promise<void> {
  const { tx } = ctx;
  // Only what is being changed: a number stored before the rules stays until someone edits it.
  refuseInvalidContacts(body);
  await updateColumns(ctx, customersResource, id, body);
  if (Array.isArray(body.courseIds)) await setCourses(tx, id, body.courseIds as number[]);
  const [row] = await tx.select().from(customers).where(eq(customers.id, id));
  if (row && !row.phone?.trim() && !row.qq?.trim() && !row.wechat?.trim()) {
    throw badRequest('validation', 'A customer needs at least one of phone, QQ or WeChat', [
      { field: 'phone', message: 'needs at least one contact', code: 'contact_required' },
    ]);
  }
}

type Column = keyof typeof customers.$inferSelect;

const enumField = <const K extends Column>(
  key: K,
  title: string,
  titleEn: string,
  labels: Parameters<typeof optionsOf>[0],
  extra: Partial<Omit<FieldDef, 'key'>> = {},
): FieldDef & { key: K } => ({
  key,
  title,
  titleEn,
  kind: 'enum',
  options: optionsOf(labels),
  column: customers[key],
  nullable: true,
  filter: 'in',
  ...extra,
});
const textField = <const K extends Column>(
  key: K,
  title: string,
  titleEn: string,
  extra: Partial<Omit<FieldDef, 'key'>> = {},
): FieldDef & { key: K } => ({
  key,
  title,
  titleEn,
  kind: 'text',
  column: customers[key],
  maxLength: 200,
  list: false,
  ...extra,
});

export const customersResource = defineResource({
  name: 'customers',
  title: '客户',
  titleEn: 'Customers',
  table: customers,
  id: customers.id,
  labelField: 'name',
  defaultSort: '-createdAt',
  searchFields: ['name', 'phone', 'qq', 'wechat'],
  searchKeyword: customerKeywordSql,
  keywordWalk: customerKeywordWalk,
  permissions: {
    list: 'customer.list',
    create: 'customer.create',
    update: 'customer.update',
    delete: 'customer.delete',
    export: 'customer.export',
  },
  scope: customerScope,
  fields: [
    idField(customers.id),
    textField('name', '姓名', 'Name', { required: true, list: true, maxLength: 100 }),
    textField('phone', '手机', 'Phone', { list: true, nullable: true, maxLength: 50, format: 'phone' }),
    textField('qq', 'QQ', 'QQ', { list: true, nullable: true, maxLength: 50, format: 'qq' }),
    textField('wechat', '微信', 'WeChat', { nullable: true, maxLength: 100, format: 'wechat' }),
    enumField('gender', '性别', 'Gender', gender.labels),
    enumField('source', '来源', 'Source', customerSource.labels, { nullable: false }),
    enumField('classType', '班型', 'Class type', classType.labels),
    enumField('status', '状态', 'Status', customerStatus.labels, { readOnly: true, nullable: false }),
    // Chosen at entry (empty: the rotation decides); afterwards only 转交 or the pool move it.
    refField('consultantId', customers.consultantId, ownerRef, {
      createOnly: true,
      nullable: true,
      filter: 'in',
      filterSql: (ids) => ownedBySql(ids as number[]),
    }),
    {
      key: 'courseIds',
      display: 'courses',
      title: '咨询课程',
      titleEn: 'Interested in',
      kind: 'ref',
      ref: 'courses',
      refLabel: 'name',
      multiple: true,
      filter: 'in',
      filterSql: (ids) =>
        sql`exists (select 1 from ${customerCourses} cc where cc.customer_id = ${customers.id} and cc.course_id in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )}))`,
    },
    enumField('education', '学历', 'Education', education.labels, { list: false }),
    textField('graduationSchool', '毕业学校', 'School'),
    textField('major', '专业', 'Major'),
    enumField('experience', '工作经验', 'Experience', experience.labels, { list: false }),
    enumField('workStatus', '职业状态', 'Work status', workStatus.labels, { list: false }),
    textField('company', '目前就职公司', 'Company'),
    textField('salary', '当前薪资', 'Salary', { maxLength: 50 }),
    {
      key: 'referralFromId',
      title: '转介绍自',
      titleEn: 'Referred by',
      kind: 'ref',
      ref: 'customers',
      refLabel: 'name',
      column: customers.referralFromId,
      nullable: true,
      list: false,
    },
    {
      key: 'note',
      title: '客户背景',
      titleEn: 'Note',
      kind: 'longtext',
      column: customers.note,
      list: false,
      maxLength: 5000,
    },
    {
      key: 'recvAt',
      title: '接单时间',
      titleEn: 'Received',
      kind: 'datetime',
      column: customers.recvAt,
      readOnly: true,
      list: false,
    },
    {
      key: 'lastConsultAt',
      title: '最后跟进',
      titleEn: 'Last follow-up',
      kind: 'datetime',
      column: customers.lastConsultAt,
      readOnly: true,
    },
    {
      key: 'releaseAt',
      title: '释放时间',
      titleEn: 'Releases at',
      kind: 'datetime',
      column: customers.releaseAt,
      readOnly: true,
      list: false,
    },
    createdAtField(customers.createdAt, { title: '录入时间', filter: 'range' }),
  ],
  extra: {
    phoneKind: Type.Union([
      Type.Unsafe<PhoneKind>({
        type: 'string',
        enum: ['mobile', 'landline', 'international'],
        description: 'A mainland mobile, a landline with its area code, or a number abroad (+country)',
      }),
      Type.Null(),
    ]),
    consultant: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]),
    courses: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
    access: Type.Optional(
      Type.Unsafe<'former_owner'>({
        type: 'string',
        enum: ['former_owner'],
        description:
          'former_owner: a read-only view for a consultant who owned the customer once (contacts masked)',
      }),
    ),
  },
  present: presentCustomers,
  listDetails: customerListDetails,
  listJson: customerListJson,
  readOutsideScope: readAsFormerOwner,
  actions: { reassign: reassignAction },
  create: async (ctx, body) => {
    const id = await createCustomer(ctx, customersResource, body);
    if (Array.isArray(body.courseIds)) await setCourses(ctx.tx, id, body.courseIds as number[]);
    return id;
  },
  update,
});

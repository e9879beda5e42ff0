import { type SQL, sql } from 'drizzle-orm';
import type { BulkTable } from './model.ts';

// ---------------------------------------------------------------------------------------------------
// Bulk rows: one PostgreSQL array literal per column, inserted with unnest

type ColumnType = 'int' | 'text' | 'ts' | 'money';
const PG_TYPE: Record<ColumnType, string> = { int: 'int4', text: 'text', ts: 'float8', money: 'numeric' };
type Value = string | number | null;

/**
 * Rows of one table, kept column by column as array-literal elements. Ids are given here, from
 * counters the generator keeps across batches, so they follow the generation order whichever batch
 * commits first, and children can name their parents.
 */
export class BulkRows {
  readonly ids: number[] = [];
  readonly columns: string[][];

  constructor(
    readonly table: BulkTable,
    readonly spec: readonly (readonly [string, ColumnType])[],
    private readonly lastId: Record<BulkTable, number>,
  ) {
    this.columns = spec.map(() => []);
  }

  get length(): number {
    return this.ids.length;
  }

  /** Values in the order of `spec` (timestamps as epoch milliseconds); returns the row's id. */
  add(...values: Value[]): number {
    if (values.length !== this.columns.length)
      throw new Error(`scale data: wrong row shape for ${this.table}`);
    for (let k = 0; k < values.length; k++) {
      const v = values[k] ?? null;
      this.columns[k]?.push(
        v === null
          ? 'NULL'
          : typeof v === 'number'
            ? String(v)
            : `"${v.includes('"') || v.includes('\\') ? v.replace(/["\\]/g, '\\$&') : v}"`,
      );
    }
    const id = ++this.lastId[this.table];
    this.ids.push(id);
    return id;
  }

  insert(): SQL {
    const names = ['id', ...this.spec.map(([name]) => name)].join(', ');
    const select = [
      't.id',
      ...this.spec.map(([name, type]) => (type === 'ts' ? `to_timestamp(t.${name} / 1000)` : `t.${name}`)),
    ].join(', ');
    const arrays = [
      sql`${`{${this.ids.join(',')}}`}::int4[]`,
      ...this.spec.map(
        ([, type], k) => sql`${`{${(this.columns[k] ?? []).join(',')}}`}::${sql.raw(PG_TYPE[type])}[]`,
      ),
    ];
    return sql`insert into ${sql.identifier(this.table)} (${sql.raw(names)}) overriding system value select ${sql.raw(
      select,
    )} from unnest(${sql.join(arrays, sql`, `)}) as t(${sql.raw(names)})`;
  }
}

/** Parents before children: every batch is written in this order. */
export const bulkTables: readonly BulkTable[] = [
  'customers',
  'customer_courses',
  'customer_distributions',
  'consult_records',
  'students',
  'student_classes',
  'payment_records',
];

export function newBatch(lastId: Record<BulkTable, number>): Record<BulkTable, BulkRows> {
  const stamps = [
    ['created_at', 'ts'],
    ['updated_at', 'ts'],
  ] as const;
  return {
    customers: new BulkRows(
      'customers',
      [
        ['name', 'text'],
        ['phone', 'text'],
        ['qq', 'text'],
        ['wechat', 'text'],
        ['gender', 'text'],
        ['education', 'text'],
        ['graduation_school', 'text'],
        ['major', 'text'],
        ['experience', 'text'],
        ['work_status', 'text'],
        ['company', 'text'],
        ['salary', 'text'],
        ['source', 'text'],
        ['referral_from_id', 'int'],
        ['class_type', 'text'],
        ['note', 'text'],
        ['status', 'text'],
        ['consultant_id', 'int'],
        ['recv_at', 'ts'],
        ['last_consult_at', 'ts'],
        ['release_at', 'ts'],
        ...stamps,
      ],
      lastId,
    ),
    customer_courses: new BulkRows(
      'customer_courses',
      [['customer_id', 'int'], ['course_id', 'int'], ...stamps],
      lastId,
    ),
    customer_distributions: new BulkRows(
      'customer_distributions',
      [
        ['customer_id', 'int'],
        ['consultant_id', 'int'],
        ['started_at', 'ts'],
        ['ended_at', 'ts'],
        ['status', 'text'],
        ['via', 'text'],
        ['memo', 'text'],
        ...stamps,
      ],
      lastId,
    ),
    consult_records: new BulkRows(
      'consult_records',
      [
        ['customer_id', 'int'],
        ['consultant_id', 'int'],
        ['at', 'ts'],
        ['channel', 'text'],
        ['note', 'text'],
        ...stamps,
      ],
      lastId,
    ),
    students: new BulkRows(
      'students',
      [
        ['customer_id', 'int'],
        ['emergency_contact', 'text'],
        ['company', 'text'],
        ['location', 'text'],
        ...stamps,
      ],
      lastId,
    ),
    student_classes: new BulkRows(
      'student_classes',
      [['student_id', 'int'], ['class_id', 'int'], ['status', 'text'], ...stamps],
      lastId,
    ),
    payment_records: new BulkRows(
      'payment_records',
      [
        ['customer_id', 'int'],
        ['class_id', 'int'],
        ['pay_type', 'text'],
        ['paid_fee', 'money'],
        ['quote', 'money'],
        ['turnover', 'money'],
        ['consultant_id', 'int'],
        ['note', 'text'],
        ['paid_at', 'ts'],
        ['confirmed_by', 'int'],
        ['confirmed_at', 'ts'],
        ...stamps,
      ],
      lastId,
    ),
  };
}

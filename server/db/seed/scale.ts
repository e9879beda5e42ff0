import { type SQL, sql } from 'drizzle-orm';
import { hashPassword } from '../../auth/passwords.ts';
import { syncCatalogue } from '../../auth/sync.ts';
import { businessDate } from '../../clock.ts';
import {
  DEFAULT_POOL_RULES,
  isPublic,
  type PoolRules,
  releaseAtFor,
  releaseDeadline,
} from '../../modules/pool/rules.ts';
import { type Database, type Executor, queryRows, type Tx } from '../client.ts';
import {
  classes,
  classTeachers,
  courses,
  departments,
  roles,
  saleRanks,
  schools,
  userRoles,
  users,
} from '../schema/index.ts';
import { loadStaff } from './demo/load-school.ts';
import { demoSaleRanks } from './demo/staff.ts';
import { demoCourses, demoSchools } from './demo/teaching.ts';
import {
  COMPANIES,
  CONSULT_NOTES,
  CUSTOMER_NOTES,
  EMERGENCY_RELATIONS,
  GIVEN_FEMALE,
  GIVEN_MALE,
  item,
  MAJORS,
  must,
  PHONE_PREFIXES,
  Random,
  SALARIES,
  SCHOOLS,
  SURNAMES,
  WECHAT_STEMS,
} from './demo/words.ts';

/**
 * A synthetic school of any size for benchmarks (SPEC §8 `seed --scale N`): the demo's staff and
 * roles, one more consultant per ~2,000 customers, a few dozen classes, and N customers in realistic
 * proportions with their ownership history, follow-ups, payments and students. Every customer's
 * `release_at` is what `releaseAtFor` gives under the default pool rules (stored in `pool_settings`),
 * so the pool query names exactly the public customers.
 *
 * Deterministic: the same N and `at` (and batch size) give the same school, ids included, on either
 * kind of database. Customers are written in batches, each in its own transaction (multi-row
 * INSERT … SELECT FROM unnest(…) with one array per column, ids given explicitly), so a failure midway
 * leaves a partial school behind: this is for empty benchmark databases only.
 */

export type ScaleState = 'following' | 'expired_unswept' | 'released' | 'unassigned' | 'enrolled';
export const scaleStates: readonly ScaleState[] = [
  'following',
  'expired_unswept',
  'released',
  'unassigned',
  'enrolled',
];

/** Shares of the customers by state (the young ones that cannot yet be in a state take another). */
const STATE_WEIGHTS = [
  ['following', 45],
  ['expired_unswept', 5],
  ['released', 25],
  ['unassigned', 10],
  ['enrolled', 15],
] as const satisfies readonly (readonly [ScaleState, number])[];

type BulkTable =
  | 'customers'
  | 'customer_courses'
  | 'customer_distributions'
  | 'consult_records'
  | 'payment_records'
  | 'students'
  | 'student_classes';

export type ScaleSummary = {
  rows: Record<
    | 'departments'
    | 'roles'
    | 'role_permissions'
    | 'users'
    | 'user_roles'
    | 'sale_ranks'
    | 'schools'
    | 'courses'
    | 'classes'
    | 'class_teachers'
    | BulkTable,
    number
  >;
  customers: Record<ScaleState, number>;
  consultants: number;
};

export type ScaleOptions = {
  customers: number;
  /** "Now" for the data: creation times spread over the two years before it. */
  at: Date;
  /** Everyone's password (the demo staff and the generated consultants). */
  password: string;
  /** Dates the classes (default Asia/Shanghai). */
  timezone?: string;
  onProgress?: (done: number, total: number) => void;
  /** Customers per transaction (default 5,000); the data depends on it, through the referrals. */
  batchSize?: number;
};

const ALREADY_SEEDED = 'The database is not empty; scale data is only loaded into an empty database';
const DAY = 86_400_000;
const SPAN_DAYS = 730;
/** Customers per consultant, and the bounds on generated consultants. */
const CUSTOMERS_PER_CONSULTANT = 2000;
const MIN_CONSULTANTS = 3;
const MAX_CONSULTANTS = 500;
/** Consult records per customer, at most (SPEC's "0–8"). */
const CONSULT_BUDGET = 8;
/** Customers per transaction. */
const BATCH_SIZE = 5000;

/** Loads the synthetic school into an empty database; refuses one that has users or customers. */
export async function seedScale(database: Database, options: ScaleOptions): Promise<ScaleSummary> {
  const total = options.customers;
  if (!Number.isInteger(total) || total < 1)
    throw new Error('seedScale needs a positive number of customers');
  const rules = DEFAULT_POOL_RULES;
  const { db } = database;
  if (!(await isEmpty(db))) throw new Error(ALREADY_SEEDED);
  const passwordHash = await hashPassword(options.password);
  const at = options.at.getTime();
  const timezone = options.timezone ?? 'Asia/Shanghai';
  const consultantCount = Math.min(
    MAX_CONSULTANTS,
    Math.max(MIN_CONSULTANTS, Math.round(total / CUSTOMERS_PER_CONSULTANT)),
  );

  const school = await db.transaction(async (tx) => {
    if (!(await isEmpty(tx))) throw new Error(ALREADY_SEEDED);
    return loadSchool(tx, { at, timezone, rules, passwordHash, consultantCount });
  });

  const generator = new Generator({
    at,
    rules,
    total,
    owners: school.owners,
    classes: school.classes,
    courseIds: school.courseIds,
    financeId: school.financeId,
  });
  // PostgreSQL: two batches in flight on two connections, so the server works on one while the next is
  // generated. Referrals point at least one batch back, so batch k starts writing only once batch k − 2
  // has committed (it usually has): the data does not depend on timing, nor on the kind of database.
  const concurrency = database.kind === 'postgres' ? 2 : 1;
  const batchSize = options.batchSize ?? BATCH_SIZE;
  const batches = Math.ceil(total / batchSize);
  const committed = Array.from({ length: batches }, () => deferred());
  let next = 0;
  let done = 0;
  let failed = false;
  const worker = async () => {
    while (next < batches && !failed) {
      const k = next++;
      const from = k * batchSize;
      const to = Math.min(total, from + batchSize);
      try {
        const batch = generator.batch(from, to, from - batchSize);
        if (k >= 2) await committed[k - 2]?.promise;
        await db.transaction(async (tx) => {
          // A crash loses the last batches either way: do not wait for each commit to reach the disk.
          await tx.execute(sql`set local synchronous_commit = off`);
          for (const table of bulkTables) {
            const rows = batch[table];
            if (rows.length > 0) await tx.execute(rows.insert());
          }
        });
        committed[k]?.resolve();
      } catch (error) {
        failed = true;
        committed[k]?.reject(error);
        throw error;
      }
      done += to - from;
      options.onProgress?.(done, total);
    }
  };
  // Both workers stop before this returns, also when one fails.
  const outcomes = await Promise.allSettled(Array.from({ length: concurrency }, worker));
  for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;

  // Ids were given explicitly: move the identities past them.
  for (const table of bulkTables) {
    await db.execute(
      sql`select setval(pg_get_serial_sequence(${table}, 'id'), greatest(max(id), 1), count(*) > 0) from ${sql.identifier(table)}`,
    );
  }
  // Statistics for the planner, the visibility map for index-only scans, and the trigram indexes'
  // pending entries merged: the state benchmarks should start from (a few seconds at a million).
  await db.execute(sql.raw(`vacuum (analyze) ${bulkTables.join(', ')}`));

  return {
    rows: { ...school.rows, ...generator.counts },
    customers: generator.states,
    consultants: school.owners.length,
  };
}

/** A promise to settle from outside; a rejection nobody awaits is not an unhandled one. */
function deferred() {
  let resolve = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/** Nobody can sign in and there are no customers yet. */
async function isEmpty(db: Executor): Promise<boolean> {
  const [row] = await queryRows<{ used: boolean }>(
    db,
    sql`select exists (select 1 from users) or exists (select 1 from customers) or exists (select 1 from students) as used`,
  );
  return row?.used === false;
}

// ---------------------------------------------------------------------------------------------------
// Staff, consultants and classes (a few hundred rows, through the ORM)

type Owner = { id: number; weight: number };
type ClassInfo = { id: number; start: number; price: number; courseIndex: number; label: string };

async function loadSchool(
  tx: Tx,
  input: { at: number; timezone: string; rules: PoolRules; passwordHash: string; consultantCount: number },
) {
  const { at, timezone, rules, passwordHash, consultantCount } = input;
  const founded = new Date(at - (SPAN_DAYS + 60) * DAY);
  const stamps = { createdAt: founded, updatedAt: founded };
  await syncCatalogue(tx);
  const staff = await loadStaff(tx, { founded, rules, passwordHash });

  const [sales] = await tx
    .select({ id: departments.id })
    .from(departments)
    .where(sql`${departments.code} = 200`);
  const [consultantRole] = await tx
    .select({ id: roles.id })
    .from(roles)
    .where(sql`${roles.code} = 'consultant'`);
  if (!sales || !consultantRole) throw new Error('scale data: the demo staff has no sales department');

  const rng = new Random(20_250_101);
  const generated = Array.from({ length: consultantCount }, (_, k) => ({
    username: `c${String(k + 1).padStart(4, '0')}`,
    name:
      item(SURNAMES, k % SURNAMES.length) +
      item(GIVENS, (k * 7 + Math.floor(k / SURNAMES.length)) % GIVENS.length),
    weight: rng.int(1, 3),
  }));
  const consultantRows: { id: number }[] = [];
  for (let k = 0; k < generated.length; k += 200) {
    const part = generated.slice(k, k + 200);
    consultantRows.push(
      ...(await tx
        .insert(users)
        .values(
          part.map((c, j) => ({
            username: c.username,
            name: c.name,
            passwordHash,
            email: `${c.username}@scale.banyan.school`,
            phone: `137${String(k + j + 1).padStart(8, '0')}`,
            departmentId: sales.id,
            active: true,
            notifyChannels: ['wechat', 'sms'],
            ...stamps,
          })),
        )
        .returning({ id: users.id })),
    );
  }
  for (let k = 0; k < consultantRows.length; k += 200) {
    const part = consultantRows.slice(k, k + 200);
    await tx
      .insert(userRoles)
      .values(part.map((u) => ({ userId: u.id, roleId: consultantRole.id, ...stamps })));
    await tx.insert(saleRanks).values(
      part.map((u, j) => {
        const weight = item(generated, k + j).weight;
        return { consultantId: u.id, weight, dailyQuota: weight * 15, active: true, ...stamps };
      }),
    );
  }
  const owners: Owner[] = [
    ...demoSaleRanks.map((r) => ({ id: must(staff.userId, r.consultant), weight: r.weight })),
    ...consultantRows.map((u, k) => ({ id: u.id, weight: item(generated, k).weight })),
  ];

  // Two campuses, the demo's four courses, a class of each course at each campus every ~4 months.
  const schoolRows = await tx
    .insert(schools)
    .values(demoSchools.map((title) => ({ title, ...stamps })))
    .returning({ id: schools.id });
  const courseRows = await tx
    .insert(courses)
    .values(demoCourses.map((name) => ({ name, ...stamps })))
    .returning({ id: courses.id });
  const plans: (ClassInfo & { schoolId: number; semester: number; length: number; taught: boolean })[] = [];
  schoolRows.forEach((s, si) => {
    courseRows.forEach((_, ci) => {
      let semester = 1;
      for (
        let start = at - (SPAN_DAYS + 30 - (si * 4 + ci) * 15) * DAY;
        start < at + 90 * DAY;
        start += 120 * DAY
      ) {
        plans.push({
          id: 0,
          start,
          price: item(COURSE_PRICES, ci),
          courseIndex: ci,
          label: `${item(demoCourses, ci)} ${semester}期`,
          schoolId: s.id,
          semester,
          length: 120 + ((si + ci + semester) % 4) * 10,
          taught: si === 0 && ci < 2,
        });
        semester++;
      }
    });
  });
  plans.sort((a, b) => a.start - b.start);
  const classRows = await tx
    .insert(classes)
    .values(
      plans.map((p) => ({
        schoolId: p.schoolId,
        courseId: item(courseRows, p.courseIndex).id,
        semester: p.semester,
        price: p.price.toFixed(2),
        startDate: businessDate(new Date(p.start), timezone),
        graduateDate: businessDate(new Date(p.start + p.length * DAY), timezone),
        memo: '脱产班',
        tutorId: p.courseIndex % 2 === 0 ? must(staff.userId, 'tutor') : null,
        createdAt: new Date(p.start - 40 * DAY),
        updatedAt: new Date(p.start - 40 * DAY),
      })),
    )
    .returning({ id: classes.id });
  const classInfos = plans.map((p, k) => ({ ...p, id: item(classRows, k).id }));
  const taught = classInfos.filter((c) => c.taught);
  await tx.insert(classTeachers).values(
    taught.map((c) => ({
      classId: c.id,
      teacherId: must(staff.userId, 'teacher'),
      createdAt: new Date(c.start - 40 * DAY),
      updatedAt: new Date(c.start - 40 * DAY),
    })),
  );

  return {
    owners,
    classes: classInfos.map(({ id, start, price, courseIndex, label }) => ({
      id,
      start,
      price,
      courseIndex,
      label,
    })),
    courseIds: courseRows.map((c) => c.id),
    financeId: must(staff.userId, 'finance'),
    rows: {
      departments: staff.rows.departments,
      roles: staff.rows.roles,
      role_permissions: staff.rows.role_permissions,
      users: staff.rows.users + consultantRows.length,
      user_roles: staff.rows.user_roles + consultantRows.length,
      sale_ranks: demoSaleRanks.length + consultantRows.length,
      schools: schoolRows.length,
      courses: courseRows.length,
      classes: classRows.length,
      class_teachers: taught.length,
    },
  };
}

const GIVENS = [...GIVEN_MALE, ...GIVEN_FEMALE];
const COURSE_PRICES = [19800, 16800, 18800, 17800];
const LOCATIONS = [
  '北京市海淀区',
  '北京市昌平区',
  '北京市朝阳区',
  '北京市丰台区',
  '河北省廊坊市',
  '天津市',
  '上海市浦东新区',
  '上海市闵行区',
  '江苏省苏州市',
];

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
class BulkRows {
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
const bulkTables: readonly BulkTable[] = [
  'customers',
  'customer_courses',
  'customer_distributions',
  'consult_records',
  'students',
  'student_classes',
  'payment_records',
];

function newBatch(lastId: Record<BulkTable, number>): Record<BulkTable, BulkRows> {
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

// ---------------------------------------------------------------------------------------------------
// Customers and their history

type Via = 'assigned' | 'imported' | 'grabbed' | 'manual';
type PeriodStatus = 'following' | 'enrolled' | 'released_no_followup' | 'released_no_deal' | 'reassigned';

/** One period of ownership; times in epoch milliseconds. */
type Period = {
  owner: number;
  start: number;
  /** The owner's follow-ups, oldest first; the last one is the period's `last_consult_at`. */
  consults: number[];
  status: PeriodStatus;
  /** When a closed period ended (for a released one: its deadline). */
  end: number | null;
  via: Via;
};

type Enrolment = { paidAt: number; cls: ClassInfo };

/** Contacts from the row number through bijections, so they are unique without bookkeeping. */
function phoneOf(i: number): string {
  const prefix = item(PHONE_PREFIXES, i % PHONE_PREFIXES.length);
  const q = Math.floor(i / PHONE_PREFIXES.length);
  return prefix + String((q * 7_654_321 + 12_345_679) % 100_000_000).padStart(8, '0');
}
const qqOf = (i: number) => String(100_000_000 + ((i * 48_271 + 9_973) % 900_000_000));
const WECHAT_SPACE = 36 ** 6;
const wechatOf = (i: number) =>
  `${item(WECHAT_STEMS, i % WECHAT_STEMS.length)}_${((i * 48_271 + 77_777) % WECHAT_SPACE).toString(36).padStart(6, '0')}`;

/** A weighted choice over fixed entries, by binary search on cumulative weights. */
function chooser<T>(entries: readonly (readonly [T, number])[]): (r: number) => T {
  const values = entries.map(([v]) => v);
  const cumulative: number[] = [];
  let sum = 0;
  for (const [, w] of entries) {
    sum += w;
    cumulative.push(sum);
  }
  return (r: number) => {
    const x = r * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x < item(cumulative, mid)) hi = mid;
      else lo = mid + 1;
    }
    return item(values, lo);
  };
}

const pickState = chooser<ScaleState>(STATE_WEIGHTS);
const pickGender = chooser<string | null>([
  ['male', 62],
  ['female', 36],
  [null, 2],
]);
const pickSource = chooser([
  ['baidu', 18],
  ['website', 12],
  ['qq_group', 10],
  ['tencent_classroom', 10],
  ['referral', 7],
  ['seo', 6],
  ['so360', 4],
  ['sogou', 4],
  ['gdt', 4],
  ['campus_talk', 5],
  ['agent', 3],
  ['cto51', 3],
  ['zhihuitui', 2],
  ['union', 2],
  ['dsp', 2],
  ['other', 3],
] as const);
const pickEducation = chooser<string | null>([
  ['key_university', 6],
  ['regular_university', 24],
  ['independent_college', 8],
  ['private_university', 8],
  ['junior_college', 30],
  ['private_junior_college', 10],
  ['high_school', 10],
  ['other', 4],
  [null, 4],
]);
const pickExperience = chooser<string | null>([
  ['student', 12],
  ['fresh_graduate', 18],
  ['under_half_year', 12],
  ['half_to_one_year', 14],
  ['one_to_three_years', 24],
  ['three_to_five_years', 12],
  ['over_five_years', 8],
  [null, 3],
]);
const pickClassType = chooser<string | null>([
  ['fulltime', 60],
  ['weekend', 22],
  ['online', 14],
  [null, 4],
]);
const pickCourse = chooser([
  [0, 4],
  [1, 2],
  [2, 3],
  [3, 2],
] as const);
const pickChannel = chooser([
  ['phone', 50],
  ['wechat', 25],
  ['qq', 10],
  ['visit', 10],
  ['other', 5],
] as const);
const pickFirstVia = chooser<Via>([
  ['assigned', 6],
  ['imported', 3],
  ['manual', 1],
]);
const pickLaterVia = chooser<Via>([
  ['grabbed', 4],
  ['manual', 1],
]);
const pickConsults = chooser([
  [0, 15],
  [1, 25],
  [2, 25],
  [3, 20],
  [4, 15],
] as const);
const pickChainLength = chooser([
  [1, 60],
  [2, 28],
  [3, 12],
] as const);
const pickPayments = chooser([
  ['both', 45],
  ['tuition', 35],
  ['deposit', 20],
] as const);
const REASSIGN_MEMOS = [
  '客户要求更换顾问',
  '顾问请假，转交跟进',
  '客户想报周末班，转给熟悉周末班的顾问',
  '主管调整分配',
];
const GRAB_NOTE = '从公共池抢单后首次联系，客户仍有意向';

class Generator {
  readonly states: Record<ScaleState, number> = {
    following: 0,
    expired_unswept: 0,
    released: 0,
    unassigned: 0,
    enrolled: 0,
  };
  private readonly rng = new Random(20_250_601);
  private readonly at: number;
  private readonly atDate: Date;
  private readonly rules: PoolRules;
  private readonly total: number;
  private readonly owners: readonly Owner[];
  private readonly pickOwner: (r: number) => number;
  private readonly classes: readonly ClassInfo[];
  private readonly courseIds: readonly number[];
  private readonly financeId: number;
  /** Follow-up and deal windows in milliseconds. */
  private readonly follow: number;
  private readonly deal: number;
  /** Rows generated so far in each table. */
  get counts(): Record<BulkTable, number> {
    return { ...this.lastId };
  }

  /** The last id given in each table (ids start at 1: the tables were empty). */
  private readonly lastId: Record<BulkTable, number> = {
    customers: 0,
    customer_courses: 0,
    customer_distributions: 0,
    consult_records: 0,
    payment_records: 0,
    students: 0,
    student_classes: 0,
  };

  constructor(input: {
    at: number;
    rules: PoolRules;
    total: number;
    owners: readonly Owner[];
    classes: readonly ClassInfo[];
    courseIds: readonly number[];
    financeId: number;
  }) {
    this.at = input.at;
    this.atDate = new Date(input.at);
    this.rules = input.rules;
    this.total = input.total;
    this.owners = input.owners;
    this.pickOwner = chooser(input.owners.map((o, k) => [k, o.weight] as const));
    this.classes = input.classes;
    this.courseIds = input.courseIds;
    this.financeId = input.financeId;
    this.follow = input.rules.followUpDays * DAY;
    this.deal = input.rules.dealDays * DAY;
  }

  /**
   * Customers `from` … `to − 1` (ids `from + 1` …) with everything that hangs off them. Referrals point
   * at customers with ids up to `referableBelow` (committed before this batch is written), or, when
   * there are none, at earlier customers of the same batch (written by the same statement).
   */
  batch(from: number, to: number, referableBelow: number): Record<BulkTable, BulkRows> {
    const rows = newBatch(this.lastId);
    for (let i = from; i < to; i++) {
      const referable = referableBelow > 0 ? { lo: 1, n: referableBelow } : { lo: from + 1, n: i - from };
      this.customer(i, rows, referable);
    }
    return rows;
  }

  private between(min: number, max: number): number {
    return this.rng.between(min, max);
  }

  private anotherOwner(previous: number): number {
    if (this.owners.length < 2) return previous;
    for (;;) {
      const k = this.pickOwner(this.rng.next());
      if (k !== previous) return k;
    }
  }

  private customer(i: number, rows: Record<BulkTable, BulkRows>, referable: { lo: number; n: number }): void {
    const { rng, at } = this;
    const id = i + 1;
    const step = (SPAN_DAYS * DAY) / this.total;
    const createdAt = Math.round(at - SPAN_DAYS * DAY + (i + rng.next()) * step);
    const first = Math.round(createdAt + this.between(0, 0.1) * DAY);

    // The history, by state; a customer too young for its state takes the next that fits.
    let state = pickState(rng.next());
    let periods: Period[] | null = null;
    let enrolment: Enrolment | null = null;
    for (;;) {
      if (state === 'unassigned') {
        periods = [];
        break;
      }
      if (state === 'released') periods = this.released(first);
      else if (state === 'enrolled') {
        const e = this.enrolled(createdAt, first);
        if (e) {
          enrolment = e.enrolment;
          periods = e.periods;
        }
      } else periods = state === 'following' ? this.following(first) : this.expired(first);
      if (periods) break;
      state = state === 'following' ? 'unassigned' : 'following';
    }
    this.assignOwnersAndVias(periods, createdAt);
    this.states[state]++;

    // The customer row.
    const last = periods.at(-1);
    const owned = last !== undefined && (last.status === 'following' || last.status === 'enrolled');
    const status = enrolment ? 'enrolled' : 'unregistered';
    const consultantId = owned ? item(this.owners, last.owner).id : null;
    const recvAt = owned ? last.start : null;
    const lastConsultAt = owned ? (last.consults.at(-1) ?? last.start) : null;
    const fields = {
      status,
      consultantId,
      recvAt: recvAt === null ? null : new Date(recvAt),
      lastConsultAt: lastConsultAt === null ? null : new Date(lastConsultAt),
    };
    const publicSince = owned ? null : new Date(last?.end ?? createdAt);
    const releaseAt = releaseAtFor({ ...fields, publicSince }, this.rules);
    // Guard: the state is what the live rule says.
    const live = isPublic(fields, this.rules, this.atDate);
    if (live !== (state === 'expired_unswept' || state === 'released' || state === 'unassigned')) {
      throw new Error(`scale data: customer ${id} (${state}) is ${live ? '' : 'not '}public`);
    }

    const gender = pickGender(rng.next());
    const name = rng.pick(SURNAMES) + rng.pick(gender === 'female' ? GIVEN_FEMALE : GIVEN_MALE);
    const education = pickEducation(rng.next());
    const experience = pickExperience(rng.next());
    const workStatus =
      experience === 'student' || experience === 'fresh_graduate'
        ? 'unemployed'
        : experience === null
          ? null
          : rng.chance(0.72)
            ? 'employed'
            : 'unemployed';
    const noSchool = education === 'high_school' || education === 'other' || education === null;
    const hasQq = rng.chance(0.35);
    const hasWechat = rng.chance(0.3);
    const hasPhone = rng.chance(0.88) || (!hasQq && !hasWechat);
    const source = pickSource(rng.next());
    const referralFrom =
      source === 'referral' && referable.n > 0 ? referable.lo + Math.floor(rng.next() * referable.n) : null;
    const company = workStatus === 'employed' ? rng.pick(COMPANIES) : '';

    let updatedAt = createdAt;
    for (const p of periods) {
      updatedAt = Math.max(updatedAt, p.end ?? p.start, p.consults.at(-1) ?? p.start);
    }
    const payments = enrolment ? this.payments(enrolment) : [];
    for (const p of payments) updatedAt = Math.max(updatedAt, p.confirmedAt ?? p.paidAt);

    const customerId = rows.customers.add(
      name,
      hasPhone ? phoneOf(i) : null,
      hasQq ? qqOf(i) : null,
      hasWechat ? wechatOf(i) : null,
      gender,
      education,
      noSchool ? '' : rng.pick(SCHOOLS),
      noSchool ? '' : rng.pick(MAJORS),
      experience,
      workStatus,
      company,
      workStatus === 'employed' ? rng.pick(SALARIES) : '',
      source,
      referralFrom,
      pickClassType(rng.next()),
      rng.pick(CUSTOMER_NOTES),
      status,
      consultantId,
      recvAt,
      lastConsultAt,
      releaseAt === null ? null : releaseAt.getTime(),
      createdAt,
      updatedAt,
    );
    if (customerId !== id) throw new Error(`scale data: customer ${id} got id ${customerId}`);

    // Interested courses: the enrolled class's course first.
    const interested = [enrolment ? enrolment.cls.courseIndex : pickCourse(rng.next())];
    if (rng.chance(0.3)) {
      const second = rng.int(0, this.courseIds.length - 1);
      if (!interested.includes(second)) interested.push(second);
    }
    for (const c of interested) rows.customer_courses.add(id, item(this.courseIds, c), createdAt, createdAt);

    // Ownership history and follow-ups.
    for (const p of periods) {
      const consultant = item(this.owners, p.owner).id;
      const memo =
        p.status === 'released_no_followup'
          ? '三天未跟进，自动释放'
          : p.status === 'released_no_deal'
            ? '十五天未成单，自动释放'
            : p.status === 'reassigned'
              ? rng.pick(REASSIGN_MEMOS)
              : p.via === 'imported'
                ? '批量导入'
                : p.via === 'manual'
                  ? '主管指派'
                  : p.via === 'grabbed'
                    ? '公共池抢单'
                    : '';
      const periodUpdated = Math.max(p.end ?? p.start, p.consults.at(-1) ?? p.start);
      rows.customer_distributions.add(
        id,
        consultant,
        p.start,
        p.end,
        p.status,
        p.via,
        memo,
        p.start,
        periodUpdated,
      );
      // The last follow-up of an enrolment is the visit at which they paid.
      const paidVisit = enrolment && p.status === 'enrolled' ? `到校缴费，报名${enrolment.cls.label}` : null;
      p.consults.forEach((t, k) => {
        const visit = paidVisit !== null && k === p.consults.length - 1;
        const note = visit ? paidVisit : k === 0 && p.via === 'grabbed' ? GRAB_NOTE : rng.pick(CONSULT_NOTES);
        rows.consult_records.add(id, consultant, t, visit ? 'visit' : pickChannel(rng.next()), note, t, t);
      });
    }

    // Enrolment: payments, the student and their class.
    if (enrolment) {
      const { paidAt, cls } = enrolment;
      const emergency = `${rng.pick(EMERGENCY_RELATIONS)} ${rng.pick(PHONE_PREFIXES)}${rng.digits(8)}`;
      const studentId = rows.students.add(id, emergency, company, rng.pick(LOCATIONS), paidAt, paidAt);
      rows.student_classes.add(studentId, cls.id, 'active', paidAt, paidAt);
      for (const p of payments) {
        rows.payment_records.add(
          id,
          cls.id,
          p.payType,
          p.paidFee.toFixed(2),
          cls.price.toFixed(2),
          p.turnover.toFixed(2),
          consultantId,
          p.note,
          p.paidAt,
          p.confirmedAt === null ? null : this.financeId,
          p.confirmedAt,
          p.paidAt,
          p.confirmedAt ?? p.paidAt,
        );
      }
    }
  }

  // --- Periods. Owners and vias are filled in afterwards (assignOwnersAndVias).

  private period(start: number, consults: number[], status: PeriodStatus, end: number | null): Period {
    return { owner: 0, start, consults, status, end, via: 'assigned' };
  }

  /** `count` follow-ups ending exactly at `last`, each within the follow-up window of the one before. */
  private backward(last: number, count: number): number[] {
    const times = [last];
    let t = last;
    for (let k = 1; k < count; k++) {
      t = Math.round(t - this.between(0.1, 0.73) * this.follow);
      times.unshift(t);
    }
    return times;
  }

  /** Drops follow-ups at or before `start`; the period then starts at `start`. */
  private startNoEarlierThan(p: Period, start: number): Period {
    if (p.start >= start) return p;
    return { ...p, start, consults: p.consults.filter((t) => t > start) };
  }

  /** A period the sweep closed at its deadline, starting at `start`, with at most `budget` follow-ups. */
  private releasedPeriod(start: number, budget: number): Period {
    const consults: number[] = [];
    let t = start;
    if (budget >= 7 && this.rng.chance(0.3)) {
      // Followed up, never closed: released when the deal window ran out.
      while (t <= start + this.deal - this.follow) {
        t = Math.round(t + this.between(0.75, 0.95) * this.follow);
        consults.push(t);
      }
    } else {
      const count = this.rng.chance(0.25) ? 0 : this.rng.int(0, Math.min(4, budget));
      for (let k = 0; k < count; k++) {
        t = Math.round(t + this.between(0.1, 0.93) * this.follow);
        if (t >= start + this.deal) break;
        consults.push(t);
      }
    }
    const last = consults.at(-1);
    const deadline = releaseDeadline(
      { recvAt: new Date(start), lastConsultAt: last === undefined ? null : new Date(last) },
      this.rules,
    );
    return this.period(start, consults, `released_${deadline.reason}`, deadline.at.getTime());
  }

  /** Released periods one after another from `first`, all over by `limit`. */
  private chain(first: number, limit: number, count: number, budget: number, maxGapDays: number): Period[] {
    const periods: Period[] = [];
    let start = first;
    for (let k = 0; k < count; k++) {
      const p = this.releasedPeriod(start, budget);
      if ((p.end ?? 0) > limit) break;
      periods.push(p);
      budget -= p.consults.length;
      start = Math.round((p.end ?? 0) + this.between(0.05, maxGapDays) * DAY);
    }
    return periods;
  }

  /** Earlier history before the final period(s): none for a customer received at creation. */
  private withHistory(first: number, final: Period[]): Period[] {
    const budget = CONSULT_BUDGET - final.reduce((n, p) => n + p.consults.length, 0);
    const head = item(final, 0);
    const limit = head.start - 0.05 * DAY;
    if (head.start - first < this.follow) return final;
    const count = this.rng.chance(0.7) ? 1 : 2;
    const maxGap = Math.max(0.05, Math.min(60, (limit - first) / DAY / (count + 1)));
    return [...this.chain(first, limit, Math.min(count, 3 - final.length), budget, maxGap), ...final];
  }

  /** Sometimes the final owner took over from a colleague by reassignment. */
  private maybeReassigned(final: Period, first: number, chance: number): Period[] {
    if (!this.rng.chance(chance)) return [final];
    const handed = final.start;
    const consults = this.backward(
      Math.round(handed - this.between(0.03, 0.8) * this.follow),
      this.rng.int(1, 2),
    );
    const start = Math.round(item(consults, 0) - this.between(0.02, 0.5) * this.follow);
    if (start < first) return [final];
    return [this.period(start, consults, 'reassigned', handed), final];
  }

  /** Owned and followed up: both deadlines still ahead. */
  private following(first: number): Period[] | null {
    const { at, follow } = this;
    const count = pickConsults(this.rng.next());
    let p: Period;
    if (count === 0) {
      p = this.period(Math.round(at - this.between(0.01, 0.95) * follow), [], 'following', null);
    } else {
      const consults = this.backward(Math.round(at - this.between(0.003, 0.93) * follow), count);
      p = this.period(
        Math.round(item(consults, 0) - this.between(0.01, 0.7) * follow),
        consults,
        'following',
        null,
      );
    }
    p = this.startNoEarlierThan(p, first);
    if (p.start > at - 0.001 * DAY) return null;
    return this.withHistory(first, this.maybeReassigned(p, first, 0.12));
  }

  /** Owned, past a deadline in the last day, not yet swept. */
  private expired(first: number): Period[] | null {
    const { at, follow, deal } = this;
    const deadline = Math.round(at - this.between(0.001, 0.99) * DAY);
    let p: Period | null = null;
    if (this.rng.chance(0.3)) {
      // Followed up until the deal window closed.
      const start = deadline - deal;
      const consults: number[] = [];
      let t = start;
      while (t <= start + deal - follow) {
        t = Math.round(t + this.between(0.75, 0.95) * follow);
        consults.push(t);
      }
      if (start >= first) p = this.period(start, consults, 'following', null);
    }
    if (!p) {
      // Not followed up for the follow-up window (perhaps never).
      const last = deadline - follow;
      const count = pickConsults(this.rng.next());
      const consults = count === 0 ? [] : this.backward(last, count);
      const start = count === 0 ? last : Math.round(item(consults, 0) - this.between(0.01, 0.7) * follow);
      p = this.startNoEarlierThan(this.period(start, consults, 'following', null), first);
      if (p.start > last) return null;
      if (p.consults.length === 0 && p.start !== last) p = { ...p, start: last };
    }
    return this.withHistory(first, this.maybeReassigned(p, first, 0.05));
  }

  /** Released into the pool (now unowned) after one to three periods. */
  private released(first: number): Period[] | null {
    const periods = this.chain(first, this.at, pickChainLength(this.rng.next()), CONSULT_BUDGET, 45);
    return periods.length > 0 ? periods : null;
  }

  /** Paid for a class at a visit, within a period that had not expired. */
  private enrolled(createdAt: number, first: number): { periods: Period[]; enrolment: Enrolment } | null {
    const { at, follow } = this;
    const room = at - 0.01 * DAY - (createdAt + 0.3 * DAY);
    if (room <= 0) return null;
    let paidAt = Math.round(createdAt + (0.3 + 120 * this.rng.next() ** 3) * DAY);
    if (paidAt > at - 0.01 * DAY) paidAt = Math.round(createdAt + 0.3 * DAY + this.rng.next() * room);
    const consults = this.backward(paidAt, 1 + Math.min(4, pickConsults(this.rng.next())));
    const start = Math.round(item(consults, 0) - this.between(0.01, 0.7) * follow);
    const p = this.startNoEarlierThan(this.period(start, consults, 'enrolled', null), first);
    // A class starting after the payment (there are classes until three months after `at`).
    let k = this.classes.findIndex((c) => c.start >= paidAt);
    if (k < 0) k = this.classes.length - 1;
    const cls = item(this.classes, Math.min(this.classes.length - 1, k + this.rng.int(0, 2)));
    return {
      periods: this.withHistory(first, this.maybeReassigned(p, first, 0.05)),
      enrolment: { paidAt, cls },
    };
  }

  /** Owners (a colleague after each change) and how each period began. */
  private assignOwnersAndVias(periods: Period[], createdAt: number): void {
    periods.forEach((p, k) => {
      const before = periods[k - 1];
      if (!before) {
        p.owner = this.pickOwner(this.rng.next());
        p.via =
          p.start - createdAt <= 0.15 * DAY ? pickFirstVia(this.rng.next()) : pickLaterVia(this.rng.next());
      } else {
        p.owner = this.anotherOwner(before.owner);
        p.via = before.status === 'reassigned' ? 'manual' : pickLaterVia(this.rng.next());
      }
    });
  }

  /** Deposit and tuition, tuition only, or a deposit so far. */
  private payments({ paidAt, cls }: Enrolment) {
    const { rng, at } = this;
    const turnover = cls.price - rng.pick([0, 0, 500, 1000, 2000]);
    const mode = pickPayments(rng.next());
    const deposit = rng.pick([1000, 2000]);
    const confirm = (t: number) =>
      t <= at - 1.5 * DAY && rng.chance(0.9) ? Math.round(t + this.between(0.1, 1.2) * DAY) : null;
    const payment = (payType: 'deposit' | 'tuition', paidFee: number, t: number, note: string) => ({
      payType,
      paidFee,
      turnover,
      paidAt: t,
      confirmedAt: confirm(t),
      note,
    });
    const list = [];
    if (mode !== 'tuition') {
      list.push(payment('deposit', deposit, paidAt, mode === 'deposit' ? '订金，余款开班后补齐' : '订金'));
    }
    if (mode === 'both') {
      const t = Math.round(Math.max(paidAt, Math.min(paidAt + this.between(1, 6) * DAY, at - 0.01 * DAY)));
      list.push(payment('tuition', turnover - deposit, t, rng.pick(['学费尾款，刷卡', '学费尾款，转账'])));
    }
    if (mode === 'tuition') {
      list.push(payment('tuition', turnover, paidAt, rng.pick(['全款，刷卡', '全款，转账', '全款，分期乐'])));
    }
    return list;
  }
}

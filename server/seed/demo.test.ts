import { and, asc, count, eq, lte, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/db.ts';
import { customersWithHistory, rowCounts } from '../../test/read-back.ts';
import { permissionCodes } from '../auth/catalogue.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { addDays } from '../clock.ts';
import { type Database, type Db, queryRows } from '../db/client.ts';
import {
  attendance,
  classType,
  customerSource,
  distributionStatus,
  distributionVia,
  education,
  experience,
  gender,
  workStatus,
} from '../db/schema/enums.ts';
import {
  classes,
  courseRecords,
  customerDistributions,
  customers,
  paymentRecords,
  roles,
  studentClasses,
  students,
  studyRecords,
  userRoles,
  users,
} from '../db/schema/index.ts';
import { DEFAULT_POOL_RULES, isPublic, releaseAtFor, releaseDeadline } from '../modules/pool/rules.ts';
import {
  type DemoCustomerState,
  type DemoSummary,
  demoCustomerStates,
  isDatabaseEmpty,
  seedDemo,
} from './demo.ts';

const at = new Date('2025-03-15T04:30:00.000Z');
const password = 'demo-password-1';
const rules = DEFAULT_POOL_RULES;

let database: Database;
let db: Db;
let summary: DemoSummary;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  expect(await isDatabaseEmpty(db)).toBe(true);
  const started = performance.now();
  summary = await seedDemo(db, { password, at });
  console.log(`seedDemo took ${Math.round(performance.now() - started)} ms on ${database.kind}`, summary);
});

afterAll(async () => {
  await database?.close();
});

const TABLES = [
  'customers',
  'customer_distributions',
  'consult_records',
  'payment_records',
  'users',
  'roles',
  'role_permissions',
  'students',
  'course_records',
  'study_records',
  'classes',
  'departments',
  'sale_ranks',
  'pool_settings',
] as const;
const tableCounts = () => rowCounts(db, TABLES);

type CustomerRow = typeof customers.$inferSelect;

type DistributionRow = typeof customerDistributions.$inferSelect;

/** The state of a customer, read back from the database alone. */
function classify(c: CustomerRow, history: DistributionRow[]): DemoCustomerState {
  if (c.status === 'enrolled') return 'enrolled';
  const last = history.at(-1);
  if (!last) return 'pool_unassigned';
  if (c.consultantId === null) return last.status as 'released_no_followup' | 'released_no_deal';
  if (isPublic(c, rules, at)) return 'expired_unswept';
  const previous = history.at(-2);
  if (previous?.status === 'reassigned') return 'reassigned';
  if (previous?.status.startsWith('released_')) return 'grabbed';
  const releaseAt = c.releaseAt?.getTime() ?? Number.POSITIVE_INFINITY;
  return releaseAt - at.getTime() <= 86_400_000 ? 'expiring' : 'following';
}

describe('the demo school', () => {
  it('has the staff of docs/spec.md §8 with their roles and the password', async () => {
    const rows = await db
      .select({
        username: users.username,
        name: users.name,
        active: users.active,
        role: roles.code,
        hash: users.passwordHash,
      })
      .from(users)
      .innerJoin(userRoles, eq(userRoles.userId, users.id))
      .innerJoin(roles, eq(roles.id, userRoles.roleId))
      .orderBy(asc(users.id));
    expect(Object.fromEntries(rows.map((r) => [r.username, r.role]))).toEqual({
      admin: 'admin',
      manager: 'sales_manager',
      sanjiang: 'consultant',
      baoyu: 'consultant',
      dasha: 'consultant',
      teacher: 'teacher',
      tutor: 'tutor',
      finance: 'finance',
    });
    expect(
      rows.filter((r) => ['sanjiang', 'baoyu', 'dasha'].includes(r.username)).map((r) => r.name),
    ).toEqual(['三江', '暴雨', '大傻']);
    expect(rows.every((r) => r.active)).toBe(true);
    expect(new Set(rows.map((r) => r.hash)).size).toBe(1);
    expect(await verifyPassword(rows[0]?.hash ?? null, password)).toBe(true);

    const [admin] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from role_permissions rp join roles r on r.id = rp.role_id where r.code = 'admin'`,
    );
    expect(admin?.n).toBe(permissionCodes.length);
  });

  it('returns counts that match the database', async () => {
    const counts = await tableCounts();
    for (const [name, n] of Object.entries(counts)) {
      expect(summary.rows[name as keyof DemoSummary['rows']], name).toBe(n);
    }
    expect(summary.rows.customers).toBeGreaterThanOrEqual(190);
    expect(summary.rows.customers).toBeLessThanOrEqual(210);
    const byState = Object.values(summary.customers).reduce((a, b) => a + b, 0);
    expect(byState).toBe(summary.rows.customers);
  });

  it('has customers in every state, read back from the database, as the summary counts them', async () => {
    const { all, historyOf: byCustomer } = await customersWithHistory(db);
    const found = Object.fromEntries(demoCustomerStates.map((s) => [s, 0])) as Record<
      DemoCustomerState,
      number
    >;
    for (const c of all) found[classify(c, byCustomer.get(c.id) ?? [])]++;
    expect(found).toEqual(summary.customers);
    for (const state of demoCustomerStates) expect(summary.customers[state], state).toBeGreaterThan(0);
  });

  it('has 龙泰, 小东北 and 泰哥 in their states', async () => {
    const consultant = new Map(
      (await db.select({ id: users.id, username: users.username }).from(users)).map((u) => [
        u.username,
        u.id,
      ]),
    );
    const named = async (name: string) => {
      const [c] = await db.select().from(customers).where(eq(customers.name, name));
      if (!c) throw new Error(`${name} is missing`);
      const history = await db
        .select()
        .from(customerDistributions)
        .where(eq(customerDistributions.customerId, c.id))
        .orderBy(asc(customerDistributions.startedAt));
      return { c, history };
    };

    const longtai = await named('龙泰');
    expect(longtai.c.consultantId).toBe(consultant.get('sanjiang'));
    expect(longtai.c.status).toBe('unregistered');
    expect(longtai.history.map((d) => d.status)).toEqual(['following']);
    expect(isPublic(longtai.c, rules, at)).toBe(false);

    const xiaodongbei = await named('小东北');
    expect(xiaodongbei.c.consultantId).toBeNull();
    expect(xiaodongbei.history.map((d) => [d.status, d.consultantId])).toEqual([
      ['released_no_followup', consultant.get('baoyu')],
    ]);
    expect(xiaodongbei.c.releaseAt).toEqual(xiaodongbei.history[0]?.endedAt);
    expect(xiaodongbei.c.releaseAt!.getTime()).toBeLessThanOrEqual(at.getTime());

    const taige = await named('泰哥');
    expect(taige.c.status).toBe('enrolled');
    expect(taige.c.consultantId).toBe(consultant.get('dasha'));
    expect(taige.c.releaseAt).toBeNull();
    const payments = await db.select().from(paymentRecords).where(eq(paymentRecords.customerId, taige.c.id));
    // Enrolment ends the period at the first deposit or tuition payment.
    const firstPaid = new Date(Math.min(...payments.map((p) => p.paidAt.getTime())));
    expect(taige.history.map((d) => [d.status, d.endedAt])).toEqual([['enrolled', firstPaid]]);
    expect(payments.map((p) => p.payType).sort()).toEqual(['deposit', 'tuition']);
    expect(payments.every((p) => p.consultantId === consultant.get('dasha'))).toBe(true);
    expect(payments.every((p) => p.confirmedBy === consultant.get('finance'))).toBe(true);
    const [student] = await db
      .select({ classId: studentClasses.classId })
      .from(students)
      .innerJoin(studentClasses, eq(studentClasses.studentId, students.id))
      .where(eq(students.customerId, taige.c.id));
    expect(student?.classId).toBe(payments[0]?.classId);
  });

  it('keeps release_at in step with the live rule, so the pool query is the public set', async () => {
    const { all, historyOf: byCustomer } = await customersWithHistory(db);
    const pool = await db
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.status, 'unregistered'), lte(customers.releaseAt, at)));
    const live = all.filter((c) => isPublic(c, rules, at)).map((c) => c.id);
    expect(pool.map((c) => c.id).sort((a, b) => a - b)).toEqual(live.sort((a, b) => a - b));
    expect(live.length).toBeGreaterThan(0);

    for (const c of all) {
      const last = byCustomer.get(c.id)?.at(-1);
      const publicSince = c.consultantId === null ? (last?.endedAt ?? c.createdAt) : null;
      expect(c.releaseAt, c.name).toEqual(releaseAtFor({ ...c, publicSince }, rules));
    }
  });

  it('keeps every ownership history consistent with its customer', async () => {
    const { all, historyOf: byCustomer, consultsOf } = await customersWithHistory(db);
    for (const c of all) {
      const periods = byCustomer.get(c.id) ?? [];
      expect(periods.filter((d) => d.status === 'following').length, c.name).toBeLessThanOrEqual(1);
      periods.forEach((d, i) => {
        const next = periods[i + 1];
        if (next) expect(d.endedAt!.getTime(), c.name).toBeLessThanOrEqual(next.startedAt.getTime());
        else
          expect(d.status === 'following' || d.status === 'enrolled' || c.consultantId === null).toBe(true);
        if (d.status.startsWith('released_')) {
          // Closed by the sweep at the deadline the rules give for that period's clocks.
          const own = (consultsOf.get(c.id) ?? []).filter(
            (r) => r.consultantId === d.consultantId && r.at >= d.startedAt && r.at <= d.endedAt!,
          );
          const lastConsultAt = own.length ? new Date(Math.max(...own.map((r) => r.at.getTime()))) : null;
          const deadline = releaseDeadline({ recvAt: d.startedAt, lastConsultAt }, rules);
          expect(d.endedAt, c.name).toEqual(deadline.at);
          expect(d.status, c.name).toBe(`released_${deadline.reason}`);
        }
      });
      const open = periods.at(-1);
      if (c.consultantId === null) {
        expect(c.status).toBe('unregistered');
        expect(open === undefined || open.endedAt !== null).toBe(true);
        continue;
      }
      // Owned: the open period is the owner's and both clocks are set (docs/spec.md §3 "New ownership").
      expect(open?.consultantId, c.name).toBe(c.consultantId);
      expect(open?.status).toBe(c.status === 'enrolled' ? 'enrolled' : 'following');
      // Following periods are open; an enrolled one ended at the payment.
      expect(open?.endedAt === null).toBe(c.status !== 'enrolled');
      expect(c.recvAt).toEqual(open?.startedAt);
      const own = (consultsOf.get(c.id) ?? []).filter(
        (r) => r.consultantId === c.consultantId && r.at >= c.recvAt!,
      );
      const newest = own.length ? new Date(Math.max(...own.map((r) => r.at.getTime()))) : c.recvAt;
      expect(c.lastConsultAt, c.name).toEqual(newest);
    }
  });

  it('enrols customers with payments, students and a class each', async () => {
    const enrolled = await db.select().from(customers).where(eq(customers.status, 'enrolled'));
    const payments = await db.select().from(paymentRecords);
    const studentRows = await db.select().from(students);
    expect(studentRows.length).toBe(enrolled.length);
    for (const c of enrolled) {
      const own = payments.filter((p) => p.customerId === c.id);
      expect(own.length, c.name).toBeGreaterThan(0);
      expect(own.every((p) => p.consultantId === c.consultantId)).toBe(true);
      expect(studentRows.some((s) => s.customerId === c.id)).toBe(true);
    }
    expect(payments.some((p) => p.confirmedBy !== null)).toBe(true);
    expect(payments.some((p) => p.confirmedBy === null)).toBe(true);
  });

  it('gives every class students, lessons and one study record per student per lesson', async () => {
    const perClass = await queryRows<{
      id: number;
      students: number;
      lessons: number;
      records: number;
      missing: number;
    }>(
      db,
      sql`select c.id,
            (select count(*)::int from student_classes sc where sc.class_id = c.id and sc.status = 'active') as students,
            (select count(*)::int from course_records cr where cr.class_id = c.id) as lessons,
            (select count(*)::int from study_records sr join course_records cr on cr.id = sr.course_record_id
              where cr.class_id = c.id) as records,
            (select count(*)::int from student_classes sc join course_records cr on cr.class_id = sc.class_id
              left join study_records sr on sr.course_record_id = cr.id and sr.student_id = sc.student_id
              where sc.class_id = c.id and sr.id is null) as missing
          from classes c order by c.id`,
    );
    expect(perClass).toHaveLength(3);
    for (const c of perClass) {
      expect(c.students).toBeGreaterThanOrEqual(8);
      expect(c.students).toBeLessThanOrEqual(15);
      expect(c.lessons).toBeGreaterThanOrEqual(6);
      expect(c.lessons).toBeLessThanOrEqual(10);
      expect(c.records).toBe(c.students * c.lessons);
      expect(c.missing).toBe(0);
    }
    const lessons = await db.select().from(courseRecords);
    expect(lessons.every((l) => l.date < at.toISOString().slice(0, 10))).toBe(true);
    const [taught] = await queryRows<{ n: number }>(
      db,
      sql`select count(distinct ct.class_id)::int as n from class_teachers ct join users u on u.id = ct.teacher_id
          where u.username = 'teacher'`,
    );
    expect(taught?.n).toBe(2);
    const tutored = await db
      .select({ id: classes.id })
      .from(classes)
      .where(sql`${classes.tutorId} is not null`);
    expect(tutored).toHaveLength(1);

    const records = await db.select().from(studyRecords);
    expect(new Set(records.map((r) => r.attendance))).toEqual(new Set(attendance.codes));
    expect(records.filter((r) => r.score === -100)).toHaveLength(1);
    expect(records.filter((r) => r.score >= 0).length).toBeGreaterThan(records.length * 0.8);
    // Someone missed two lessons in a row.
    const [streak] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from study_records a
          join course_records ca on ca.id = a.course_record_id
          join course_records cb on cb.class_id = ca.class_id and cb.day_num = ca.day_num + 1
          join study_records b on b.course_record_id = cb.id and b.student_id = a.student_id
          where a.attendance = 'noshow' and b.attendance = 'noshow'`,
    );
    expect(streak?.n).toBeGreaterThan(0);
  });

  it('uses every enumeration of the customer and distribution', async () => {
    const all = await db.select().from(customers);
    const history = await db.select().from(customerDistributions);
    const used = (values: (string | null)[]) => new Set(values.filter((v) => v !== null));
    expect(used(all.map((c) => c.gender))).toEqual(new Set(gender.codes));
    expect(used(all.map((c) => c.education))).toEqual(new Set(education.codes));
    expect(used(all.map((c) => c.experience))).toEqual(new Set(experience.codes));
    expect(used(all.map((c) => c.workStatus))).toEqual(new Set(workStatus.codes));
    expect(used(all.map((c) => c.source))).toEqual(new Set(customerSource.codes));
    expect(used(all.map((c) => c.classType))).toEqual(new Set(classType.codes));
    expect(used(history.map((d) => d.status))).toEqual(new Set(distributionStatus.codes));
    expect(used(history.map((d) => d.via))).toEqual(new Set(distributionVia.codes));
    expect(all.some((c) => c.qq !== null) && all.some((c) => c.wechat !== null)).toBe(true);
    expect(all.some((c) => c.referralFromId !== null)).toBe(true);
    const oldest = Math.min(...all.map((c) => c.createdAt.getTime()));
    expect(oldest).toBeLessThan(addDays(at, -40).getTime());
    expect(oldest).toBeGreaterThanOrEqual(addDays(at, -65).getTime());
  });

  it('refuses to seed twice and changes nothing', async () => {
    const before = await tableCounts();
    expect(await isDatabaseEmpty(db)).toBe(false);
    await expect(seedDemo(db, { password, at: addDays(at, 1) })).rejects.toThrow(/already has users/);
    expect(await tableCounts()).toEqual(before);
    const [total] = await db.select({ n: count() }).from(customers);
    expect(total?.n).toBe(summary.rows.customers);
  });

  it('looks the same relative to its day on every database', async () => {
    const other = await createTestDatabase();
    try {
      const later = addDays(at, 37.25);
      const otherSummary = await seedDemo(other.db, { password, at: later });
      expect(otherSummary).toEqual(summary);
      const shape = async (d: Db, when: Date) =>
        (await d.select().from(customers).orderBy(asc(customers.id))).map((c) => [
          c.name,
          c.phone,
          c.qq,
          c.wechat,
          c.source,
          c.createdAt.getTime() - when.getTime(),
          c.releaseAt === null ? null : c.releaseAt.getTime() - when.getTime(),
        ]);
      expect(await shape(other.db, later)).toEqual(await shape(db, at));
    } finally {
      await other.close();
    }
  });
});

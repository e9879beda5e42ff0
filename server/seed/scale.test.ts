import { and, asc, eq, lte, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/db.ts';
import { customersWithHistory, groupBy, rowCounts } from '../../test/read-back.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { addDays } from '../clock.ts';
import { type Database, type Db, queryRows } from '../db/client.ts';
import {
  customerCourses,
  customerDistributions,
  customers,
  paymentRecords,
  saleRanks,
  studentClasses,
  students,
  users,
} from '../db/schema/index.ts';
import { normalisePhone, normaliseQq, normaliseWechat } from '../modules/customers/contacts.ts';
import { DEFAULT_POOL_RULES, isPublic, releaseAtFor, releaseDeadline } from '../modules/pool/rules.ts';
import { demoUsers } from './demo/staff.ts';
import { type ScaleState, type ScaleSummary, scaleStates, seedScale } from './scale.ts';

const at = new Date('2025-03-15T04:30:00.000Z');
const password = 'scale-password-1';
const rules = DEFAULT_POOL_RULES;
const N = 2000;
/** Several batches, so two are in flight at once on PostgreSQL. */
const BATCH = 400;

let database: Database;
let db: Db;
let summary: ScaleSummary;
const progress: [number, number][] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  const started = performance.now();
  summary = await seedScale(database, {
    customers: N,
    at,
    password,
    batchSize: BATCH,
    onProgress: (done, total) => progress.push([done, total]),
  });
  console.log(
    `seedScale(${N}) took ${Math.round(performance.now() - started)} ms on ${database.kind}`,
    summary,
  );
});

afterAll(async () => {
  await database?.close();
});

type CustomerRow = typeof customers.$inferSelect;
type DistributionRow = typeof customerDistributions.$inferSelect;

/** The state of a customer, read back from the database alone. */
function classify(c: CustomerRow, history: DistributionRow[]): ScaleState {
  if (c.status === 'enrolled') return 'enrolled';
  if (c.consultantId === null) return history.length === 0 ? 'unassigned' : 'released';
  return isPublic(c, rules, at) ? 'expired_unswept' : 'following';
}

const TABLES = [
  'customers',
  'customer_courses',
  'customer_distributions',
  'consult_records',
  'payment_records',
  'students',
  'student_classes',
  'users',
  'user_roles',
  'sale_ranks',
  'classes',
] as const;
const tableCounts = () => rowCounts(db, TABLES);

describe('the synthetic school', () => {
  it('loads N customers, reports progress, and returns counts that match the database', async () => {
    const counts = await tableCounts();
    expect(counts.customers).toBe(N);
    for (const [name, n] of Object.entries(counts)) {
      expect(summary.rows[name as keyof ScaleSummary['rows']], name).toBe(n);
    }
    expect(Object.values(summary.customers).reduce((a, b) => a + b, 0)).toBe(N);
    expect(progress).toHaveLength(N / BATCH);
    expect(progress.at(-1)).toEqual([N, N]);
    expect(progress.every(([done], k) => k === 0 || done > (progress[k - 1]?.[0] ?? 0))).toBe(true);
    expect(counts.classes).toBeGreaterThanOrEqual(24);
    expect(counts.classes).toBeLessThanOrEqual(80);
    // New rows still get fresh ids after the explicit ones.
    const [next] = await queryRows<{ id: number }>(
      db,
      sql`select nextval(pg_get_serial_sequence('customers', 'id'))::int as id`,
    );
    expect(next?.id).toBe(N + 1);
  });

  it('has the demo staff and generated consultants, all with sale ranks and the password', async () => {
    const staff = await db.select({ username: users.username, hash: users.passwordHash }).from(users);
    const usernames = staff.map((u) => u.username);
    for (const u of demoUsers) expect(usernames).toContain(u.username);
    const generated = usernames.filter((u) => /^c\d{4}$/.test(u)).sort();
    expect(generated).toEqual(['c0001', 'c0002', 'c0003']);
    expect(summary.consultants).toBe(6);
    const ranks = await db.select({ consultantId: saleRanks.consultantId }).from(saleRanks);
    expect(ranks).toHaveLength(6);
    const [consultantRole] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from user_roles ur join roles r on r.id = ur.role_id join users u on u.id = ur.user_id
          where r.code = 'consultant' and u.username like 'c0%'`,
    );
    expect(consultantRole?.n).toBe(3);
    expect(await verifyPassword(staff.find((u) => u.username === 'c0002')?.hash ?? null, password)).toBe(
      true,
    );
    // Every consultant owns some of the customers.
    const owners = await queryRows<{ n: number }>(
      db,
      sql`select count(distinct consultant_id)::int as n from customer_distributions`,
    );
    expect(owners[0]?.n).toBe(6);
  });

  it('has the states in the proportions asked for, read back from the database', async () => {
    const { all, historyOf } = await customersWithHistory(db);
    const found = Object.fromEntries(scaleStates.map((s) => [s, 0])) as Record<ScaleState, number>;
    for (const c of all) found[classify(c, historyOf.get(c.id) ?? [])]++;
    expect(found).toEqual(summary.customers);
    const share = (s: ScaleState) => found[s] / N;
    expect(Math.abs(share('following') - 0.45)).toBeLessThan(0.04);
    expect(Math.abs(share('expired_unswept') - 0.05)).toBeLessThan(0.02);
    expect(Math.abs(share('released') - 0.25)).toBeLessThan(0.04);
    expect(Math.abs(share('unassigned') - 0.1)).toBeLessThan(0.03);
    expect(Math.abs(share('enrolled') - 0.15)).toBeLessThan(0.03);
  });

  it('keeps release_at exactly as releaseAtFor gives it, so the pool query is the public set', async () => {
    const { all, historyOf } = await customersWithHistory(db);
    for (const c of all) {
      const last = historyOf.get(c.id)?.at(-1);
      const publicSince = c.consultantId === null ? (last?.endedAt ?? c.createdAt) : null;
      expect(c.releaseAt, `customer ${c.id}`).toEqual(releaseAtFor({ ...c, publicSince }, rules));
    }
    const pool = await db
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.status, 'unregistered'), lte(customers.releaseAt, at)));
    const live = all.filter((c) => isPublic(c, rules, at)).map((c) => c.id);
    expect(pool.map((c) => c.id).sort((a, b) => a - b)).toEqual(live);
    // Released customers fell into the pool at various times; expired ones within the last day.
    const expired = all.filter((c) => c.consultantId !== null && isPublic(c, rules, at));
    expect(expired.length).toBeGreaterThan(0);
    for (const c of expired) expect(c.releaseAt!.getTime()).toBeGreaterThan(addDays(at, -1).getTime());
  });

  it('keeps every ownership history consistent with its customer and its follow-ups', async () => {
    const { all, historyOf, consultsOf } = await customersWithHistory(db);
    const [oneFollowing] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from (select customer_id from customer_distributions where status = 'following'
          group by customer_id having count(*) > 1) t`,
    );
    expect(oneFollowing?.n).toBe(0);
    const vias = new Set<string>();
    const statuses = new Set<string>();
    for (const c of all) {
      const periods = historyOf.get(c.id) ?? [];
      const own = consultsOf.get(c.id) ?? [];
      expect(own.length, `customer ${c.id}`).toBeLessThanOrEqual(8);
      expect(periods.length).toBeLessThanOrEqual(3);
      if (c.consultantId !== null) expect(periods.length).toBeGreaterThanOrEqual(1);
      expect(periods.filter((d) => d.status === 'following').length).toBeLessThanOrEqual(1);
      periods.forEach((d, i) => {
        vias.add(d.via);
        statuses.add(d.status);
        expect(d.startedAt.getTime()).toBeGreaterThanOrEqual(c.createdAt.getTime());
        const next = periods[i + 1];
        if (next)
          expect(d.endedAt!.getTime(), `customer ${c.id}`).toBeLessThanOrEqual(next.startedAt.getTime());
        if (next && d.status === 'reassigned') expect(next.startedAt).toEqual(d.endedAt);
        if (next) expect(next.consultantId).not.toBe(d.consultantId);
        const mine = own.filter(
          (r) =>
            r.consultantId === d.consultantId && r.at >= d.startedAt && (!d.endedAt || r.at <= d.endedAt),
        );
        const lastConsultAt = mine.length ? new Date(Math.max(...mine.map((r) => r.at.getTime()))) : null;
        const deadline = releaseDeadline({ recvAt: d.startedAt, lastConsultAt }, rules);
        if (d.status.startsWith('released_')) {
          // Closed by the sweep at the deadline the rules give for that period's clocks.
          expect(d.endedAt, `customer ${c.id}`).toEqual(deadline.at);
          expect(d.status).toBe(`released_${deadline.reason}`);
        } else if (d.status === 'reassigned') {
          expect(deadline.at.getTime()).toBeGreaterThan(d.endedAt!.getTime());
        }
        // Follow-ups never more than the follow-up window apart within a period (but the last).
        const times = [d.startedAt.getTime(), ...mine.map((r) => r.at.getTime()).sort((a, b) => a - b)];
        for (let k = 1; k < times.length; k++) {
          expect(times[k]! - times[k - 1]!).toBeLessThan(rules.followUpDays * 86_400_000);
        }
      });
      const open = periods.at(-1);
      if (c.consultantId === null) {
        expect(c.status).toBe('unregistered');
        expect(c.recvAt).toBeNull();
        expect(open === undefined || open.status.startsWith('released_')).toBe(true);
        continue;
      }
      // Owned: the open period is the owner's and both clocks are set (docs/spec.md §3 "New ownership").
      expect(open?.consultantId, `customer ${c.id}`).toBe(c.consultantId);
      expect(open?.status).toBe(c.status === 'enrolled' ? 'enrolled' : 'following');
      // Following periods are open; an enrolled one ended at the payment.
      expect(open?.endedAt === null).toBe(c.status !== 'enrolled');
      expect(c.recvAt).toEqual(open?.startedAt);
      const mine = own.filter((r) => r.consultantId === c.consultantId && r.at >= c.recvAt!);
      const newest = mine.length ? new Date(Math.max(...mine.map((r) => r.at.getTime()))) : c.recvAt;
      expect(c.lastConsultAt, `customer ${c.id}`).toEqual(newest);
    }
    expect(vias).toEqual(new Set(['assigned', 'imported', 'grabbed', 'manual']));
    expect(statuses).toEqual(
      new Set(['following', 'enrolled', 'released_no_followup', 'released_no_deal', 'reassigned']),
    );
    const consultCount = [...consultsOf.values()].reduce((n, list) => n + list.length, 0);
    expect(consultCount).toBe(summary.rows.consult_records);
  });

  it('enrols customers with a payment or two, a student and a class', async () => {
    const enrolled = await db.select().from(customers).where(eq(customers.status, 'enrolled'));
    const payments = groupBy(await db.select().from(paymentRecords), (p) => p.customerId);
    const studentRows = await db
      .select({ customerId: students.customerId, classId: studentClasses.classId })
      .from(students)
      .innerJoin(studentClasses, eq(studentClasses.studentId, students.id));
    const studentOf = new Map(studentRows.map((s) => [s.customerId, s]));
    const interested = groupBy(await db.select().from(customerCourses), (r) => r.customerId);
    const classCourse = new Map(
      (await queryRows<{ id: number; course_id: number }>(db, sql`select id, course_id from classes`)).map(
        (c) => [c.id, c.course_id],
      ),
    );
    expect(studentRows.length).toBe(enrolled.length);
    for (const c of enrolled) {
      const own = payments.get(c.id) ?? [];
      expect(own.length, `customer ${c.id}`).toBeGreaterThanOrEqual(1);
      expect(own.length).toBeLessThanOrEqual(2);
      expect(own.every((p) => p.consultantId === c.consultantId)).toBe(true);
      const student = studentOf.get(c.id);
      expect(student, `customer ${c.id}`).toBeDefined();
      expect(own.every((p) => p.classId === student?.classId)).toBe(true);
      expect(own.every((p) => p.paidAt <= at)).toBe(true);
      const course = classCourse.get(student!.classId);
      expect((interested.get(c.id) ?? []).map((r) => r.courseId)).toContain(course);
    }
    const all = [...payments.values()].flat();
    expect(all.some((p) => p.confirmedBy !== null) && all.some((p) => p.confirmedBy === null)).toBe(true);
    const [notEnrolled] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from payment_records p join customers c on c.id = p.customer_id where c.status <> 'enrolled'`,
    );
    expect(notEnrolled?.n).toBe(0);
  });

  it('has unique contacts, names, referrals and creation times spread over two years', async () => {
    const all = await db.select().from(customers);
    const seen = { phone: new Set<string>(), qq: new Set<string>(), wechat: new Set<string>() };
    for (const c of all) {
      expect(c.phone ?? c.qq ?? c.wechat, `customer ${c.id}`).not.toBeNull();
      for (const [kind, norm] of [
        ['phone', normalisePhone(c.phone)],
        ['qq', normaliseQq(c.qq)],
        ['wechat', normaliseWechat(c.wechat)],
      ] as const) {
        if (norm === null) continue;
        expect(seen[kind].has(norm), `${kind} ${norm}`).toBe(false);
        seen[kind].add(norm);
      }
      expect(c.name).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
      if (c.referralFromId !== null) expect(c.referralFromId).toBeLessThan(c.id);
      expect(c.createdAt.getTime()).toBeLessThanOrEqual(at.getTime());
      expect(c.createdAt.getTime()).toBeGreaterThan(addDays(at, -735).getTime());
    }
    expect(seen.phone.size / N).toBeGreaterThan(0.8);
    expect(seen.qq.size).toBeGreaterThan(0);
    expect(seen.wechat.size).toBeGreaterThan(0);
    expect(all.some((c) => c.referralFromId !== null)).toBe(true);
    const times = all.map((c) => c.createdAt.getTime()).sort((a, b) => a - b);
    expect(times[0]).toBeLessThan(addDays(at, -700).getTime());
    expect(times.at(-1)).toBeGreaterThan(addDays(at, -2).getTime());
    // Ids follow creation.
    const byId = [...all].sort((a, b) => a.id - b.id).map((c) => c.createdAt.getTime());
    expect(byId).toEqual(times);
  });

  it('refuses a second run and changes nothing', async () => {
    const before = await tableCounts();
    await expect(seedScale(database, { customers: 10, at, password })).rejects.toThrow(/not empty/);
    expect(await tableCounts()).toEqual(before);
  });

  it('is deterministic', async () => {
    const shape = async (d: Db) =>
      (await d.select().from(customers).where(lte(customers.id, 300)).orderBy(asc(customers.id))).map((c) => [
        c.name,
        c.phone,
        c.qq,
        c.wechat,
        c.source,
        c.status,
        c.createdAt.getTime(),
        c.releaseAt?.getTime() ?? null,
      ]);
    const history = async (d: Db) =>
      (
        await d
          .select()
          .from(customerDistributions)
          .where(lte(customerDistributions.customerId, 300))
          .orderBy(asc(customerDistributions.id))
      ).map((r) => [r.id, r.customerId, r.consultantId, r.status, r.via, r.startedAt.getTime()]);
    const other = await createTestDatabase();
    try {
      const otherSummary = await seedScale(other, { customers: N, at, password, batchSize: BATCH });
      expect(otherSummary).toEqual(summary);
      expect(await shape(other.db)).toEqual(await shape(db));
      expect(await history(other.db)).toEqual(await history(db));
    } finally {
      await other.close();
    }
  });
});

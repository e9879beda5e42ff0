import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/db.ts';
import { makePayment } from '../../test/factories.ts';
import { type Database, type Db, queryRows } from '../db/client.ts';
import {
  classes,
  consultRecords,
  courseRecords,
  customerDistributions,
  customers,
  paymentRecords,
  students,
  studyRecords,
} from '../db/schema/index.ts';
import { HttpError } from '../http/errors.ts';
import { seedDemo } from '../seed/demo.ts';
import type { PermissionCode } from './catalogue.ts';
import {
  allowedIds,
  classScope,
  consultRecordScope,
  courseRecordScope,
  customerScope,
  distributionScope,
  findInScope,
  isOwner,
  paymentRecordScope,
  type Scope,
  studentScope,
  studyRecordScope,
  type TableWithId,
  teachesClass,
} from './scopes.ts';
import type { Actor } from './sessions.ts';

const at = new Date('2025-03-15T04:30:00.000Z');

let database: Database;
let db: Db;
const actors = new Map<string, Actor>();

/** The demo user as a request would see them: their permission codes as their roles grant them now. */
async function loadActor(username: string): Promise<Actor> {
  const [row] = await queryRows<{ id: number; name: string; permissions: PermissionCode[] }>(
    db,
    sql`select u.id, u.name,
          array(
            select distinct rp.permission_code from user_roles ur
            join role_permissions rp on rp.role_id = ur.role_id
            where ur.user_id = u.id
          ) as permissions
        from users u where u.username = ${username}`,
  );
  if (!row) throw new Error(`no demo user ${username}`);
  return {
    userId: row.id,
    username,
    name: row.name,
    sessionId: 0,
    csrfToken: '',
    permissions: new Set(row.permissions),
    authEpoch: '0',
  };
}

function actor(username: string): Actor {
  const found = actors.get(username);
  if (!found) throw new Error(`actor ${username} not loaded`);
  return found;
}

/** The ids a scope lets through, sorted: what a list with no other filter would show. */
async function scoped(table: TableWithId, scope: Scope): Promise<number[]> {
  const rows = (await db.select({ id: table.id }).from(table).where(scope)) as { id: number }[];
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/** The expected ids, by plain SQL written independently of the scopes. */
async function ids(query: SQL): Promise<number[]> {
  const rows = await queryRows<{ id: number }>(db, query);
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

async function countOf(table: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from ${sql.identifier(table)}`,
  );
  return Number(row?.n);
}

/** Classes by course name, so tests can speak of the demo's classes. */
async function classIdOf(course: string): Promise<number> {
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`select cl.id from classes cl join courses co on co.id = cl.course_id where co.name = ${course}`,
  );
  if (!row) throw new Error(`no class of ${course}`);
  return row.id;
}

const consultants = ['sanjiang', 'baoyu', 'dasha'] as const;
const everyone = ['admin', 'manager', ...consultants, 'teacher', 'tutor', 'finance'] as const;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  await seedDemo(db, { password: 'x', at });
  for (const username of everyone) actors.set(username, await loadActor(username));

  // The demo's payments are all signed by the customer's current owner. One signed by sanjiang on a
  // customer baoyu owns now exercises the other arm of the payment scope.
  const sanjiang = actor('sanjiang').userId;
  const baoyu = actor('baoyu').userId;
  const [theirs] = await queryRows<{ id: number }>(
    db,
    sql`select id from customers where consultant_id = ${baoyu} order by id limit 1`,
  );
  const [anyClass] = await db.select({ id: classes.id }).from(classes).limit(1);
  if (!theirs || !anyClass) throw new Error('demo data lacks a customer of baoyu or a class');
  await makePayment(db, {
    customerId: theirs.id,
    classId: anyClass.id,
    payType: 'deposit',
    paidFee: '500.00',
    consultantId: sanjiang,
    paidAt: at,
    note: 'signed by sanjiang for a customer baoyu now owns',
  });
});

afterAll(async () => {
  await database?.close();
});

describe('customerScope', () => {
  it("shows each consultant exactly their own customers, and no one else's", async () => {
    const seen = new Set<number>();
    for (const username of consultants) {
      const mine = await scoped(customers, customerScope(actor(username)));
      const expected = await ids(
        sql`select id from customers where consultant_id = ${actor(username).userId}`,
      );
      expect(mine.length).toBeGreaterThan(0);
      expect(mine).toEqual(expected);
      for (const id of mine) {
        expect(seen.has(id)).toBe(false);
        seen.add(id);
      }
    }
    // The pool's unowned customers are nobody's.
    expect(seen.size).toBeLessThan(await countOf('customers'));
  });

  it('shows the manager and the admin every customer', async () => {
    for (const username of ['manager', 'admin']) {
      expect(customerScope(actor(username))).toBeUndefined();
      expect((await scoped(customers, customerScope(actor(username)))).length).toBe(
        await countOf('customers'),
      );
    }
  });

  it('shows finance, the teacher and the tutor no customer', async () => {
    for (const username of ['finance', 'teacher', 'tutor']) {
      expect(await scoped(customers, customerScope(actor(username)))).toEqual([]);
    }
  });
});

describe('distributionScope', () => {
  it("shows a consultant every period of their own, ended ones too, and no one else's", async () => {
    for (const username of consultants) {
      const { userId } = actor(username);
      const mine = await scoped(customerDistributions, distributionScope(actor(username)));
      expect(mine).toEqual(
        await ids(sql`select id from customer_distributions where consultant_id = ${userId}`),
      );
    }
    const sanjiang = await scoped(customerDistributions, distributionScope(actor('sanjiang')));
    const [ended] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from customer_distributions
          where id in (${sql.join(sanjiang, sql`, `)}) and ended_at is not null`,
    );
    expect(Number(ended?.n)).toBeGreaterThan(0);
  });

  it('shows the manager all of them', async () => {
    const all = await scoped(customerDistributions, distributionScope(actor('manager')));
    expect(all.length).toBe(await countOf('customer_distributions'));
  });
});

describe('consultRecordScope', () => {
  it('shows follow-ups the consultant wrote and every follow-up on customers they own now', async () => {
    for (const username of consultants) {
      const { userId } = actor(username);
      const mine = await scoped(consultRecords, consultRecordScope(actor(username)));
      expect(mine).toEqual(
        await ids(sql`select cr.id from consult_records cr join customers c on c.id = cr.customer_id
                      where cr.consultant_id = ${userId} or c.consultant_id = ${userId}`),
      );
    }
  });

  it("shows a note to its author and to the customer's owner now, and to no third consultant", async () => {
    // Grabbed and reassigned customers carry notes by a previous owner.
    const [note] = await queryRows<{ id: number; author: number; owner: number }>(
      db,
      sql`select cr.id, cr.consultant_id as author, c.consultant_id as owner
          from consult_records cr join customers c on c.id = cr.customer_id
          where c.consultant_id is not null and cr.consultant_id <> c.consultant_id
          order by cr.id limit 1`,
    );
    if (!note) throw new Error('the demo has no note by a previous owner');
    for (const username of consultants) {
      const { userId } = actor(username);
      const sees = (await scoped(consultRecords, consultRecordScope(actor(username)))).includes(note.id);
      expect(sees).toBe(userId === note.author || userId === note.owner);
    }
  });

  it('shows the manager all and the teacher none', async () => {
    expect((await scoped(consultRecords, consultRecordScope(actor('manager')))).length).toBe(
      await countOf('consult_records'),
    );
    expect(await scoped(consultRecords, consultRecordScope(actor('teacher')))).toEqual([]);
  });
});

describe('paymentRecordScope', () => {
  it('shows finance every payment, though finance sees no customer', async () => {
    expect(paymentRecordScope(actor('finance'))).toBeUndefined();
    expect((await scoped(paymentRecords, paymentRecordScope(actor('finance')))).length).toBe(
      await countOf('payment_records'),
    );
    expect(await scoped(customers, customerScope(actor('finance')))).toEqual([]);
  });

  it('shows a consultant the payments they signed and those of customers they own', async () => {
    for (const username of consultants) {
      const { userId } = actor(username);
      expect(await scoped(paymentRecords, paymentRecordScope(actor(username)))).toEqual(
        await ids(sql`select p.id from payment_records p join customers c on c.id = p.customer_id
                      where p.consultant_id = ${userId} or c.consultant_id = ${userId}`),
      );
    }
    // The payment sanjiang signed for baoyu's customer: both of them see it, dasha does not.
    const [extra] = await queryRows<{ id: number }>(
      db,
      sql`select id from payment_records where note like 'signed by sanjiang%'`,
    );
    const extraId = Number(extra?.id);
    expect(await scoped(paymentRecords, paymentRecordScope(actor('sanjiang')))).toContain(extraId);
    expect(await scoped(paymentRecords, paymentRecordScope(actor('baoyu')))).toContain(extraId);
    expect(await scoped(paymentRecords, paymentRecordScope(actor('dasha')))).not.toContain(extraId);
  });

  it('shows the manager all and the teacher none', async () => {
    expect((await scoped(paymentRecords, paymentRecordScope(actor('manager')))).length).toBe(
      await countOf('payment_records'),
    );
    expect(await scoped(paymentRecords, paymentRecordScope(actor('teacher')))).toEqual([]);
  });
});

describe('teaching scopes', () => {
  let python: number;
  let linux: number;
  let frontend: number;

  beforeAll(async () => {
    python = await classIdOf('Python全栈');
    linux = await classIdOf('Linux运维');
    frontend = await classIdOf('前端开发');
  });

  it('shows the teacher exactly the two classes they teach, the tutor their one', async () => {
    expect(await scoped(classes, classScope(actor('teacher')))).toEqual(
      [python, linux].sort((a, b) => a - b),
    );
    expect(await scoped(classes, classScope(actor('tutor')))).toEqual([python]);
    expect((await scoped(classes, classScope(actor('manager')))).length).toBe(3);
    expect(classScope(actor('admin'))).toBeUndefined();
    expect(await scoped(classes, classScope(actor('sanjiang')))).toEqual([]);
    expect(await scoped(classes, classScope(actor('finance')))).toEqual([]);
  });

  it("shows only the lessons of the actor's classes", async () => {
    const lessonsOf = (classIds: number[]) =>
      ids(sql`select id from course_records where class_id in (${sql.join(classIds, sql`, `)})`);
    const teacher = await scoped(courseRecords, courseRecordScope(actor('teacher')));
    expect(teacher).toEqual(await lessonsOf([python, linux]));
    expect(teacher.length).toBe(18);
    expect(await scoped(courseRecords, courseRecordScope(actor('tutor')))).toEqual(await lessonsOf([python]));
    expect(await scoped(courseRecords, courseRecordScope(actor('sanjiang')))).toEqual([]);
    expect((await scoped(courseRecords, courseRecordScope(actor('manager')))).length).toBe(
      await countOf('course_records'),
    );
    const frontendLessons = await lessonsOf([frontend]);
    expect(frontendLessons.length).toBeGreaterThan(0);
    expect(teacher.filter((id) => frontendLessons.includes(id))).toEqual([]);
  });

  it("shows only the students of the actor's classes, or a consultant's own", async () => {
    const studentsOf = (classIds: number[]) =>
      ids(sql`select distinct student_id as id from student_classes
              where class_id in (${sql.join(classIds, sql`, `)})`);
    const teacher = await scoped(students, studentScope(actor('teacher')));
    expect(teacher.length).toBeGreaterThan(0);
    expect(teacher).toEqual(await studentsOf([python, linux]));
    expect(await scoped(students, studentScope(actor('tutor')))).toEqual(await studentsOf([python]));
    for (const username of consultants) {
      expect(await scoped(students, studentScope(actor(username)))).toEqual(
        await ids(sql`select s.id from students s join customers c on c.id = s.customer_id
                      where c.consultant_id = ${actor(username).userId}`),
      );
    }
    expect((await scoped(students, studentScope(actor('manager')))).length).toBe(await countOf('students'));
    expect(await scoped(students, studentScope(actor('finance')))).toEqual([]);
  });

  it("shows only the study records of the actor's lessons", async () => {
    const recordsOf = (classIds: number[]) =>
      ids(sql`select sr.id from study_records sr join course_records cr on cr.id = sr.course_record_id
              where cr.class_id in (${sql.join(classIds, sql`, `)})`);
    const teacher = await scoped(studyRecords, studyRecordScope(actor('teacher')));
    expect(teacher.length).toBeGreaterThan(0);
    expect(teacher).toEqual(await recordsOf([python, linux]));
    expect(await scoped(studyRecords, studyRecordScope(actor('tutor')))).toEqual(await recordsOf([python]));
    expect(await scoped(studyRecords, studyRecordScope(actor('dasha')))).toEqual([]);
    expect((await scoped(studyRecords, studyRecordScope(actor('admin')))).length).toBe(
      await countOf('study_records'),
    );
  });

  it('lets a stand-in see and mark the one lesson they gave in a class they do not teach', async () => {
    const [given] = await ids(
      sql`select id from course_records where class_id = ${frontend} order by id limit 1`,
    );
    const lesson = Number(given);
    const records = await ids(sql`select id from study_records where course_record_id = ${lesson}`);
    expect(records.length).toBeGreaterThan(0);
    const before = await scoped(courseRecords, courseRecordScope(actor('teacher')));
    const previous = await queryRows<{ teacherId: number | null }>(
      db,
      sql`select teacher_id as "teacherId" from course_records where id = ${lesson}`,
    );
    await db.execute(
      sql`update course_records set teacher_id = ${actor('teacher').userId} where id = ${lesson}`,
    );
    try {
      const teacher = await scoped(courseRecords, courseRecordScope(actor('teacher')));
      expect(teacher).toEqual([...before, lesson].sort((a, b) => a - b));
      const marked = await scoped(studyRecords, studyRecordScope(actor('teacher')));
      expect(records.every((id) => marked.includes(id))).toBe(true);
      // The lesson, not the class: its other lessons and the class itself stay closed.
      expect(await scoped(classes, classScope(actor('teacher')))).not.toContain(frontend);
      expect(await teachesClass(db, actor('teacher'), frontend)).toBe(false);
    } finally {
      await db.execute(
        sql`update course_records set teacher_id = ${previous[0]?.teacherId ?? null} where id = ${lesson}`,
      );
    }
  });

  it('teachesClass: teacher or tutor of that class, and nobody else', async () => {
    expect(await teachesClass(db, actor('teacher'), python)).toBe(true);
    expect(await teachesClass(db, actor('teacher'), linux)).toBe(true);
    expect(await teachesClass(db, actor('teacher'), frontend)).toBe(false);
    expect(await teachesClass(db, actor('tutor'), python)).toBe(true);
    expect(await teachesClass(db, actor('tutor'), linux)).toBe(false);
    // Seeing every class does not make one its teacher.
    expect(await teachesClass(db, actor('manager'), python)).toBe(false);
    expect(await teachesClass(db, actor('teacher'), 2_147_483_647)).toBe(false);
    expect(await teachesClass(db, actor('teacher'), Number.NaN)).toBe(false);
  });
});

describe('single records and sets of ids', () => {
  let sanjiangs: number[];
  let baoyus: number[];
  let unowned: number;
  const missing = 2_147_483_647;

  beforeAll(async () => {
    sanjiangs = await ids(sql`select id from customers where consultant_id = ${actor('sanjiang').userId}`);
    baoyus = await ids(sql`select id from customers where consultant_id = ${actor('baoyu').userId}`);
    const pool = await ids(sql`select id from customers where consultant_id is null`);
    unowned = pool[0] ?? 0;
    expect(unowned).toBeGreaterThan(0);
  });

  it('isOwner: the current consultant only', async () => {
    expect(await isOwner(db, actor('sanjiang'), sanjiangs[0] ?? 0)).toBe(true);
    expect(await isOwner(db, actor('sanjiang'), baoyus[0] ?? 0)).toBe(false);
    expect(await isOwner(db, actor('sanjiang'), unowned)).toBe(false);
    expect(await isOwner(db, actor('sanjiang'), missing)).toBe(false);
    // Seeing every customer does not make one its owner.
    expect(await isOwner(db, actor('manager'), sanjiangs[0] ?? 0)).toBe(false);
  });

  it("findInScope returns one's own row, and answers 404 alike for another's and for a missing one", async () => {
    const own = sanjiangs[0] ?? 0;
    const row = await findInScope(db, customers, own, customerScope(actor('sanjiang')));
    expect(row.id).toBe(own);
    expect(row.consultantId).toBe(actor('sanjiang').userId);

    const refusal = async (id: number) => {
      try {
        await findInScope(db, customers, id, customerScope(actor('sanjiang')));
      } catch (error) {
        return error;
      }
      throw new Error(`customer ${id} was found`);
    };
    const others = await refusal(baoyus[0] ?? 0);
    const absent = await refusal(missing);
    for (const error of [others, absent, await refusal(0), await refusal(1.5), await refusal(2 ** 40)]) {
      expect(error).toBeInstanceOf(HttpError);
      expect(error).toMatchObject({ statusCode: 404, code: 'not_found' });
    }
    expect((others as HttpError).message).toBe((absent as HttpError).message);
    expect((others as HttpError).message).toBe('Not found or no access');

    // The manager's scope has no restriction, but a missing row is still missing.
    const theirs = await findInScope(db, customers, baoyus[0] ?? 0, customerScope(actor('manager')));
    expect(theirs.consultantId).toBe(actor('baoyu').userId);
    await expect(findInScope(db, customers, missing, undefined)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('allowedIds keeps only the ids the scope allows, in the order given', async () => {
    const [a = 0, b = 0] = sanjiangs;
    const [other = 0] = baoyus;
    const asked = [b, other, missing, a, b, unowned, -3];
    expect([...(await allowedIds(db, customers, customerScope(actor('sanjiang')), asked))]).toEqual([b, a]);
    expect([...(await allowedIds(db, customers, customerScope(actor('manager')), asked))]).toEqual([
      b,
      other,
      a,
      unowned,
    ]);
    expect((await allowedIds(db, customers, customerScope(actor('finance')), asked)).size).toBe(0);
    expect((await allowedIds(db, customers, undefined, [])).size).toBe(0);
    // A bulk action over many rows still asks once.
    const all = await allowedIds(db, customers, customerScope(actor('sanjiang')), [...sanjiangs, ...baoyus]);
    expect([...all]).toEqual(sanjiangs);
  });

  it('a scope holds in update and delete statements, which the engine ANDs it into', async () => {
    const teacher = actor('teacher');
    const rollback = new Error('rollback');
    let updated: number[] = [];
    let deleted: number[] = [];
    await db
      .transaction(async (tx) => {
        const touched = await tx
          .update(customers)
          .set({ note: sql`${customers.note}` })
          .where(and(inArray(customers.id, [...sanjiangs, ...baoyus]), customerScope(actor('baoyu'))))
          .returning({ id: customers.id });
        updated = touched.map((r) => r.id).sort((x, y) => x - y);
        const gone = await tx
          .delete(studyRecords)
          .where(studyRecordScope(actor('tutor')))
          .returning({ id: studyRecords.id });
        deleted = gone.map((r) => r.id).sort((x, y) => x - y);
        throw rollback;
      })
      .catch((error: unknown) => {
        if (error !== rollback) throw error;
      });
    expect(updated).toEqual(baoyus);
    expect(deleted).toEqual(await scoped(studyRecords, studyRecordScope(actor('tutor'))));
    expect(deleted.length).toBeGreaterThan(0);
    expect(await scoped(studyRecords, studyRecordScope(teacher))).toEqual(expect.arrayContaining(deleted));
    const [stillThere] = await db
      .select({ id: studyRecords.id })
      .from(studyRecords)
      .where(eq(studyRecords.id, deleted[0] ?? 0));
    expect(stillThere).toBeDefined();
  });
});

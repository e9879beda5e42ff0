import { and, eq, type InferSelectModel, or, type SQL, sql } from 'drizzle-orm';
import { alias, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import { type Executor, intArraySql } from '../db/client.ts';
import { ownedBySql, ownedCustomerIdsSql } from '../db/owners.ts';
import { MAX_ID } from '../db/schema/columns.ts';
import {
  classes,
  classTeachers,
  consultRecords,
  courseRecords,
  customerDistributions,
  customerOwners,
  customers,
  paymentRecords,
  studentClasses,
  students,
  studyRecords,
} from '../db/schema/index.ts';
import { notFound } from '../http/errors.ts';
import type { PermissionCode } from './catalogue.ts';
import type { Actor } from './sessions.ts';

/**
 * Row scopes (docs/spec.md §7): which rows of a resource an actor may see and act on. Each is a condition
 * on its own table, to be ANDed into every list, read, update, delete and bulk action on it;
 * `undefined` means no restriction. A scope names its table by its own name, so it fits
 * `select … from customers`, `update customers` and `delete from customers`, but not a query that
 * aliases the table.
 *
 * Two shapes, chosen by what PostgreSQL does with them. Membership in the actor's classes is an
 * uncorrelated `in (…)`, which the planner pulls up into a semi-join that can start from the actor's
 * few classes and walk the child table's index (course_records(class_id, …),
 * study_records(course_record_id, …)). An arm under `or` is either a correlated `exists` on an
 * alias, which the planner may probe per row (one lookup when reading one record) or hash once for
 * a list, or `column = any(array(…))`, the actor's own customers computed once from an index:
 * that one is an index condition, so a list of follow-ups or payments reads the actor's rows
 * through two indexes instead of scanning the whole table to probe a hash.
 */
export type Scope = SQL | undefined;

/** Typed, so a renamed or misspelt code fails the compiler instead of silently narrowing a scope. */
const holds = (actor: Actor, code: PermissionCode) => actor.permissions.has(code);

/** Ids are `integer` identities; anything else cannot name a row and must not reach the database. */
export const isRowId = (id: number) => Number.isInteger(id) && id > 0 && id <= MAX_ID;

// ---------------------------------------------------------------------------------------------------
// The actor's own sets

/** Ownership is the customer's current consultant; history (distributions) grants nothing here. */
const ownedBy = (actor: Actor): SQL => ownedBySql([actor.userId]);

// Aliases keep a correlated sub-select's own table apart from the outer query's, whatever that is.
const owner = alias(customerOwners, 'scope_owner');
const enrolled = alias(studentClasses, 'scope_student_class');

/**
 * The row's customer (through `customerId`) is one the actor owns now, read in customer_owners
 * alone: the triggers that keep it write it in the statement that changes the owner (migration
 * 0015). Correlated: one primary-key probe per row, or the actor's customers hashed once.
 */
const ownsCustomerOf = (actor: Actor, customerId: PgColumn): SQL =>
  sql`exists (select 1 from ${customerOwners} as ${owner}
    where ${owner.customerId} = ${customerId} and ${owner.consultantId} = ${actor.userId})`;

/**
 * The same as an index condition on `customerId`, for a table whose other arm under `or` is one
 * too, so that PostgreSQL reads the actor's rows through both indexes (BitmapOr) instead of
 * scanning the whole table. Only there: where the array is a filter on a scan instead, each row
 * would be compared with every one of the actor's customers in turn.
 */
const ownsCustomerOfIndexed = (actor: Actor, customerId: PgColumn): SQL =>
  sql`${customerId} = any(${ownedCustomerIdsSql([actor.userId])})`;

/** Classes the actor teaches or tutors; each arm is one index lookup (teacher_id, tutor_id). */
export const classIdsOf = (actor: Actor): SQL =>
  sql`select ${classTeachers.classId} from ${classTeachers} where ${classTeachers.teacherId} = ${actor.userId}
    union all select ${classes.id} from ${classes} where ${classes.tutorId} = ${actor.userId}`;

const taughtBy = (actor: Actor): SQL => sql`${classes.id} in (${classIdsOf(actor)})`;

const lessonIdsOf = (actor: Actor): SQL =>
  sql`select ${courseRecords.id} from ${courseRecords} where ${courseRecords.classId} in (${classIdsOf(actor)})`;

// ---------------------------------------------------------------------------------------------------
// Scopes, one per resource

/** Customers: everyone's with `customer.view_all`, else the actor's own. The pool is its own view. */
export function customerScope(actor: Actor): Scope {
  return holds(actor, 'customer.view_all') ? undefined : ownedBy(actor);
}

/** Ownership periods: a consultant sees all of their own, including those that ended. */
export function distributionScope(actor: Actor): Scope {
  return holds(actor, 'customer.view_all') ? undefined : eq(customerDistributions.consultantId, actor.userId);
}

/**
 * Follow-ups the actor wrote, and every follow-up on a customer they own now — so a new owner reads
 * what the previous one learnt, and a previous owner keeps only their own notes.
 */
export function consultRecordScope(actor: Actor): Scope {
  if (holds(actor, 'customer.view_all')) return undefined;
  return or(
    eq(consultRecords.consultantId, actor.userId),
    ownsCustomerOfIndexed(actor, consultRecords.customerId),
  );
}

/**
 * Finance confirms every payment, so `payment_record.confirm` sees them all; others see what they
 * signed (even after the customer changed hands) and everything paid by customers they own.
 */
export function paymentRecordScope(actor: Actor): Scope {
  if (holds(actor, 'customer.view_all') || holds(actor, 'payment_record.confirm')) return undefined;
  return or(
    eq(paymentRecords.consultantId, actor.userId),
    ownsCustomerOfIndexed(actor, paymentRecords.customerId),
  );
}

/** Classes: all with `class.view_all`, else those the actor teaches or tutors. */
export function classScope(actor: Actor): Scope {
  return holds(actor, 'class.view_all') ? undefined : taughtBy(actor);
}

/** Lessons of the classes in the actor's class scope (not lessons they gave elsewhere as a stand-in). */
export function courseRecordScope(actor: Actor): Scope {
  if (holds(actor, 'class.view_all')) return undefined;
  return sql`${courseRecords.classId} in (${classIdsOf(actor)})`;
}

/**
 * Students in any class of the actor's class scope (withdrawn ones too: their records stay), and
 * students whose customer the actor owns — which only a consultant does. That includes whoever
 * enrolled them: a payment is signed by the customer's owner, and an enrolled customer keeps its
 * owner (it never returns to the pool, and 转交 leaves it alone).
 */
export function studentScope(actor: Actor): Scope {
  if (holds(actor, 'class.view_all') || holds(actor, 'customer.view_all')) return undefined;
  return or(
    sql`exists (select 1 from ${studentClasses} as ${enrolled}
      where ${enrolled.studentId} = ${students.id} and ${enrolled.classId} in (${classIdsOf(actor)}))`,
    ownsCustomerOf(actor, students.customerId),
  );
}

/** Attendance and scores of the lessons in the actor's lesson scope. */
export function studyRecordScope(actor: Actor): Scope {
  if (holds(actor, 'class.view_all')) return undefined;
  return sql`${studyRecords.courseRecordId} in (${lessonIdsOf(actor)})`;
}

// ---------------------------------------------------------------------------------------------------
// Single records and sets of ids

/** Whether the actor is the customer's current consultant (a fact, whatever they may see). */
export async function isOwner(db: Executor, actor: Actor, customerId: number): Promise<boolean> {
  if (!isRowId(customerId)) return false;
  return anyRow(db, customers, and(eq(customers.id, customerId), ownedBy(actor)));
}

/**
 * Whether the actor owned the customer once (a period of theirs, ended or not): a fact, whatever
 * they may see. It opens nothing by itself; a former owner's read-only view is built on it
 * (modules/customers/former-owner.ts), never a list.
 */
export async function wasOwner(db: Executor, actor: Actor, customerId: number): Promise<boolean> {
  if (!isRowId(customerId)) return false;
  return anyRow(
    db,
    customerDistributions,
    and(
      eq(customerDistributions.customerId, customerId),
      eq(customerDistributions.consultantId, actor.userId),
    ),
  );
}

/** Whether the actor teaches or tutors the class (a fact, whatever they may see). */
export async function teachesClass(db: Executor, actor: Actor, classId: number): Promise<boolean> {
  if (!isRowId(classId)) return false;
  return anyRow(db, classes, and(eq(classes.id, classId), taughtBy(actor)));
}

/** Whether any row of `table` meets `where`: the facts above read one row at most. */
async function anyRow(db: Executor, table: TableWithId, where: SQL | undefined): Promise<boolean> {
  const rows = await db.select({ id: table.id }).from(table).where(where).limit(1);
  return rows.length > 0;
}

/** A table whose rows are named by an integer `id`, as every table of the schema is. */
export type TableWithId = PgTable & { id: PgColumn };

/**
 * The ids, of those given, that exist in `table` and that `scope` allows, in the order given. A bulk
 * action acts on these and reports the rest as "not found or no access", whichever they are.
 */
export async function allowedIds(
  db: Executor,
  table: TableWithId,
  scope: Scope,
  ids: readonly number[],
): Promise<Set<number>> {
  const wanted = [...new Set(ids.filter(isRowId))];
  if (wanted.length === 0) return new Set();
  const rows = (await db
    .select({ id: table.id })
    .from(table)
    .where(and(sql`${table.id} = any(${intArraySql(wanted)})`, scope))) as { id: number }[];
  const found = new Set(rows.map((row) => row.id));
  return new Set(wanted.filter((id) => found.has(id)));
}

/**
 * The row with this id if the scope allows it; otherwise 404 "not found or no access", the same
 * answer as for an id that does not exist, so a record outside the scope is not revealed.
 */
export async function findInScope<T extends TableWithId>(
  db: Executor,
  table: T,
  id: number,
  scope: Scope,
): Promise<InferSelectModel<T>> {
  if (!isRowId(id)) throw notFound();
  const [row] = await db
    .select()
    .from(table as PgTable)
    .where(and(eq(table.id, id), scope))
    .limit(1);
  if (!row) throw notFound();
  return row as InferSelectModel<T>;
}

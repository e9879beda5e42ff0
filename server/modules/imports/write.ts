import { sql } from 'drizzle-orm';
import { addDays } from '../../clock.ts';
import { isUniqueViolation, queryRows, type Tx } from '../../db/client.ts';
import { lockRotation, type Rotation } from '../assignment/assign.ts';
import type { NormalisedContacts } from '../customers/duplicates.ts';
import { loadPoolSettings } from '../pool/settings.ts';
import type { BatchContext, Row } from './batch.ts';
import { refuseKnown } from './check.ts';

/** An import's writes: a batch's customers, their periods and interests, and the rows it refused. */

const contactKey = (c: NormalisedContacts) => `${c.phone}|${c.qq}|${c.wechat}`;

export async function saveErrors(tx: Tx, importId: number, refused: Row[]): Promise<void> {
  if (refused.length === 0) return;
  const entries = refused.flatMap((row) =>
    row.errors.map((e, i) => ({
      import_id: importId,
      row_num: row.row,
      column: e.column,
      message: e.message,
      code: e.code,
      params: e.params ?? null,
      // The row's cells go with its first reason only: the error report shows each row once.
      cells: i === 0 ? row.cells.map((c) => (c instanceof Date ? c.toISOString() : c)) : [],
    })),
  );
  await tx.execute(sql`
    insert into import_errors (import_id, row_num, "column", message, code, params, cells)
    select import_id, row_num, "column", message, code, params, cells
    from jsonb_to_recordset(${JSON.stringify(entries)}::jsonb)
      as e(import_id int, row_num int, "column" text, message text, code text, params jsonb, cells jsonb)`);
}

/**
 * Creates the batch's valid customers, each with its owner's period, in the batch's transaction.
 * A lead entered elsewhere in the meantime makes the insert fail on its unique contact: that row
 * joins the refused ones and the batch is tried again, so nothing is created twice.
 */
export async function commitRows(tx: Tx, ctx: BatchContext, rows: Row[], at: Date): Promise<number> {
  const { record, totals } = ctx;
  const rules = await loadPoolSettings(tx);
  const releaseAt = addDays(at, Math.min(rules.followUpDays, rules.dealDays));
  for (let attempt = 0; ; attempt++) {
    const valid = rows.filter((r) => r.errors.length === 0);
    if (valid.length === 0) return 0;
    const rotation: Rotation | null =
      record.assign === 'rotation' ? await lockRotation(tx, at, ctx.options.timezone) : null;
    const owners = valid.map((row) =>
      record.assign === 'column' ? row.consultantId : record.assign === 'rotation' ? rotation!.next() : null,
    );
    try {
      const ids = await tx.transaction((sp) => insertCustomers(sp, valid, owners, at, releaseAt));
      await insertPeriodsAndCourses(tx, valid, owners, ids, at);
      await rotation?.save();
      owners.forEach((owner) => {
        if (owner === null) totals.unowned += record.assign === 'rotation' ? 1 : 0;
        else totals.assigned.set(owner, (totals.assigned.get(owner) ?? 0) + 1);
      });
      return valid.length;
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 5) throw error;
      await refuseKnown(tx, ctx.viewer, ctx.header, valid);
    }
  }
}

async function insertCustomers(
  tx: Tx,
  rows: Row[],
  owners: (number | null)[],
  at: Date,
  releaseAt: Date,
): Promise<number[]> {
  const values = rows.map((row, i) => {
    const v = row.values;
    const owner = owners[i] ?? null;
    return {
      name: v.name,
      phone: v.phone ?? null,
      qq: v.qq ?? null,
      wechat: v.wechat ?? null,
      gender: v.gender ?? null,
      source: v.source ?? 'other',
      class_type: v.classType ?? null,
      education: v.education ?? null,
      graduation_school: v.graduationSchool ?? '',
      major: v.major ?? '',
      experience: v.experience ?? null,
      work_status: v.workStatus ?? null,
      company: v.company ?? '',
      salary: v.salary ?? '',
      note: v.note ?? '',
      consultant_id: owner,
      recv_at: owner === null ? null : at,
      last_consult_at: owner === null ? null : at,
      release_at: owner === null ? at : releaseAt,
      released_reason: owner === null ? 'unassigned' : null,
      created_at: v.createdAt ?? at,
    };
  });
  const inserted = await queryRows<{
    id: number;
    phone_norm: string | null;
    qq_norm: string | null;
    wechat_norm: string | null;
  }>(
    tx,
    sql`insert into customers (name, phone, qq, wechat, gender, source, class_type, education, graduation_school,
          major, experience, work_status, company, salary, note, consultant_id, recv_at, last_consult_at,
          release_at, released_reason, created_at, updated_at)
        select name, phone, qq, wechat, gender, source, class_type, education, graduation_school,
          major, experience, work_status, company, salary, note, consultant_id, recv_at, last_consult_at,
          release_at, released_reason, created_at, ${at}
        from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as r(
          name text, phone text, qq text, wechat text, gender text, source text, class_type text,
          education text, graduation_school text, major text, experience text, work_status text,
          company text, salary text, note text, consultant_id int, recv_at timestamptz,
          last_consult_at timestamptz, release_at timestamptz, released_reason text, created_at timestamptz)
        returning id, phone_norm, qq_norm, wechat_norm`,
  );
  // Every row has a contact no other row of the batch shares, so its normalised contacts find it.
  const byContacts = new Map(
    inserted.map((r) => [contactKey({ phone: r.phone_norm, qq: r.qq_norm, wechat: r.wechat_norm }), r.id]),
  );
  return rows.map((row) => {
    const id = byContacts.get(contactKey(row.contacts));
    if (id === undefined)
      throw new Error(`import: row ${row.row} was inserted but not found by its contacts`);
    return id;
  });
}

async function insertPeriodsAndCourses(
  tx: Tx,
  rows: Row[],
  owners: (number | null)[],
  ids: number[],
  at: Date,
): Promise<void> {
  const periods = ids.flatMap((id, i) => (owners[i] === null ? [] : [{ c: id, u: owners[i] }]));
  if (periods.length) {
    await tx.execute(sql`
      insert into customer_distributions (customer_id, consultant_id, started_at, status, via, created_at, updated_at)
      select c, u, ${at}, 'following', 'imported', ${at}, ${at}
      from jsonb_to_recordset(${JSON.stringify(periods)}::jsonb) as p(c int, u int)`);
  }
  const links = rows.flatMap((row, i) => row.courseIds.map((course) => ({ c: ids[i], k: course })));
  if (links.length) {
    await tx.execute(sql`
      insert into customer_courses (customer_id, course_id, created_at, updated_at)
      select c, k, ${at}, ${at} from jsonb_to_recordset(${JSON.stringify(links)}::jsonb) as l(c int, k int)`);
  }
}

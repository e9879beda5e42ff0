import { eq, sql } from 'drizzle-orm';
import { holds } from '../../auth/holders.ts';
import { addDays, now } from '../../clock.ts';
import { type Db, queryRows, type Tx, yieldToRequests } from '../../db/client.ts';
import { courses, importFiles, imports } from '../../db/schema/index.ts';
import { writeAudit } from '../../engine/audit.ts';
import { lockRotation, notifyNobodyHadQuota, type Rotation } from '../assignment/assign.ts';
import {
  contactFields,
  describeDuplicate,
  findByContacts,
  type NormalisedContacts,
  normaliseContacts,
  sharedField,
  type Viewer,
} from '../customers/duplicates.ts';
import { enqueue } from '../notify/outbox.ts';
import { loadPoolSettings } from '../pool/settings.ts';
import {
  cellText,
  columnTitle,
  type HeaderMap,
  isTemplateExample,
  mapHeader,
  type ParsedRow,
  parseRow,
} from './columns.ts';
import { type Cell, readRows, type SheetRow } from './read.ts';

/**
 * Rows per transaction: a crash leaves whole batches, and grabs wait on at most one. PGlite has one
 * connection, so every other request waits for a batch there: smaller ones keep the pages usable.
 */
export const IMPORT_BATCH = { postgres: 4_000, pglite: 1_000 } as const;

export type ImportRecord = typeof imports.$inferSelect;
export type Progress = { processed: number; total: number; created: number; errors: number };

export type RunOptions = {
  timezone: string;
  /** Who holds the import's claim; every batch renews it and fails if it was lost. */
  instance: string;
  leaseMs: number;
  batchSize: number;
  onProgress?: (progress: Progress) => void;
};

/** A reason the whole import stops: recorded as its failure, with what was done by then. */
export class ImportFailure extends Error {}
class LostClaim extends Error {}

type Row = SheetRow &
  ParsedRow & { contacts: NormalisedContacts; consultantId: number | null; courseIds: number[] };

type Totals = {
  processed: number;
  valid: number;
  created: number;
  skipped: number;
  errorRows: number;
  assigned: Map<number, number>;
  unowned: number;
};

const blank = (cells: Cell[]) => cells.every((c) => cellText(c) === '');
const contactKey = (c: NormalisedContacts) => `${c.phone}|${c.qq}|${c.wechat}`;

async function* nonBlank(rows: AsyncIterable<SheetRow> | Iterable<SheetRow>): AsyncGenerator<SheetRow> {
  for await (const row of rows) if (!blank(row.cells)) yield row;
}

async function take(rows: AsyncIterator<SheetRow>, count: number): Promise<SheetRow[]> {
  const batch: SheetRow[] = [];
  while (batch.length < count) {
    const next = await rows.next();
    if (next.done) break;
    batch.push(next.value);
  }
  return batch;
}

/** The header must name a customer and a way to reach them; say plainly what is missing. */
function checkHeader(header: HeaderMap, assign: string): void {
  const has = (key: string) => header.fields.includes(key as never);
  if (header.recognised.length === 0) {
    throw new ImportFailure(
      `第一行不是标题行：没有认出任何列（应有 姓名、手机、QQ、微信 等标题）${header.ignored.length ? `；读到的是：${header.ignored.slice(0, 8).join('、')}` : ''}`,
    );
  }
  if (!has('name')) throw new ImportFailure('缺少「姓名」列');
  if (!contactFields.some(has)) throw new ImportFailure('缺少联系方式列：手机、QQ、微信至少要有一列');
  if (assign === 'column' && !has('consultant')) {
    throw new ImportFailure('按课程顾问列分配时，表格必须有「课程顾问」列');
  }
}

/** Lookups an import needs for every row, loaded once: courses by name, staff by username or name. */
async function loadDirectory(db: Db) {
  const courseRows = await db.select({ id: courses.id, name: courses.name }).from(courses);
  const staff = await queryRows<{ id: number; username: string; name: string }>(
    db,
    sql`select id, username, name from users where active`,
  );
  const courseByName = new Map(courseRows.map((c) => [c.name.toLowerCase(), c.id]));
  const staffByName = new Map<string, number | 'ambiguous'>();
  for (const u of staff) {
    staffByName.set(u.username.toLowerCase(), u.id);
    const name = u.name.toLowerCase();
    const seen = staffByName.get(name);
    staffByName.set(name, seen === undefined || seen === u.id ? u.id : 'ambiguous');
  }
  return { courseByName, staffByName };
}

export async function runImport(db: Db, importId: number, options: RunOptions): Promise<void> {
  const [record] = await db.select().from(imports).where(eq(imports.id, importId));
  if (!record) return;
  const totals: Totals = {
    processed: 0,
    valid: 0,
    created: 0,
    skipped: 0,
    errorRows: 0,
    assigned: new Map(),
    unowned: 0,
  };
  try {
    const [file] = await db.select().from(importFiles).where(eq(importFiles.importId, importId));
    if (!file) throw new ImportFailure('The uploaded file is no longer stored; upload it again');
    const rows = nonBlank(readRows(file.data, record.format as 'xlsx' | 'csv'))[Symbol.asyncIterator]();
    const first = await rows.next();
    if (first.done) throw new ImportFailure('文件里没有任何内容');
    const header = mapHeader(first.value.cells);
    await db
      .update(imports)
      .set({
        header: first.value.cells.map((c) => (c instanceof Date ? c.toISOString() : c)),
        columns: header.recognised,
        ignoredColumns: header.ignored,
      })
      .where(eq(imports.id, importId));
    checkHeader(header, record.assign);

    const viewer = await viewerFor(db, record.userId);
    const directory = await loadDirectory(db);
    const seen = new Map<string, number>();
    const context = { db, record, header, viewer, directory, seen, totals, options };
    // A pipeline: while the database writes one batch, the next is read, parsed and checked
    // (checked on a second connection: rows of the batch being written are caught by `seen`).
    const checked = async (batch: Promise<SheetRow[]>) => {
      const rows = await batch;
      const at = now();
      return { rows: rows.length ? await checkRows(context, rows, at) : [], size: rows.length, at };
    };
    let next = checked(take(rows, options.batchSize));
    for (;;) {
      const batch = await next;
      if (batch.size === 0) break;
      next = checked(take(rows, options.batchSize));
      // Settled later, or reported with the batch that is being written now.
      next.catch(() => {});
      await writeBatch(context, batch);
      await yieldToRequests();
      options.onProgress?.({
        processed: totals.processed,
        total: record.totalRows,
        created: totals.created,
        errors: totals.errorRows,
      });
    }
    await finish(db, record, totals, options);
    await refreshStatistics(db, totals.created);
  } catch (error) {
    if (error instanceof LostClaim) return;
    const reason =
      error instanceof ImportFailure ? error.message : 'The import stopped on an unexpected error';
    await markFailed(db, importId, options.instance, `${reason}${doneSoFar(record, totals)}`);
    if (!(error instanceof ImportFailure)) throw error;
  }
}

const doneSoFar = (record: ImportRecord, totals: Totals) =>
  record.mode === 'commit' && totals.processed > 0
    ? `（已处理 ${totals.processed} 行，导入 ${totals.created} 行）`
    : '';

async function viewerFor(db: Db, userId: number): Promise<Viewer> {
  return { userId, seesAll: await holds(db, userId, 'customer.view_all') };
}

type BatchContext = {
  db: Db;
  record: ImportRecord;
  header: HeaderMap;
  viewer: Viewer;
  directory: Awaited<ReturnType<typeof loadDirectory>>;
  seen: Map<string, number>;
  totals: Totals;
  options: RunOptions;
};

/** Parses and checks a batch's rows: what is wrong with each, against the file and the database. */
async function checkRows(ctx: BatchContext, batch: SheetRow[], at: Date): Promise<Row[]> {
  const { header, directory, seen, record } = ctx;
  const rows: Row[] = [];
  for (const sheetRow of batch) {
    const parsed = parseRow(sheetRow.cells, header, { timezone: ctx.options.timezone, at });
    // Left in from the template: skipped (counted as such), neither imported nor an error.
    if (parsed.errors.length === 0 && isTemplateExample(parsed.values)) continue;
    const row: Row = {
      ...sheetRow,
      ...parsed,
      contacts: normaliseContacts(parsed.values),
      consultantId: null,
      courseIds: [],
    };
    for (const name of parsed.values.courseNames ?? []) {
      const id = directory.courseByName.get(name.toLowerCase());
      if (id === undefined)
        row.errors.push({
          column: columnTitle(header, 'courses'),
          message: `没有名为「${name.slice(0, 50)}」的课程`,
        });
      else if (!row.courseIds.includes(id)) row.courseIds.push(id);
    }
    if (record.assign === 'column') {
      const who = parsed.values.consultant;
      const id = who === undefined ? undefined : directory.staffByName.get(who.toLowerCase());
      if (who === undefined)
        row.errors.push({ column: columnTitle(header, 'consultant'), message: '必填（按课程顾问列分配）' });
      else if (id === undefined)
        row.errors.push({
          column: columnTitle(header, 'consultant'),
          message: `没有名为「${who.slice(0, 50)}」的在职员工`,
        });
      else if (id === 'ambiguous')
        row.errors.push({
          column: columnTitle(header, 'consultant'),
          message: `有多位员工叫「${who}」，请填用户名`,
        });
      else row.consultantId = id;
    }
    if (row.errors.length === 0) {
      for (const field of contactFields) {
        const value = row.contacts[field];
        const earlier = value === null ? undefined : seen.get(`${field}:${value}`);
        if (earlier !== undefined) {
          row.errors.push({ column: columnTitle(header, field), message: `与第 ${earlier} 行重复` });
        }
      }
    }
    if (row.errors.length === 0) {
      for (const field of contactFields) {
        const value = row.contacts[field];
        if (value !== null) seen.set(`${field}:${value}`, row.row);
      }
    }
    rows.push(row);
  }
  await refuseKnown(
    ctx.db,
    ctx.viewer,
    header,
    rows.filter((r) => r.errors.length === 0),
  );
  return rows;
}

/** Marks the rows whose contact is already on file (someone's customer, the pool, enrolled). */
async function refuseKnown(db: Db | Tx, viewer: Viewer, header: HeaderMap, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const existing = await findByContacts(
    db,
    rows.map((r) => r.contacts),
  );
  if (existing.length === 0) return;
  for (const row of rows) {
    for (const customer of existing) {
      const field = sharedField(row.contacts, customer);
      if (!field) continue;
      const { message } = describeDuplicate(viewer, customer, field, row.values[field] ?? '');
      row.errors.push({ column: columnTitle(header, field), message });
      break;
    }
  }
}

async function writeBatch(
  ctx: BatchContext,
  checked: { rows: Row[]; size: number; at: Date },
): Promise<void> {
  const { rows, at, size } = checked;
  const { db, record, totals, options } = ctx;
  await db.transaction(async (tx) => {
    let created = 0;
    if (record.mode === 'commit') created = await commitRows(tx, ctx, rows, at);
    const refused = rows.filter((r) => r.errors.length > 0);
    await saveErrors(tx, record.id, refused);
    const valid = rows.length - refused.length;
    const claimed = await queryRows<{ id: number }>(
      tx,
      sql`update imports set
            processed_rows = processed_rows + ${size}, valid_count = valid_count + ${valid},
            created_count = created_count + ${created},
            skipped_count = skipped_count + ${size - created - (record.mode === 'preview' ? valid : 0)},
            error_count = error_count + ${refused.length},
            total_rows = greatest(total_rows, processed_rows + ${size}),
            locked_until = ${addDays(at, options.leaseMs / 86_400_000)}, updated_at = ${at}
          where id = ${record.id} and status = 'running' and locked_by = ${options.instance}
          returning id`,
    );
    // Someone took this import over (our claim ran out): leave everything to them, write nothing.
    if (claimed.length === 0) throw new LostClaim();
    totals.processed += size;
    totals.valid += valid;
    totals.created += created;
    totals.errorRows += refused.length;
    totals.skipped += size - created - (record.mode === 'preview' ? valid : 0);
  });
}

async function saveErrors(tx: Tx, importId: number, refused: Row[]): Promise<void> {
  if (refused.length === 0) return;
  const entries = refused.flatMap((row) =>
    row.errors.map((e, i) => ({
      import_id: importId,
      row_num: row.row,
      column: e.column,
      message: e.message,
      // The row's cells go with its first reason only: the error report shows each row once.
      cells: i === 0 ? row.cells.map((c) => (c instanceof Date ? c.toISOString() : c)) : [],
    })),
  );
  await tx.execute(sql`
    insert into import_errors (import_id, row_num, "column", message, cells)
    select import_id, row_num, "column", message, cells
    from jsonb_to_recordset(${JSON.stringify(entries)}::jsonb)
      as e(import_id int, row_num int, "column" text, message text, cells jsonb)`);
}

/**
 * Creates the batch's valid customers, each with its owner's period, in the batch's transaction.
 * A lead entered elsewhere in the meantime makes the insert fail on its unique contact: that row
 * joins the refused ones and the batch is tried again, so nothing is created twice.
 */
async function commitRows(tx: Tx, ctx: BatchContext, rows: Row[], at: Date): Promise<number> {
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
      const code = ((error as { cause?: { code?: string } }).cause ?? (error as { code?: string })).code;
      if (code !== '23505' || attempt >= 5) throw error;
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

/** The import is done: its result, who was told, and (for a commit) its file let go. */
async function finish(db: Db, record: ImportRecord, totals: Totals, options: RunOptions): Promise<void> {
  const at = now();
  await db.transaction(async (tx) => {
    const done = await queryRows<{ id: number }>(
      tx,
      sql`update imports set status = 'done', total_rows = processed_rows, finished_at = ${at},
            locked_by = null, locked_until = null, updated_at = ${at}
          where id = ${record.id} and status = 'running' and locked_by = ${options.instance} returning id`,
    );
    if (done.length === 0) throw new LostClaim();
    if (record.mode !== 'commit') return;
    await tx.delete(importFiles).where(eq(importFiles.importId, record.id));
    await enqueue(
      tx,
      [
        {
          userId: record.userId,
          event: 'import_finished',
          payload: { importId: record.id, created: totals.created, errors: totals.errorRows },
          dedupeKey: `import_finished:${record.id}`,
        },
        ...[...totals.assigned].map(([consultantId, count]) => ({
          userId: consultantId,
          event: 'customer_assigned' as const,
          payload: { importId: record.id, count },
          dedupeKey: `customer_assigned:import:${record.id}:${consultantId}`,
        })),
      ],
      at,
    );
    if (totals.unowned > 0) {
      await notifyNobodyHadQuota(tx, {
        at,
        key: `import:${record.id}`,
        count: totals.unowned,
        importId: record.id,
      });
    }
    await writeAudit(tx, {
      actorId: record.userId,
      action: 'import',
      entity: 'customers',
      entityId: null,
      after: {
        importId: record.id,
        file: record.fileName,
        created: totals.created,
        errors: totals.errorRows,
      },
      at,
    });
  });
}

/**
 * A large import changes what the planner believes about customers (how many are in the pool, per
 * source…); until autovacuum notices, plans built on the old figures can be far off (a list page
 * took 32 ms instead of 1 after 100,000 imported rows). So the import refreshes them itself.
 */
const REANALYZE_AFTER = 5_000;

async function refreshStatistics(db: Db, created: number): Promise<void> {
  if (created < REANALYZE_AFTER) return;
  await db.execute(sql`analyze customers, customer_distributions`).catch(() => {});
}

export async function markFailed(
  db: Db,
  importId: number,
  instance: string | null,
  failure: string,
): Promise<void> {
  const at = now();
  await db.execute(sql`
    update imports set status = 'failed', failure = ${failure}, finished_at = ${at},
      locked_by = null, locked_until = null, updated_at = ${at}
    where id = ${importId} and status in ('queued', 'running')
      ${instance === null ? sql`` : sql`and locked_by = ${instance}`}`);
}

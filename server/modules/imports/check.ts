import { sql } from 'drizzle-orm';
import { holds } from '../../auth/holders.ts';
import { type Db, queryRows, type Tx } from '../../db/client.ts';
import { courses } from '../../db/schema/index.ts';
import {
  contactFields,
  describeDuplicate,
  findByContacts,
  normaliseContacts,
  sharedField,
  type Viewer,
} from '../customers/duplicates.ts';
import { ownerIds } from '../distributions/owners.ts';
import { type BatchContext, type Directory, ImportFailure, type ImportRecord, type Row } from './batch.ts';
import { columnTitle, type HeaderMap, isTemplateExample, parseRow } from './columns.ts';
import type { SheetRow } from './read.ts';
import { rowError } from './words.ts';

/** An import's checks: of its header, then of each batch's rows against the file and the database. */

/** The header must name a customer and a way to reach them; say plainly what is missing. */
export function checkHeader(header: HeaderMap, assign: ImportRecord['assign']): void {
  const has = (key: string) => (header.fields as readonly string[]).includes(key);
  if (header.recognised.length === 0) {
    throw new ImportFailure(
      'no_header',
      header.ignored.length ? { read: header.ignored.slice(0, 8).join('、') } : {},
    );
  }
  if (!has('name')) throw new ImportFailure('missing_name');
  if (!contactFields.some(has)) throw new ImportFailure('missing_contact');
  if (assign === 'column' && !has('consultant')) throw new ImportFailure('missing_consultant_column');
}

/** Lookups an import needs for every row, loaded once: courses by name, staff by username or name. */
export async function loadDirectory(db: Db): Promise<Directory> {
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
  return { courseByName, staffByName, owners: await ownerIds(db) };
}

export async function viewerFor(db: Db, userId: number): Promise<Viewer> {
  return { userId, seesAll: await holds(db, userId, 'customer.view_all') };
}

/** Parses and checks a batch's rows: what is wrong with each, against the file and the database. */
export async function checkRows(ctx: BatchContext, batch: SheetRow[], at: Date): Promise<Row[]> {
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
        row.errors.push(
          rowError(columnTitle(header, 'courses'), 'unknown_course', { name: name.slice(0, 50) }),
        );
      else if (!row.courseIds.includes(id)) row.courseIds.push(id);
    }
    if (record.assign === 'column') {
      const who = parsed.values.consultant;
      const id = who === undefined ? undefined : directory.staffByName.get(who.toLowerCase());
      const column = columnTitle(header, 'consultant');
      if (who === undefined) row.errors.push(rowError(column, 'consultant_required'));
      else if (id === undefined)
        row.errors.push(rowError(column, 'unknown_staff', { name: who.slice(0, 50) }));
      else if (id === 'ambiguous')
        row.errors.push(rowError(column, 'ambiguous_staff', { name: who.slice(0, 50) }));
      else if (!directory.owners.has(id))
        row.errors.push(rowError(column, 'cannot_own', { name: who.slice(0, 50) }));
      else row.consultantId = id;
    }
    if (row.errors.length === 0) {
      for (const field of contactFields) {
        const value = row.contacts[field];
        const earlier = value === null ? undefined : seen.get(`${field}:${value}`);
        if (earlier !== undefined) {
          row.errors.push(rowError(columnTitle(header, field), 'duplicate_in_file', { row: earlier }));
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
export async function refuseKnown(
  db: Db | Tx,
  viewer: Viewer,
  header: HeaderMap,
  rows: Row[],
): Promise<void> {
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
      const { code, params } = describeDuplicate(viewer, customer, field, row.values[field] ?? '');
      row.errors.push(rowError(columnTitle(header, field), code, params));
      break;
    }
  }
}

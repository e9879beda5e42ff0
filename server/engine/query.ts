import { and, asc, desc, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { type TSchema, Type } from 'typebox';
import type { Actor } from '../auth/sessions.ts';
import { isCalendarDate, isInstant } from '../http/dates.ts';
import { type DetailCode, invalidField } from '../http/errors.ts';
import type { FieldDef, ResourceConfig } from './types.ts';

export const MAX_PAGE_SIZE = 200;
/** Lists count their matches up to this many; past it the total is reported as at least this. */
export const LIST_COUNT_CAP = 10_000;

export type ListQuery = { q?: string; page?: number; pageSize?: number; sort?: string } & Record<
  string,
  string | number | undefined
>;

/** The query string a list accepts: a whitelist, so an unknown parameter is a 400, not ignored. */
export function listQuerySchema(config: ResourceConfig, extra: Record<string, TSchema> = {}): TSchema {
  const filters: Record<string, TSchema> = {};
  for (const field of config.fields.filter((f) => f.filter)) {
    filters[field.key] = Type.Optional(Type.String({ maxLength: 2000 }));
  }
  return Type.Object(
    {
      q: Type.Optional(Type.String({ maxLength: 100 })),
      page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
      pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE })),
      sort: Type.Optional(Type.String({ maxLength: 200 })),
      id: Type.Optional(
        Type.String({
          maxLength: 2000,
          description: 'Only these records (comma-separated ids): a link to a record in its list',
        }),
      ),
      ...filters,
      ...extra,
    },
    { additionalProperties: false },
  );
}

const invalid = (field: string, message: string, code: DetailCode = 'invalid') =>
  invalidField(field, code, message);

/** `%`, `_` and `\` are wildcards to ILIKE; a search for "50%" means the text. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The ILIKE pattern for "contains `q`". */
export const likePattern = (q: string) => `%${escapeLike(q)}%`;

function parseScalar(field: FieldDef, raw: string): string | number | boolean {
  const text = raw.trim();
  switch (field.kind) {
    case 'int':
    case 'ref': {
      if (field.kind === 'ref' && field.refValue && field.refValue !== 'id') return text;
      const value = Number(text);
      // Past PostgreSQL's integer, the database itself would refuse it with an error, not a miss.
      if (!/^-?\d{1,10}$/.test(text) || value > 2_147_483_647 || value < -2_147_483_648) {
        throw invalid(field.key, `"${raw.slice(0, 40)}" is not a whole number`);
      }
      return value;
    }
    case 'money':
      if (!/^-?\d{1,10}(\.\d{1,2})?$/.test(text))
        throw invalid(field.key, `"${raw.slice(0, 40)}" is not an amount`);
      return text;
    case 'bool':
      if (text !== 'true' && text !== 'false') throw invalid(field.key, 'must be true or false');
      return text === 'true';
    case 'date':
      if (!isCalendarDate(text)) {
        throw invalid(field.key, `"${raw.slice(0, 40)}" is not a date (YYYY-MM-DD)`, 'not_a_date');
      }
      return text;
    case 'datetime': {
      // A bare date means that day's start (or, as an upper bound, the whole day: see rangeCondition).
      if (!isInstant(text)) {
        throw invalid(field.key, `"${raw.slice(0, 40)}" is not a date or time (ISO 8601)`, 'not_a_date');
      }
      return text;
    }
    case 'enum': {
      const option = field.options?.find((o) => String(o.value) === text);
      if (!option) throw invalid(field.key, `"${raw.slice(0, 40)}" is not one of its values`, 'not_allowed');
      return option.value;
    }
    default:
      return text;
  }
}

/** A bare date's start as an instant: midnight of that day in the school's time zone. */
const dayStart = (day: string | number | SQL, timezone: string) =>
  sql`((${day})::date)::timestamp at time zone ${timezone}`;

function rangeCondition(field: FieldDef, column: PgColumn, raw: string, timezone: string): SQL {
  const parts = raw.split('..');
  if (parts.length !== 2) throw invalid(field.key, 'a range is written from..to');
  const [fromRaw = '', toRaw = ''] = parts;
  const conditions: SQL[] = [];
  const bareDay = (value: string | number | boolean): value is string =>
    field.kind === 'datetime' && /^\d{4}-\d{2}-\d{2}$/.test(String(value));
  if (fromRaw.trim()) {
    const from = parseScalar(field, fromRaw);
    // Days are the school's: "from 1 December" starts at midnight in its time zone, not the server's.
    conditions.push(
      bareDay(from) ? sql`${column} >= ${dayStart(from, timezone)}` : sql`${column} >= ${from}`,
    );
  }
  if (toRaw.trim()) {
    const to = parseScalar(field, toRaw);
    // "createdAt=2026-01-01..2026-01-31" includes the whole of the 31st.
    if (bareDay(to)) {
      conditions.push(sql`${column} < ${dayStart(sql`${to}::date + 1`, timezone)}`);
    } else {
      conditions.push(sql`${column} <= ${to}`);
    }
  }
  if (conditions.length === 0) throw invalid(field.key, 'a range needs at least one end');
  return and(...conditions)!;
}

function filterCondition(field: FieldDef, raw: string, timezone: string): SQL {
  if (field.filter === 'range') {
    if (!field.column) throw new Error(`range filter ${field.key} needs a column`);
    return rangeCondition(field, field.column, raw, timezone);
  }
  const parsed = filterValuesOf(field, raw);
  if (field.filterSql) return field.filterSql(parsed as (string | number)[]);
  if (!field.column) throw new Error(`filter ${field.key} needs a column or filterSql`);
  if (field.multiple) {
    return sql`${field.column} && ${sql.param(parsed)}`;
  }
  return parsed.length === 1 ? sql`${field.column} = ${parsed[0]}` : inArray(field.column, parsed);
}

/** A list filter's values, `a,b` split and each parsed for the field (400 for a bad one). */
export function filterValuesOf(field: FieldDef, raw: string): (string | number | boolean)[] {
  const values = raw.split(',').filter((v) => v.trim() !== '');
  if (values.length === 0) throw invalid(field.key, 'needs a value', 'required');
  if (values.length > 100) throw invalid(field.key, 'at most 100 values');
  return values.map((v) => parseScalar(field, v));
}

const idField: FieldDef = { key: 'id', title: 'ID', titleEn: 'ID', kind: 'int' };

/** `id=3,7`: those records, within the scope like any filter (the audit log links to records so). */
function idCondition(config: ResourceConfig, raw: string): SQL {
  return inArray(config.id, filterValuesOf(idField, raw) as number[]);
}

/** A field of `searchFields` the engine matches itself: text in a column (the rest: `searchSql`). */
export const searchedByEngine = (field: FieldDef) =>
  field.column !== undefined && (field.kind === 'text' || field.kind === 'longtext');

/** WHERE for a list: the caller's scope AND the keyword AND each filter (OR within one). */
export function whereOf(
  config: ResourceConfig,
  query: ListQuery,
  scope: SQL | undefined,
  timezone: string,
  actor: Actor,
): SQL | undefined {
  const conditions: (SQL | undefined)[] = [scope];
  const q = query.q?.trim();
  if (q && config.searchKeyword) {
    conditions.push(config.searchKeyword(q, actor));
  } else if (q) {
    const pattern = likePattern(q);
    const columns = config.searchFields
      .map((key) => config.fields.find((f) => f.key === key))
      .filter((f) => f !== undefined && searchedByEngine(f))
      .map((f) => f!.column as PgColumn);
    conditions.push(
      or(...columns.map((column) => ilike(column, pattern)), config.searchSql?.(pattern)) ?? sql`false`,
    );
  }
  if (query.id !== undefined && query.id !== '') conditions.push(idCondition(config, String(query.id)));
  for (const field of config.fields) {
    const raw = query[field.key];
    if (field.filter && raw !== undefined && raw !== '')
      conditions.push(filterCondition(field, String(raw), timezone));
  }
  return and(...conditions);
}

/** ORDER BY from `sort=-createdAt,name`, always ending with the id so pages never shuffle. */
export function orderOf(config: ResourceConfig, sortParam: string | undefined): SQL[] {
  if (!sortParam && config.defaultOrder) return [...config.defaultOrder, asc(config.id)];
  const keys = (sortParam ?? config.defaultSort).split(',').filter(Boolean);
  const order: SQL[] = [];
  for (const key of keys) {
    const descending = key.startsWith('-');
    const name = descending ? key.slice(1) : key;
    const field = config.fields.find((f) => f.key === name);
    if (!field?.column || field.sortable === false)
      throw invalid('sort', `cannot sort by "${name.slice(0, 40)}"`);
    order.push(descending ? desc(field.column) : asc(field.column));
  }
  if (!keys.some((k) => k.replace(/^-/, '') === 'id')) order.push(asc(config.id));
  return order;
}

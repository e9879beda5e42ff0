import { getTableName, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { TObject } from 'typebox';
import type { Actor } from '../auth/sessions.ts';
import { itemSchema } from './fields.ts';
import type { Detail, ListJson, ResourceConfig } from './types.ts';

/*
 * List pages whose items PostgreSQL writes as JSON text (ResourceConfig.listJson), for the lists
 * read most (customers, every keyword search; my customers): the server then parses a few columns
 * per row instead of every one, maps no values, builds no item objects and serializes none. At a
 * million customers that work was most of
 * the server's CPU per search (0.6 ms to run and map the page's rows, 0.3 to serialize them, of
 * 1.5; docs/benchmarks.md), and the server's one thread was what the whole mix waited for.
 *
 * PostgreSQL writes every property of the item (its schema, in its order) from its column, or from
 * `details` (SQL yielding json: a relation's name); what depends on the reader — a contact shown
 * whole or masked — is added by `finish` from the `raw` columns read beside, so the statement stays
 * the same for every reader (it is rendered once) and the rule stays in one place, in TypeScript.
 * test/list-json.test.ts holds every list answer written this way to the one `present` gives.
 */

/**
 * The resource's HTTP list answers with pages written so: it has a listJson, and no list cache
 * (which keeps pages as values).
 */
export const writesJsonPages = (config: ResourceConfig) => Boolean(config.listJson && !config.listCache);

/** One property from SQL yielding json (null when it yields none). */
export const jsonProperty = (key: string, json: SQL): Detail => ({
  keys: [key],
  text: sql`${keyText(key)} || coalesce((${json})::text, 'null')`,
});

/** The page's row as a JSON list statement reads it. */
export type JsonRow = Record<string, unknown> & { listItem: string };

/** A key's JSON property name and colon, as SQL text: keys are identifiers, never user input. */
function keyText(key: string): SQL {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`list JSON: unusable key ${key}`);
  return sql.raw(`'"${key}":'`);
}

/**
 * An instant as Date.toISOString writes it, as json text (null when there is none): UTC, to the
 * millisecond (PostgreSQL cuts the microseconds as JavaScript's Date does). A timestamp without a
 * time zone is read as UTC, as Drizzle reads it.
 */
export function instantText(instant: SQL, withTimezone = true): SQL {
  const utc = withTimezone ? sql`(${instant}) at time zone 'UTC'` : instant;
  return sql`coalesce('"' || to_char(${utc}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"', 'null')`;
}

/**
 * A column's value as the object path answers it (Drizzle's value, then fast-json-stringify), as
 * json text; null when it is null. Kinds not listed fail at start-up, not in an answer.
 */
function valueText(table: PgTable, column: PgColumn): SQL {
  const ref = sql`${sql.identifier(getTableName(table))}.${sql.identifier(column.name)}`;
  switch (column.columnType) {
    case 'PgInteger':
    case 'PgSerial':
    case 'PgSmallInt':
    case 'PgBigInt53':
    case 'PgBoolean':
    case 'PgText':
    case 'PgVarchar':
    case 'PgChar':
    case 'PgJson':
    case 'PgJsonb':
    case 'PgDateString':
    case 'PgArray':
      return sql`coalesce(to_json(${ref})::text, 'null')`;
    case 'PgNumeric':
      // Drizzle answers numeric as PostgreSQL writes it, a string.
      return sql`coalesce(to_json(${ref}::text)::text, 'null')`;
    case 'PgTimestamp':
      return instantText(ref, (column as unknown as { withTimezone: boolean }).withTimezone);
    default:
      throw new Error(
        `list JSON: ${getTableName(table)}.${column.name} is a ${column.columnType}, which it cannot write`,
      );
  }
}

/** Each resource's item SQL, built once: a walk narrowed by a filter renders its statement per page. */
const itemSql = new WeakMap<ResourceConfig, SQL>();

/**
 * The item as JSON text, without `finished`'s properties: every other property of the item's
 * schema in the schema's order, from the field's column or from `details`.
 */
function itemJsonSql(config: ResourceConfig, json: ListJson): SQL {
  const kept = itemSql.get(config);
  if (kept) return kept;
  const built = buildItemJsonSql(config, json);
  itemSql.set(config, built);
  return built;
}

function buildItemJsonSql(config: ResourceConfig, json: ListJson): SQL {
  const schema = itemSchema(config) as TObject;
  const parts: SQL[] = [];
  const written = new Set([...json.finished, ...(json.omitted ?? [])]);
  for (const key of Object.keys(schema.properties)) {
    if (written.has(key)) continue;
    const detail = json.details.find((d) => d.keys.includes(key));
    const column = key === 'id' ? config.id : config.fields.find((f) => f.key === key)?.column;
    if (!detail && !column)
      throw new Error(`list JSON: ${config.name}'s property ${key} has no column or detail`);
    for (const k of detail?.keys ?? [key]) written.add(k);
    const text = detail ? detail.text : sql`${keyText(key)} || ${valueText(config.table, column!)}`;
    parts.push(sql`${parts.length === 0 ? sql.raw(`'{'`) : sql.raw(`','`)} || ${text}`);
  }
  return sql`(${sql.join(parts, sql` || `)} || '}')`;
}

/** What a JSON list statement selects beside the count: the item's text and the raw columns. */
export function jsonColumns(config: ResourceConfig, json: ListJson): Record<string, SQL | PgColumn> {
  return { listItem: itemJsonSql(config, json), ...json.raw };
}

/** One item's JSON: PostgreSQL's text with the reader's properties added at its end. */
export function finishedItem(row: JsonRow, actor: Actor, at: Date, json: ListJson): string {
  const added = JSON.stringify(json.finish(row, actor, at));
  return added === '{}' ? row.listItem : `${row.listItem.slice(0, -1)},${added.slice(1)}`;
}

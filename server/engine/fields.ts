import type { PgColumn } from 'drizzle-orm/pg-core';
import { type TSchema, Type } from 'typebox';
import { MAX_ID } from '../db/schema/columns.ts';
import type { Labels } from '../db/schema/enums.ts';
import type { FieldDef, Option, ResourceConfig } from './types.ts';

/** Options of an enumeration declared in db/schema/enums.ts. */
export function optionsOf(labels: Record<string, Labels>): Option[] {
  return Object.entries(labels).map(([value, l]) => ({ value, title: l.zh, titleEn: l.en }));
}

function scalar(field: FieldDef, forBody: boolean): TSchema {
  switch (field.kind) {
    case 'text':
    case 'longtext':
    case 'password':
      return Type.String({
        maxLength: field.maxLength ?? (field.kind === 'longtext' ? 10_000 : 500),
        ...(forBody && field.required ? { minLength: 1 } : {}),
      });
    case 'int':
      return Type.Integer({ minimum: field.min ?? -2_147_483_648, maximum: field.max ?? 2_147_483_647 });
    case 'money':
      return forBody
        ? Type.Union([
            Type.Number({ minimum: field.min ?? -1e10, maximum: 1e10 }),
            Type.String({ pattern: '^-?\\d{1,10}(\\.\\d{1,2})?$' }),
          ])
        : Type.String();
    case 'bool':
      return Type.Boolean();
    case 'date':
      return Type.String({ format: 'date' });
    case 'datetime':
      return forBody
        ? Type.String({ format: 'date-time' })
        : Type.Unsafe({ type: 'string', format: 'date-time' });
    case 'enum': {
      const values = (field.options ?? []).map((o) => o.value);
      // Bodies are held to the options; answers are not, so that a code stored before its words
      // existed (an audit row, an event) is answered as it is rather than failing the whole list.
      if (typeof values[0] === 'number') return forBody ? Type.Integer({ enum: values }) : Type.Integer();
      return forBody ? Type.Unsafe<string>({ type: 'string', enum: values }) : Type.String();
    }
    case 'ref':
      return field.refValue && field.refValue !== 'id'
        ? Type.String({ maxLength: 200 })
        : Type.Integer({ minimum: 1, maximum: MAX_ID });
  }
}

function fieldSchema(field: FieldDef, forBody: boolean): TSchema {
  const one = scalar(field, forBody);
  const schema = field.multiple
    ? Type.Array(one, { maxItems: 1000, ...(forBody ? { uniqueItems: true } : {}) })
    : one;
  return field.nullable || (!forBody && !field.required) ? Type.Union([schema, Type.Null()]) : schema;
}

/** What a field may be written through: the form, not read-only. */
const writable = (field: FieldDef) => field.form !== false && !field.readOnly;

/** The body of POST: writable fields, required ones required, nothing else. */
export function createBodySchema(config: ResourceConfig): TSchema {
  const properties: Record<string, TSchema> = {};
  for (const field of config.fields.filter(writable)) {
    const schema = fieldSchema(field, true);
    properties[field.key] = field.required ? schema : Type.Optional(schema);
  }
  return Type.Object(properties, { additionalProperties: false });
}

/** The body of PATCH: any writable field except create-only ones, none required. */
export function updateBodySchema(config: ResourceConfig): TSchema {
  const properties: Record<string, TSchema> = {};
  for (const field of config.fields.filter((f) => writable(f) && !f.createOnly)) {
    properties[field.key] = Type.Optional(fieldSchema(field, true));
  }
  return Type.Object(properties, { additionalProperties: false, minProperties: 1 });
}

/** An item as answered: exactly the readable fields and the declared extras; secrets never. */
export function itemSchema(config: ResourceConfig): TSchema {
  return itemSchemaWith(config, {});
}

/**
 * An item with more beside it, for a route that answers a resource's item and adds to it (a grab's
 * `daysLeft`) or answers the row it wrote, whose columns may go beyond the fields.
 */
export function itemSchemaWith(config: ResourceConfig, more: Record<string, TSchema>): TSchema {
  const properties: Record<string, TSchema> = { id: Type.Integer() };
  for (const field of config.fields) {
    if (field.kind === 'password' || field.key === 'id') continue;
    properties[field.key] = Type.Optional(fieldSchema(field, false));
  }
  return Type.Object({
    ...properties,
    ...Object.fromEntries(Object.entries(config.extra ?? {}).map(([k, v]) => [k, Type.Optional(v)])),
    ...more,
  });
}

export function actionBodySchema(params: FieldDef[] = []): TSchema {
  const properties: Record<string, TSchema> = {
    ids: Type.Array(Type.Integer({ minimum: 1, maximum: MAX_ID }), {
      minItems: 1,
      maxItems: 1000,
      uniqueItems: true,
    }),
  };
  for (const field of params) {
    const schema = fieldSchema(field, true);
    properties[field.key] = field.required ? schema : Type.Optional(schema);
  }
  return Type.Object(properties, { additionalProperties: false });
}

/** The record's id: in every item and filterable, but no list column (people read names). */
export const idField = (column: PgColumn) =>
  ({
    key: 'id',
    title: 'ID',
    titleEn: 'ID',
    kind: 'int',
    column,
    readOnly: true,
    list: false,
  }) as const satisfies FieldDef;

/** When the record was created: read-only, stamped by the engine. */
export const createdAtField = (
  column: PgColumn,
  extra: Partial<Omit<FieldDef, 'key'>> = {},
): FieldDef & { key: 'createdAt' } => ({
  key: 'createdAt',
  title: '创建时间',
  titleEn: 'Created',
  kind: 'datetime',
  column,
  readOnly: true,
  ...extra,
});

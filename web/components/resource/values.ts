import dayjs, { type Dayjs } from 'dayjs';
import type { Field, Item } from '../../api/resource.ts';
import { inSchool } from '../../app/time.ts';

/**
 * Converting between what the API holds and what antd's inputs hold: dates are dayjs objects in the
 * form and ISO strings on the wire; a cleared input is null; multiple values are arrays.
 */
export type FormValues = Record<string, unknown>;

export function toFormValue(field: Field, value: unknown): unknown {
  if (value === null || value === undefined) return field.multiple ? [] : undefined;
  if (field.kind === 'date' || field.kind === 'datetime') {
    // A calendar day stays that day; an instant is shown as the school's clock reads it.
    const date = field.kind === 'date' ? dayjs(String(value)) : inSchool(String(value));
    return date.isValid() ? date : undefined;
  }
  if (field.kind === 'money' || field.kind === 'int') {
    const number = Number(value);
    return Number.isFinite(number) ? number : undefined;
  }
  return value;
}

const textKinds = new Set(['text', 'longtext']);

/** What a cleared input sends: null where the field allows it, else an empty text or list. */
function cleared(field: Field): unknown {
  if (field.multiple) return [];
  if (!field.nullable && textKinds.has(field.kind)) return '';
  return null;
}

export function toApiValue(field: Field, value: unknown): unknown {
  if (value === undefined || value === null) return cleared(field);
  if (field.kind === 'date' && dayjs.isDayjs(value)) return (value as Dayjs).format('YYYY-MM-DD');
  if (field.kind === 'datetime' && dayjs.isDayjs(value)) return (value as Dayjs).toISOString();
  if (field.kind === 'bool') return Boolean(value);
  if (typeof value === 'string' && field.kind !== 'password') {
    const trimmed = value.trim();
    return trimmed === '' ? cleared(field) : trimmed;
  }
  return value;
}

/**
 * The form's starting values: the item's when editing; when creating, the caller's defaults (the
 * meta has no default values) and false for switches, which cannot show "unset".
 */
export function initialFormValues(fields: Field[], item: Item | null, defaults: FormValues = {}): FormValues {
  const values: FormValues = {};
  for (const field of fields) {
    if (item) values[field.key] = toFormValue(field, item[field.key]);
    else if (field.key in defaults) values[field.key] = toFormValue(field, defaults[field.key]);
    else if (field.kind === 'bool') values[field.key] = false;
    else if (field.multiple) values[field.key] = [];
  }
  return values;
}

/** The body of a create: every field the user filled, nothing they left empty. */
export function createBody(fields: Field[], values: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.readOnly) continue;
    const value = toApiValue(field, values[field.key]);
    const empty = value === null || value === '' || (Array.isArray(value) && value.length === 0);
    if (empty && !field.required) continue;
    body[field.key] = value;
  }
  return body;
}

/** The body of a PATCH: only the fields whose value differs from the item's. */
export function changedBody(fields: Field[], values: FormValues, item: Item): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.readOnly || field.createOnly) continue;
    const before = toApiValue(field, toFormValue(field, item[field.key]));
    const after = toApiValue(field, values[field.key]);
    if (!sameValue(before, after)) body[field.key] = after;
  }
  return body;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const sorted = (list: unknown[]) => JSON.stringify(list.map(String).sort());
    return sorted(a) === sorted(b);
  }
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * Bad input for the API fuzz test: a corpus of hostile values (impossible dates, numbers past every
 * type, unicode the database or a regex might choke on, depth, sizes) and, from each route's own
 * OpenAPI schema, a plausible body to plant them in one field at a time, so they reach the code
 * behind validation and not only the validator.
 */

type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  pattern?: string;
  minLength?: number;
  minimum?: number;
  minItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
};

/** Percent-encoded bytes that are not UTF-8 (a lone surrogate, 0xFF), sent as they are. */
export const RAW_QUERY_VALUES = ['%ED%A0%80', '%FF%FE', '%C0%AF', '%'];

export const HOSTILE_DATES = [
  '2026-04-31',
  '2026-02-29',
  '0000-01-01',
  '9999-12-31',
  '10000-01-01',
  '2026-13-01',
  '2026-12-31T23:59:60Z',
  '2026-04-30T24:00:00Z',
  '0000-01-01T00:00:00Z',
  '2026-04-30T10:00:00+16:00',
  '275760-09-13',
  '-000001-01-01',
];

/** Dates and date ranges, tried on every parameter that names a day or an instant. */
export const DATE_QUERY_VALUES = [
  ...HOSTILE_DATES,
  '..2026-04-31',
  '2026-02-30..2026-03-01',
  '0000-01-01..',
  '..10000-01-01',
  '2026-04-30T25:00..',
  '2026-12-01..2026-01-01',
  '2026-12-01T10:00..2026-12-01T09:00',
];

/** Query-string values tried (in rotating shares) on every parameter of every list. */
export const QUERY_VALUES = [
  '',
  ' ',
  'x'.repeat(2001),
  '😀🇨🇳',
  '\u202egnp.exe',
  'e\u0301\u0301\u0301',
  "' or 1=1 --",
  '%_\\',
  '..',
  ',,,',
  '-1',
  '0',
  '1.5',
  '2147483648',
  '-2147483649',
  '99999999999999999999',
  '1e309',
  'NaN',
  'Infinity',
  'true',
  'null',
  '[]',
  '__proto__',
  'constructor',
  '2026-04-31',
  '1..2..3',
  '-5..-1',
  '1..99999999999',
  'a..b',
  'id,-id,id',
  '-',
  'name,phone,zzz',
];

/** Values planted in one body field at a time. */
export const BODY_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  2_147_483_648,
  -2_147_483_649,
  1e308,
  '',
  ' ',
  'x'.repeat(100_000),
  '😀'.repeat(60),
  '\ud800',
  '\u202e\u0000',
  "'; drop table customers; --",
  '99999999999.99',
  '-0.01',
  '1e309',
  '2026-04-31',
  [],
  [null],
  [2_147_483_648],
  Array.from({ length: 5000 }, (_, i) => i + 1),
  {},
  JSON.parse('{"__proto__": {"admin": true}}'),
  { constructor: { prototype: { admin: true } } },
];

/** Path ids that are not ids, or are ids of nothing. */
export const BAD_IDS = [
  '0',
  '-1',
  'abc',
  '1.5',
  '2147483648',
  '99999999999999999999',
  '999999',
  '1e3',
  '%20',
];

export function resolve(schema: Schema, root: { components?: { schemas?: Record<string, Schema> } }): Schema {
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop()!;
    return resolve(root.components?.schemas?.[name] ?? {}, root);
  }
  return schema;
}

const PLAUSIBLE_TEXT = ['100.00', '2026-12-01', 'fuzz', 'fuzz_code', 'Fuzz12345', '13800000000'];

/** Fields a plain reading of the schema cannot fill well, by name: contacts, passwords. */
export const NAMED_VALUES: [RegExp, unknown][] = [
  [/phone|mobile/i, '13800000000'],
  [/^qq$/i, '123456789'],
  [/wechat/i, 'fuzz_wechat'],
  [/email/i, 'fuzz@example.cn'],
  [/password/i, 'fuzz-password-9'],
  [/username/i, 'fuzzuser'],
];

/** A value the schema accepts, as near as a plain reading of it gets; ids are `id`. */
export function plausible(schema: Schema, root: Parameters<typeof resolve>[1], id: number): unknown {
  const s = resolve(schema, root);
  const branch = s.anyOf ?? s.oneOf;
  if (branch) return plausible(branch.find((b) => resolve(b, root).type !== 'null') ?? branch[0]!, root, id);
  if (s.allOf) return plausible(s.allOf[0]!, root, id);
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'integer':
    case 'number':
      return Math.max(s.minimum ?? id, id);
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => plausible(s.items ?? {}, root, id));
    case 'object': {
      const body: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(s.properties ?? {})) {
        const named = NAMED_VALUES.find(([pattern]) => pattern.test(key));
        if (named) body[key] = named[1];
        else if (s.required?.includes(key)) body[key] = plausible(property, root, id);
      }
      return body;
    }
    case 'string': {
      if (s.format === 'date') return '2026-12-01';
      if (s.format === 'date-time') return '2026-12-01T10:00:00+08:00';
      if (s.format === 'email') return 'fuzz@example.cn';
      const pattern = s.pattern ? new RegExp(s.pattern) : null;
      const text = PLAUSIBLE_TEXT.find((t) => (pattern ? pattern.test(t) : true)) ?? 'fuzz';
      return text.padEnd(s.minLength ?? 0, 'x');
    }
    default:
      return 'fuzz';
  }
}

/** A body nested `depth` levels deep, built as text (JSON.stringify would itself recurse). */
export const deepJson = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
export const deepObjectJson = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

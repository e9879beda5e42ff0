import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { isCalendarDate, isInstant } from './dates.ts';
import { badRequest } from './errors.ts';

/**
 * Bodies are validated strictly: no type coercion, unknown fields refused (not silently dropped),
 * so a client's typo is an error rather than a field quietly ignored. Query strings and params
 * arrive as text, so those are coerced.
 */
function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
    ...options,
  });
  addFormats.default(ajv);
  // ajv-formats lets through year 0000 and 23:59:60, which the database refuses (a 500).
  ajv.addFormat('date', isCalendarDate);
  ajv.addFormat('date-time', (text: string) => isInstant(text, { rfc3339: true }));
  return ajv;
}

const strictAjv = makeAjv({ coerceTypes: false });
const coercingAjv = makeAjv({ coerceTypes: 'array' });

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strictAjv : coercingAjv;
  return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
};

/** The first string anywhere in a parsed value holding a NUL character, as a field path. */
function nulField(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = nulField(item, `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulField(item, path ? `${path}.${key}` : key);
      if (found !== null) return found;
    }
  }
  return null;
}

/**
 * PostgreSQL text cannot hold NUL (U+0000), so such input would fail in the database as a 500.
 * Refused here instead, for query strings and bodies alike.
 */
export function refuseNulCharacters(request: { query: unknown; body: unknown; params: unknown }): void {
  const field = nulField(request.query, '') ?? nulField(request.body, '') ?? nulField(request.params, '');
  if (field !== null) {
    throw badRequest('validation', `${field || 'value'}: may not contain NUL characters`, [
      { field, message: 'may not contain NUL characters', code: 'nul_character' },
    ]);
  }
}

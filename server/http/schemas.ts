import { Type } from 'typebox';

/**
 * A string that is one of `codes` (an enumeration of db/schema/enums.ts), typed as their union so a
 * handler gets the code the column holds, not any string.
 */
export const Enumerated = <const T extends readonly string[]>(
  codes: T,
  options: { default?: T[number]; description?: string } = {},
) => Type.Unsafe<T[number]>({ type: 'string', enum: [...codes], ...options });

/** An instant: a Date in the handler's answer, an ISO string on the wire. */
export const Instant = Type.Unsafe<Date>({ type: 'string', format: 'date-time' });

const Params = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), {
  description: "the values the refusal names (a limit, a count), for wording it in the user's language",
});

/** The error body every failing call returns (docs/spec.md §8). */
export const ErrorBody = Type.Object(
  {
    error: Type.String(),
    message: Type.String(),
    details: Type.Optional(
      Type.Array(
        Type.Object({
          field: Type.String(),
          message: Type.String(),
          code: Type.String({ description: 'the rule the field broke, e.g. too_long' }),
          params: Type.Optional(Params),
        }),
      ),
    ),
    params: Type.Optional(Params),
    // A duplicate's record already on file (409 duplicate), as far as the caller may see it.
    existing: Type.Optional(
      Type.Object({
        id: Type.Integer(),
        name: Type.String(),
        field: Type.String(),
        consultant: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]),
        mine: Type.Boolean(),
      }),
    ),
  },
  { $id: 'ErrorBody', description: 'Error' },
);

const errorRef = Type.Ref('ErrorBody');

/** Standard error responses to attach to a route's `response` schema. */
export const errors = (...codes: (400 | 401 | 403 | 404 | 409 | 429 | 503)[]) =>
  Object.fromEntries(codes.map((code) => [code, errorRef]));

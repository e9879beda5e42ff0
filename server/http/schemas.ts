import { Type } from 'typebox';

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

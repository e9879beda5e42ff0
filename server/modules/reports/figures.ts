import { type Static, Type } from 'typebox';

/*
 * A consultant's month in figures, as GET /api/reports/performance and the dashboard answer it: the
 * schema the routes serialise with and the type the report computes and the web reads
 * (web/features/reports/api.ts), from one place. It imports no runtime server code, for the web.
 */

export const FiguresSchema = Type.Object({
  received: Type.Integer({ description: 'Ownership periods started: assigned, imported or manual' }),
  grabbed: Type.Integer({ description: 'Ownership periods started by grabbing from the pool' }),
  followedUp: Type.Integer({ description: 'Distinct customers followed up' }),
  enrolled: Type.Integer({ description: 'Ownership periods that ended enrolled' }),
  amount: Type.String({
    description: 'CNY: deposits and tuition less refunds and withdrawals (transfers not counted)',
    examples: ['12800.00'],
  }),
});

export const PerformanceRowSchema = Type.Object({
  consultant: Type.Object({ id: Type.Integer(), name: Type.String() }),
  ...FiguresSchema.properties,
});

/** Money is CNY with two decimals ("12800.00"), negative when refunds outweigh payments. */
export type Figures = Static<typeof FiguresSchema>;
export type PerformanceRow = Static<typeof PerformanceRowSchema>;

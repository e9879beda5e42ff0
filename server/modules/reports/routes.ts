import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../auth/gate.ts';
import type { Db } from '../../db/client.ts';
import { errors } from '../../http/schemas.ts';
import { dashboard } from './dashboard.ts';
import { monthlyPerformance } from './performance.ts';

const Instant = Type.Unsafe<Date>({ type: 'string', format: 'date-time' });
const Count = Type.Integer({ minimum: 0 });
const Month = Type.String({
  pattern: '^(19|20)\\d{2}-(0[1-9]|1[0-2])$',
  description: 'A calendar month, YYYY-MM, in the school’s time zone',
  examples: ['2026-11'],
});

const Figures = {
  received: Type.Integer({ description: 'Ownership periods started: assigned, imported or manual' }),
  grabbed: Type.Integer({ description: 'Ownership periods started by grabbing from the pool' }),
  followedUp: Type.Integer({ description: 'Distinct customers followed up' }),
  enrolled: Type.Integer({ description: 'Ownership periods that ended enrolled' }),
  amount: Type.String({
    description: 'CNY: deposits and tuition less refunds and withdrawals (transfers not counted)',
    examples: ['12800.00'],
  }),
};

const PerformanceRow = Type.Object({
  consultant: Type.Object({ id: Type.Integer(), name: Type.String() }),
  ...Figures,
});

export const reportRoutes: FastifyPluginAsyncTypebox<{ db: Db; timezone: string }> = async (
  app,
  { db, timezone },
) => {
  app.get(
    '/api/reports/performance',
    {
      config: { access: { permission: 'report.performance' } },
      schema: {
        tags: ['reports'],
        summary:
          "Month-end performance per consultant (everyone's with report.performance_all, else one's own)",
        querystring: Type.Object({ month: Type.Optional(Month) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            month: Type.String(),
            from: Instant,
            to: Instant,
            items: Type.Array(PerformanceRow),
            totals: Type.Object(Figures),
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) =>
      monthlyPerformance(db, { actor: actorOf(request), month: request.query.month, timezone }),
  );

  app.get(
    '/api/dashboard',
    {
      config: { access: { signedIn: true } },
      schema: {
        tags: ['reports'],
        summary: "The home page's figures: own customers, the pool and the team's month, as permitted",
        response: {
          200: Type.Object({
            month: Type.String(),
            mine: Type.Optional(
              Type.Object({
                following: Count,
                expiringWithinDay: Count,
                grabbedThisMonth: Count,
                enrolledThisMonth: Count,
              }),
            ),
            pool: Type.Optional(
              Type.Object({
                total: Count,
                capped: Type.Boolean({
                  description: 'More than `total` are public; counts are lower bounds',
                }),
                byReason: Type.Object({ no_followup: Count, no_deal: Count, unassigned: Count }),
              }),
            ),
            team: Type.Optional(Type.Array(PerformanceRow)),
          }),
          ...errors(401),
        },
      },
    },
    async (request) => dashboard(db, { actor: actorOf(request), timezone }),
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../auth/gate.ts';
import type { ModuleOptions } from '../../engine/routes.ts';
import { errors, Instant } from '../../http/schemas.ts';
import { AbsenceAlertSchema } from '../lessons/absence.ts';
import { dashboard } from './dashboard.ts';
import { FiguresSchema, PerformanceRowSchema } from './figures.ts';
import { monthlyPerformance } from './performance.ts';

const Count = Type.Integer({ minimum: 0 });
const Month = Type.String({
  pattern: '^(19|20)\\d{2}-(0[1-9]|1[0-2])$',
  description: 'A calendar month, YYYY-MM, in the school’s time zone',
  examples: ['2026-11'],
});

const Customers = (description: string) =>
  Type.Object(
    { following: Count, expiringWithinDay: Count, grabbedThisMonth: Count, enrolledThisMonth: Count },
    { description },
  );

const Lesson = Type.Object({
  id: Type.Integer(),
  dayNum: Type.Integer(),
  date: Type.String({ format: 'date' }),
  title: Type.String(),
  studyRecords: Type.Integer({ description: 'How many study records it has (0: never initialised)' }),
});

const MyClass = Type.Object({
  id: Type.Integer(),
  label: Type.String({ examples: ['Python全栈 (9期)'] }),
  roles: Type.Array(Type.Union([Type.Literal('teacher'), Type.Literal('tutor')])),
  students: Type.Integer({ description: 'Active students' }),
  toMark: Type.Integer({
    description:
      'Lessons dated today or earlier whose attendance and scores look unrecorded: no study record differs from the defaults or was saved since it was created (or none exist while the class has students)',
  }),
  lessonToMark: Type.Union([Lesson, Type.Null()], { description: 'The most recent lesson to mark' }),
  nextLesson: Type.Union([Lesson, Type.Null()], { description: 'The first lesson after today' }),
  alerts: Type.Array(AbsenceAlertSchema, {
    description:
      'Active students absent (缺勤) from the teaching setting’s number of recorded lessons in a row, or more, until they attend again; longest first, then by name',
  }),
});

/**
 * Reports: month-end performance and the home dashboard.
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   GET /api/reports/performance  report     performance.ts#monthlyPerformance
 *   GET /api/dashboard            dashboard  dashboard.ts#dashboard
 */
export const reportRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, options) => {
  const { db, timezone } = options;
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
            items: Type.Array(PerformanceRowSchema),
            totals: FiguresSchema,
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
        summary:
          "The home page's figures: own customers, the team's, the pool, the team's month, and a teacher's or tutor's classes, as permitted",
        response: {
          200: Type.Object({
            month: Type.String(),
            mine: Type.Optional(Customers("The caller's own customers and month (my_customer.list)")),
            teamSummary: Type.Optional(
              Customers("Everyone's customers and month together (customer.view_all)"),
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
            team: Type.Optional(Type.Array(PerformanceRowSchema)),
            classes: Type.Optional(
              Type.Array(MyClass, { description: 'The classes the caller teaches or tutors' }),
            ),
          }),
          ...errors(401),
        },
      },
    },
    async (request) => dashboard(db, { actor: actorOf(request), timezone }),
  );
};

import { and, asc, desc, eq, ilike, inArray, or, type SQL } from 'drizzle-orm';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { now } from '../../clock.ts';
import { classes, courses } from '../../db/schema/index.ts';
import { type OptionsPluginOptions, registerOptions } from '../../engine/options.ts';
import { classNames } from '../../engine/present.ts';
import { openForEnrolmentSql, schoolToday } from './rules.ts';

/**
 * Class names for pickers and labels (`GET /api/options/classes`), e.g. "Python全栈 (9期)" with its
 * English form: the payment form picks a class open for enrolment (`open=true`), a payment or a
 * student names the classes it points at (`id=1,2`). Anyone signed in may read them: a class's name
 * is what the school advertises, and every role meets classes (sales take payments for them,
 * finance checks those payments, teachers and tutors teach them). The list of classes, with its
 * teachers, dates and prices, stays behind `class.list` and the class scope.
 */
export const classOptionRoutes: FastifyPluginAsync<OptionsPluginOptions> = async (app, { db, timezone }) => {
  const named = (rows: { id: number; course: string; semester: number }[]) =>
    rows.map((row) => ({ id: row.id, ...classNames(row.course, row.semester) }));
  const select = () =>
    db
      .select({ id: classes.id, course: courses.name, semester: classes.semester })
      .from(classes)
      .innerJoin(courses, eq(courses.id, classes.courseId));

  registerOptions<{ open?: boolean }>(app, {
    name: 'classes',
    tag: 'classes',
    summary:
      'Class names for pickers: search by course or term (q), only those open for enrolment (open=true), or name given ids (id=1,2)',
    access: { signedIn: true },
    item: { nameEn: Type.String({ description: 'the name in English, e.g. "Python全栈 (term 9)"' }) },
    query: {
      open: Type.Optional(
        Type.Boolean({
          description: 'only classes that have not graduated (today in the school’s time zone)',
        }),
      ),
    },
    byIds: async (ids) => named(await select().where(inArray(classes.id, ids))),
    search: async ({ pattern, q, pageSize, query }) => {
      // "9" or "9期" finds the ninth term of every course.
      const term = /^(\d{1,4})\s*期?$/.exec(q)?.[1];
      const matches: SQL | undefined = q
        ? or(ilike(courses.name, pattern), term ? eq(classes.semester, Number(term)) : undefined)
        : undefined;
      const open = query.open ? openForEnrolmentSql(schoolToday(now(), timezone)) : undefined;
      return named(
        await select()
          .where(and(matches, open))
          // The newest classes first: the ones people enrol in and ask about.
          .orderBy(desc(classes.startDate), asc(courses.name), desc(classes.semester), asc(classes.id))
          .limit(pageSize),
      );
    },
  });
};

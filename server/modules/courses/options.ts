import { asc, ilike, inArray } from 'drizzle-orm';
import type { FastifyPluginAsync } from 'fastify';
import { courses } from '../../db/schema/index.ts';
import { type OptionsPluginOptions, registerOptions } from '../../engine/options.ts';

/**
 * Course names for pickers and labels (`GET /api/options/courses`): whoever enters a customer picks
 * the courses they asked about (咨询课程), and `course.list` — the course administration — is not
 * theirs. Anyone signed in may read the names: they are the school's catalogue, shown on every
 * customer; nothing else about a course is.
 */
export const courseOptionRoutes: FastifyPluginAsync<Pick<OptionsPluginOptions, 'db'>> = async (
  app,
  { db },
) => {
  const columns = { id: courses.id, name: courses.name };
  // In the catalogue's order, as a customer's courses are listed.
  registerOptions(app, {
    name: 'courses',
    tag: 'courses',
    summary: 'Course names for pickers: search (q), or name given ids (id=1,2)',
    access: { signedIn: true },
    byIds: (ids) => db.select(columns).from(courses).where(inArray(courses.id, ids)),
    search: ({ pattern, pageSize }) =>
      db
        .select(columns)
        .from(courses)
        .where(ilike(courses.name, pattern))
        .orderBy(asc(courses.id))
        .limit(pageSize),
  });
};

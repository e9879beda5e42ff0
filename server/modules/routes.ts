import type { FastifyPluginAsync } from 'fastify';
import type { ModuleOptions } from '../engine/routes.ts';
import { assignmentRoutes } from './assignment/routes.ts';
import { auditRoutes } from './audit/routes.ts';
import { classRoutes } from './classes/routes.ts';
import { consultRoutes } from './consults/routes.ts';
import { courseRoutes } from './courses/routes.ts';
import { customerRoutes } from './customers/routes.ts';
import { departmentRoutes } from './departments/routes.ts';
import { distributionRoutes } from './distributions/routes.ts';
import { inboxRoutes } from './inbox/routes.ts';
import { lessonRoutes } from './lessons/routes.ts';
import { menuRoutes } from './menus/routes.ts';
import { notificationRoutes } from './notify/routes.ts';
import { paymentRoutes } from './payments/routes.ts';
import { permissionRoutes } from './permissions/routes.ts';
import { poolRoutes } from './pool/routes.ts';
import { profileRoutes } from './profile/routes.ts';
import { reportRoutes } from './reports/routes.ts';
import { roleRoutes } from './roles/routes.ts';
import { schoolRoutes } from './schools/routes.ts';
import { studentRoutes } from './students/routes.ts';
import { userRoutes } from './users/routes.ts';

/**
 * The modules whose routes need only the database, the school's time zone and the pickers' rule;
 * session/, system/ and imports/ take more and are registered by app.ts itself. Each module's
 * routes.ts lists its endpoints.
 */
export const moduleRoutes: FastifyPluginAsync<ModuleOptions>[] = [
  userRoutes,
  roleRoutes,
  menuRoutes,
  permissionRoutes,
  departmentRoutes,
  schoolRoutes,
  courseRoutes,
  classRoutes,
  studentRoutes,
  lessonRoutes,
  customerRoutes,
  consultRoutes,
  paymentRoutes,
  distributionRoutes,
  poolRoutes,
  assignmentRoutes,
  notificationRoutes,
  profileRoutes,
  inboxRoutes,
  reportRoutes,
  auditRoutes,
];

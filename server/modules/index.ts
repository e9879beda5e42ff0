import type { ResourceConfig } from '../engine/types.ts';
import { auditLogResource } from './audit/resource.ts';
import { coursesResource } from './courses/resource.ts';
import { departmentsResource } from './departments/resource.ts';
import { menusResource } from './menus/resource.ts';
import { notificationsResource } from './notify/resource.ts';
import { permissionsResource } from './permissions/resource.ts';
import { rolesResource } from './roles/resource.ts';
import { schoolsResource } from './schools/resource.ts';
import { usersResource } from './users/resource.ts';

/** Every model served by the generic engine (SPEC §7, §8). */
export const resources: ResourceConfig[] = [
  usersResource,
  rolesResource,
  menusResource,
  permissionsResource,
  departmentsResource,
  schoolsResource,
  coursesResource,
  notificationsResource,
  auditLogResource,
];

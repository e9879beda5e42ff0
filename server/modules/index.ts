import type { ResourceConfig } from '../engine/types.ts';
import { saleRanksResource } from './assignment/resource.ts';
import { auditLogResourceOver } from './audit/resource.ts';
import { classesResource } from './classes/resource.ts';
import { consultRecordsResource } from './consults/resource.ts';
import { coursesResource } from './courses/resource.ts';
import { customersResource } from './customers/resource.ts';
import { departmentsResource } from './departments/resource.ts';
import { myCustomersResource } from './distributions/my-customers.ts';
import { distributionsResource } from './distributions/resource.ts';
import { lessonsResource, studyRecordsResource } from './lessons/resource.ts';
import { menusResource } from './menus/resource.ts';
import { notificationsResource } from './notify/resource.ts';
import { paymentRecordsResource } from './payments/resource.ts';
import { permissionsResource } from './permissions/resource.ts';
import { poolResource } from './pool/resource.ts';
import { rolesResource } from './roles/resource.ts';
import { schoolsResource } from './schools/resource.ts';
import { studentsResource } from './students/resource.ts';
import { usersResource } from './users/resource.ts';

const served: ResourceConfig[] = [
  usersResource,
  rolesResource,
  menusResource,
  permissionsResource,
  departmentsResource,
  schoolsResource,
  coursesResource,
  classesResource,
  studentsResource,
  lessonsResource,
  studyRecordsResource,
  customersResource,
  consultRecordsResource,
  paymentRecordsResource,
  distributionsResource,
  poolResource,
  myCustomersResource,
  saleRanksResource,
  notificationsResource,
];

/**
 * Every model served by the generic engine (docs/spec.md §7, §8); the audit log words what the
 * others write.
 */
export const auditLogResource = auditLogResourceOver(served);

export const resources: ResourceConfig[] = [...served, auditLogResource];

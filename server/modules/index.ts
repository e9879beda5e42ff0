import type { ResourceConfig } from '../engine/types.ts';
import { departmentsResource } from './departments/resource.ts';
import { menusResource } from './menus/resource.ts';
import { permissionsResource } from './permissions/resource.ts';
import { rolesResource } from './roles/resource.ts';
import { usersResource } from './users/resource.ts';

/** Every model served by the generic engine (SPEC §7, §8). */
export const resources: ResourceConfig[] = [
  usersResource,
  rolesResource,
  menusResource,
  permissionsResource,
  departmentsResource,
];

import type { Db } from '../db/client.ts';
import { resourceReads } from './reads.ts';
import type { ResourceConfig, School } from './types.ts';
import { resourceWrites } from './writes.ts';

export type { ListPage } from './reads.ts';
export type ResourceService = ReturnType<typeof resourceService>;

/**
 * What the API does with a resource — load, list, count, create, update, remove, act — as plain
 * functions the routes (routes.ts) and the tests call. `school`: whose days lists count in.
 */
export function resourceService(db: Db, config: ResourceConfig, school: School) {
  const reads = resourceReads(db, config, school);
  return { ...reads, ...resourceWrites(db, config, school, reads.load) };
}

import { rm } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';
import { dropPostgresDatabase, makePgliteTemplate, makePostgresTemplate, testDatabaseUrl } from './db.ts';

/** Migrates one template for the whole run; each test file copies it (test/db.ts). */
export default async function setup(project: TestProject) {
  const url = testDatabaseUrl();
  if (url) {
    const name = await makePostgresTemplate(url);
    project.provide('postgresTemplate', name);
    project.provide('pgliteTemplate', '');
    return async () => dropPostgresDatabase(url, name);
  }
  const file = await makePgliteTemplate();
  project.provide('pgliteTemplate', file);
  project.provide('postgresTemplate', '');
  return async () => rm(file, { force: true });
}

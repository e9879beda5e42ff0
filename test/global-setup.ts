import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import type { TestProject } from 'vitest/node';
import { THREAD_BUNDLES } from '../server/modules/imports/threads.ts';
import { dropPostgresDatabase, makePgliteTemplate, makePostgresTemplate, testDatabaseUrl } from './db.ts';

/**
 * The import threads as one JavaScript file each, built from the sources of this run. A thread
 * started from TypeScript registers tsx and loads the import's modules one by one, ~1.3 s on CI's
 * slow days, for each of the few hundred imports the suite runs; from one file, ~0.5 s. Within
 * node_modules, so that their packages resolve as the sources' do.
 */
async function bundleThreads(): Promise<string> {
  const cache = path.resolve('node_modules/.cache');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(cache, { recursive: true });
  const dir = await mkdtemp(path.join(cache, 'crm-threads-'));
  await build({
    entryPoints: ['thread', 'reader-thread'].map((name) => `server/modules/imports/${name}.ts`),
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
  return dir;
}

/** Migrates one template for the whole run; each test file copies it (test/db.ts). */
export default async function setup(project: TestProject) {
  const threads = await bundleThreads();
  // The test files' processes start after this, with this environment.
  process.env[THREAD_BUNDLES] = threads;
  const removeThreads = () => rm(threads, { recursive: true, force: true });
  const url = testDatabaseUrl();
  if (url) {
    const name = await makePostgresTemplate(url);
    project.provide('postgresTemplate', name);
    project.provide('pgliteTemplate', '');
    return async () => {
      await dropPostgresDatabase(url, name);
      await removeThreads();
    };
  }
  const file = await makePgliteTemplate();
  project.provide('pgliteTemplate', file);
  project.provide('postgresTemplate', '');
  return async () => {
    await rm(file, { force: true });
    await removeThreads();
  };
}

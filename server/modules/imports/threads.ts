import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A folder of these threads bundled as JavaScript (`<name>.mjs`), when set: the test suite builds
 * them once per run (test/global-setup.ts) rather than have every thread load TypeScript.
 */
export const THREAD_BUNDLES = 'CRM_TEST_THREAD_BUNDLES';

/**
 * A module of this folder run in a thread of its own, with its own heap limit: what it allocates
 * past that ends the thread (ERR_WORKER_OUT_OF_MEMORY), never the process.
 */
export function startThread(
  name: string,
  workerData: unknown,
  heapMb: number,
  transferList: ArrayBuffer[] = [],
): Worker {
  const bundles = process.env[THREAD_BUNDLES];
  if (bundles) {
    return new Worker(pathToFileURL(path.join(bundles, `${name}.mjs`)), {
      workerData,
      transferList,
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
    });
  }
  const typescript = import.meta.url.endsWith('.ts');
  const file = new URL(`./${name}.${typescript ? 'ts' : 'js'}`, import.meta.url);
  // Under tsx (development, tests) the thread registers the loader itself, then reads TypeScript.
  const entry = typescript
    ? `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(file.href)}); });`
    : file;
  return new Worker(entry, {
    eval: typescript,
    workerData,
    transferList,
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
  });
}

export const outOfMemory = (error: unknown) =>
  (error as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';

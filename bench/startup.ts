import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { cliEnv, freePort, root, stopServer, tempDir } from '../test/cli.ts';

/** Milliseconds from spawning `node scripts/start.mjs` (what `npm start` runs) to a healthy answer. */
async function timeStart(dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: root,
    env: cliEnv(dataDir, { PORT: String(port) }),
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return performance.now() - started;
      } catch {
        // not yet listening
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    await stopServer(child);
  }
}

/** Fresh data directory (migrate + demo data) and restart, each `runs` times; the build must exist. */
export async function startupBench(runs = 3) {
  const fresh: number[] = [];
  const restart: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = await tempDir('crm-bench-');
    fresh.push(await timeStart(dir));
    restart.push(await timeStart(dir));
    await rm(dir, { recursive: true, force: true });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  return {
    freshMs: Math.round(median(fresh)),
    restartMs: Math.round(median(restart)),
    runs,
    samples: { fresh: fresh.map(Math.round), restart: restart.map(Math.round) },
  };
}

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
  }
}

const root = path.resolve(import.meta.dirname, '../..');
const webIndex = path.join(root, 'dist/web/index.html');
const serverLog = path.join(root, 'test-results/e2e-server.log');

/** Builds the web app, starts the real server on a fresh database, and hands the tests its URL. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  buildWebIfStale();
  // CRM_E2E_URL points the tests at a server that is already running (and already has the demo data).
  const external = process.env.CRM_E2E_URL;
  if (external) {
    project.provide('baseURL', external.replace(/\/$/, ''));
    return async () => {};
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'crm-e2e-'));
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;

  mkdirSync(path.dirname(serverLog), { recursive: true });
  const log = createWriteStream(serverLog);
  const server = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/cli.ts', 'serve', '--port', String(port)],
    {
      cwd: root,
      env: {
        ...process.env,
        CRM_DATA_DIR: dataDir,
        CRM_DEMO_PASSWORD: 'demo1234',
        // The story test moves time (and puts it back); nothing else touches the clock.
        CRM_TEST_CLOCK: '1',
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);

  const stop = async () => {
    await stopProcess(server);
    log.end();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // A guard against a server that never comes up (it fails at once if the process exits); on a
    // busy machine a first start, which migrates and loads the demo, was seen taking over 90 s.
    await waitForHealth(baseURL, server, 300_000);
  } catch (error) {
    await stop();
    throw error;
  }
  project.provide('baseURL', baseURL);
  return stop;
}

/** Tests must see the current web code: build when there is no build or a source is newer. */
function buildWebIfStale(): void {
  if (existsSync(webIndex)) {
    const built = statSync(webIndex).mtimeMs;
    const sources = [...listFiles(path.join(root, 'web')), path.join(root, 'vite.config.ts')];
    if (sources.every((file) => statSync(file).mtimeMs <= built)) return;
  }
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build'], {
    cwd: root,
    // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
  });
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitForHealth(baseURL: string, server: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(
        `The server exited (${server.exitCode ?? server.signalCode}) before it was ready; see ${serverLog}`,
      );
    }
    try {
      const response = await fetch(`${baseURL}/api/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The server did not answer /api/health within ${timeoutMs / 1000} s; see ${serverLog}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  // A clean shutdown releases the database lock; give it a moment before insisting.
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

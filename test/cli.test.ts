import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, startServer, stopServer, tempDir } from './cli.ts';

// Child processes on the embedded database: these run the real CLI, as an administrator would.
let dataDir: string;
beforeAll(async () => {
  dataDir = await tempDir('crm-cli-');
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('crm CLI', { timeout: 120_000 }, () => {
  it('explains itself and refuses unknown commands with a non-zero exit', async () => {
    const help = await runCli(['help'], cliEnv(dataDir));
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('serve [--port N]');
    const unknown = await runCli(['frobnicate'], cliEnv(dataDir));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Unknown command "frobnicate"');
    const badFlag = await runCli(['serve', '--port', 'eighty'], cliEnv(dataDir));
    expect(badFlag.code).toBe(1);
    expect(badFlag.stderr).toContain('--port must be a port number');
  });

  it('migrates, creates users, checks passwords, and changes passwords', async () => {
    const env = cliEnv(dataDir);
    expect((await runCli(['migrate'], env)).code).toBe(0);
    const short = await runCli(
      ['user', 'create', '--username', 'ops', '--name', '运维', '--password', 'short'],
      env,
    );
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('at least 8 characters');
    const created = await runCli(
      ['user', 'create', '--username', 'ops', '--name', '运维', '--role', 'nonexistent'],
      env,
      'long-enough-password\n',
    );
    expect(created.code).toBe(1);
    expect(created.stderr).toContain('Unknown role: nonexistent');
    const ok = await runCli(
      ['user', 'create', '--username', 'ops', '--name', '运维'],
      env,
      'long-enough-password\n',
    );
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Created user ops');
    const again = await runCli(
      ['user', 'create', '--username', 'ops', '--name', 'X', '--password', 'another-password'],
      env,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already taken');
    const nobody = await runCli(['user', 'password', 'ghost', '--password', 'whatever-123'], env);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('No user "ghost"');
    const changed = await runCli(['user', 'password', 'ops'], env, 'a-new-password\n');
    expect(changed.code).toBe(0);
  });

  it('refuses demo data on a database that already has users', async () => {
    const seeded = await runCli(['seed', '--demo'], cliEnv(dataDir));
    expect(seeded.code).toBe(1);
    expect(seeded.stderr).toContain('already has users');
  });
});

describe('the embedded data directory lock', { timeout: 120_000 }, () => {
  it('lets one process in: a second server or command is refused by name, and the first is unharmed', async () => {
    const dir = await tempDir('crm-lock-');
    const env = cliEnv(dir);
    const first = await startServer(env, ['--no-demo']);
    try {
      const second = await runCli(['serve', '--no-demo', '--port', '0'], env);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`in use by process ${first.child.pid}`);
      const migrate = await runCli(['migrate'], env);
      expect(migrate.code).toBe(1);
      expect(migrate.stderr).toContain(`in use by process ${first.child.pid}`);
      const health = await fetch(`${first.url}/api/health`);
      expect(await health.json()).toEqual({ ok: true, database: 'pglite' });
    } finally {
      expect(await stopServer(first.child)).toBe(0);
    }
    // A clean shutdown releases the lock; a later command gets in.
    expect(existsSync(path.join(dir, 'crm.lock'))).toBe(false);
    expect((await runCli(['migrate'], env)).code).toBe(0);
    await rm(dir, { recursive: true, force: true });
  });

  it('takes over a lock left by a process that died', async () => {
    const dir = await tempDir('crm-stale-');
    const env = cliEnv(dir);
    const server = await startServer(env, ['--no-demo']);
    server.child.kill('SIGKILL');
    await new Promise((r) => server.child.once('exit', r));
    expect(existsSync(path.join(dir, 'crm.lock'))).toBe(true);
    const migrate = await runCli(['migrate'], env);
    expect(migrate.code).toBe(0);
    await rm(dir, { recursive: true, force: true });
  });
});

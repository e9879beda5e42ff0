import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, startServer, stopServer, tempDir } from './cli.ts';

// Child processes on the embedded database: these run the real CLI, as an administrator would.
// Whatever database the suite runs on, they run on their own data directory, so the PostgreSQL run
// would only repeat the PGlite run's two minutes.
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
let dataDir: string;
beforeAll(async () => {
  dataDir = await tempDir('crm-cli-');
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

// Each test starts up to ten processes, each loading the server and the embedded database: 2–5 s
// apiece alone, several times that on a loaded machine.
describe.skipIf(onPostgres)('crm CLI', { timeout: 300_000 }, () => {
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

  it('sweeps at a given instant, and refuses an instant it cannot read', async () => {
    const env = cliEnv(dataDir);
    const swept = await runCli(['sweep', '--at', '2030-01-01T00:05:00+08:00'], env);
    expect(swept.code).toBe(0);
    expect(swept.stdout).toMatch(/^Sweep at 2029-12-31T16:05:00.000Z: released \d+, reminded \d+\.$/m);
    const again = await runCli(['sweep', '--at', '2030-01-01T00:05:00+08:00'], env);
    expect(again.stdout).toContain('released 0, reminded 0.');
    const bad = await runCli(['sweep', '--at', 'tomorrow'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--at must be an ISO 8601 instant');
  });

  it('imports customers from a file with its progress, and refuses what it cannot take', async () => {
    const env = cliEnv(dataDir);
    const file = path.join(dataDir, 'leads.csv');
    await writeFile(file, '姓名,手机,来源\n命令行甲,13912340001,百度推广\n命令行乙,13912340002,火星\n');
    const preview = await runCli(['import', file, '--as', 'ops', '--preview'], env);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toMatch(/^Preview #\d+ of leads.csv: 2 rows, 1 valid, 0 created, 1 refused\.$/m);
    expect(preview.stderr).toContain('100%');
    const done = await runCli(['import', file, '--as', 'ops', '--assign', 'pool'], env);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/Import #\d+ of leads.csv: 2 rows, 1 valid, 1 created, 1 refused\./);
    expect(done.stdout).toContain('errors.xlsx');
    // The same file again: its one good row is now a duplicate.
    const again = await runCli(['import', file, '--as', 'ops'], env);
    expect(again.stdout).toContain('0 created, 2 refused');
    for (const [args, message] of [
      [['import', file], '--as USERNAME'],
      [['import', file, '--as', 'ghost'], 'No active user "ghost"'],
      [['import', path.join(dataDir, 'missing.csv'), '--as', 'ops'], 'Cannot read'],
      [['import', file, '--as', 'ops', '--assign', 'everyone'], '--assign must be'],
    ] as const) {
      const refused = await runCli([...args], env);
      expect(refused.code, args.join(' ')).toBe(1);
      expect(refused.stderr).toContain(message);
    }
    const picture = path.join(dataDir, 'photo.xlsx');
    await writeFile(picture, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
    const notSheet = await runCli(['import', picture, '--as', 'ops'], env);
    expect(notSheet.code).toBe(1);
    expect(notSheet.stderr).toContain('not what its name says');
  });

  it('refuses demo data on a database that already has users', async () => {
    const seeded = await runCli(['seed', '--demo'], cliEnv(dataDir));
    expect(seeded.code).toBe(1);
    expect(seeded.stderr).toContain('already has users');
  });
});

describe.skipIf(onPostgres)('the embedded data directory lock', { timeout: 300_000 }, () => {
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
      // The sweep acts on the server's data: it says where to run it instead.
      const sweep = await runCli(['sweep'], env);
      expect(sweep.code).toBe(1);
      expect(sweep.stderr).toContain('POST /api/admin/sweep');
      const imported = await runCli(['import', path.join(dir, 'any.csv'), '--as', 'admin'], env);
      expect(imported.code).toBe(1);
      expect(imported.stderr).toContain('POST /api/customers/import');
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

#!/usr/bin/env node
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { now } from './clock.ts';
import { ConfigError, loadConfig } from './config.ts';
import type { Database } from './db/client.ts';
import { DataDirLockedError } from './db/lock.ts';
import { codesInWords, importAssign, isCodeOf } from './db/schema/enums.ts';
import { HttpError } from './http/errors.ts';

// Each command loads only what it uses (the server, the spreadsheet reader, the seeds…): `help` or a
// refused flag answers in a fraction of the time it takes to load them all.

const USAGE = `Banyan CRM — npm run crm -- <command>

  serve [--port N] [--host H] [--no-demo]   start the server (demo data on an empty database)
  migrate                                   apply database migrations
  seed --demo                               load the demo data into an empty database
  seed --scale N                            load a synthetic school of N customers into an empty database
  sweep [--at ISO]                          release expired customers into the pool and remind owners now
  import FILE --as USERNAME [--preview] [--assign rotation|column|pool]
                                            import customers from an .xlsx or .csv file
  user create --username U --name N [--password P] [--role CODE ...] [--email E] [--phone P]
  user password USERNAME [--password P]     set a password (asked for when not given)
  help                                      this text

The database is DATABASE_URL when set, else the embedded one in CRM_DATA_DIR (./data).`;

class UsageError extends Error {}
/** A refusal with its own explanation (no usage text). */
class CommandError extends Error {}

/** A password from the flag, or typed at a prompt without echo, or the first line of stdin. */
async function readPassword(given: string | undefined): Promise<string> {
  if (given !== undefined) return given;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  if (process.stdin.isTTY) {
    process.stdout.write('Password: ');
    // Keep what is typed off the screen.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
  }
  const line = await new Promise<string>((resolve) => {
    rl.once('line', resolve);
    rl.once('close', () => resolve(''));
  });
  rl.close();
  if (process.stdin.isTTY) process.stdout.write('\n');
  if (!line) throw new UsageError('No password given (use --password or type it when asked)');
  return line;
}

/**
 * Runs a command against the configured database, closing it (and its lock) afterwards. With
 * `wait`, a database that is not up yet is waited for (a deployment's migrate step may start first).
 */
async function withDatabase<T>(command: string, run: (db: Database) => Promise<T>, wait = false) {
  const { openDatabase } = await import('./db/client.ts');
  const { prepareDatabase } = await import('./prepare.ts');
  const { untilDatabaseAnswers } = await import('./http/outage.ts');
  const database = await openDatabase(loadConfig(), command);
  try {
    const log = { warn: (_: object, message: string) => console.error(message) };
    if (wait) await untilDatabaseAnswers(() => prepareDatabase(database), { log, what: command });
    else await prepareDatabase(database);
    return await run(database);
  } finally {
    await database.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve': {
      const { values } = parseArgs({
        args: rest,
        options: { port: { type: 'string' }, host: { type: 'string' }, 'no-demo': { type: 'boolean' } },
      });
      const port = values.port === undefined ? undefined : Number(values.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
        throw new UsageError(`--port must be a port number, got "${values.port}"`);
      }
      const { serve } = await import('./main.ts');
      await serve({ port, host: values.host, demo: !values['no-demo'] });
      return -1; // keep running
    }
    case 'migrate': {
      parseArgs({ args: rest, options: {} });
      await withDatabase('crm migrate', async () => {}, true);
      console.log('The database is up to date.');
      return 0;
    }
    case 'seed': {
      const { values } = parseArgs({
        args: rest,
        options: { demo: { type: 'boolean' }, scale: { type: 'string' } },
      });
      if (values.demo && values.scale !== undefined) {
        throw new UsageError('seed takes either --demo or --scale N, not both');
      }
      if (values.scale !== undefined) {
        // A synthetic school of N customers for benchmarks, with progress on stderr.
        const MAX_SCALE = 5_000_000;
        const customers = /^[0-9]+$/.test(values.scale) ? Number(values.scale) : Number.NaN;
        if (!Number.isSafeInteger(customers) || customers < 1 || customers > MAX_SCALE) {
          throw new UsageError(
            `--scale must be a whole number from 1 to ${MAX_SCALE.toLocaleString('en')}, got "${values.scale}"`,
          );
        }
        const config = loadConfig();
        if (config.production) throw new UsageError('Scale data is never loaded with NODE_ENV=production');
        const { isDatabaseEmpty } = await import('./seed/demo.ts');
        const { seedScale } = await import('./seed/scale.ts');
        await withDatabase('crm seed', async (database) => {
          if (!(await isDatabaseEmpty(database.db))) {
            throw new UsageError(
              'The database already has users; scale data is only loaded into an empty database',
            );
          }
          const started = performance.now();
          const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
          const summary = await seedScale(database, {
            customers,
            at: now(),
            password: config.demoPassword,
            timezone: config.timezone,
            onProgress: (done, total) => {
              const percent = Math.floor((done / total) * 100);
              process.stderr.write(
                `\rLoading customers: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} (${percent}%, ${seconds()} s)`,
              );
            },
          });
          process.stderr.write('\n');
          console.log('Scale data loaded:', JSON.stringify(summary));
          console.log(`Took ${seconds()} s.`);
        });
        return 0;
      }
      if (!values.demo) throw new UsageError('seed needs --demo or --scale N');
      const config = loadConfig();
      if (config.production) throw new UsageError('Demo data is never loaded with NODE_ENV=production');
      const { isDatabaseEmpty, seedDemo } = await import('./seed/demo.ts');
      await withDatabase('crm seed', async ({ db }) => {
        if (!(await isDatabaseEmpty(db))) {
          throw new UsageError(
            'The database already has users; demo data is only loaded into an empty database',
          );
        }
        const summary = await seedDemo(db, { password: config.demoPassword, at: now() });
        console.log('Demo data loaded:', JSON.stringify(summary));
      });
      return 0;
    }
    case 'sweep': {
      const { values } = parseArgs({ args: rest, options: { at: { type: 'string' } } });
      const at = values.at === undefined ? now() : new Date(values.at);
      if (Number.isNaN(at.getTime()) || (values.at !== undefined && !/^\d{4}-\d{2}-\d{2}/.test(values.at))) {
        throw new UsageError(`--at must be an ISO 8601 instant, got "${values.at}"`);
      }
      const { sweep } = await import('./modules/pool/sweep.ts');
      try {
        await withDatabase('crm sweep', async ({ db }) => {
          const result = await sweep(db, at);
          console.log(
            `Sweep at ${at.toISOString()}: released ${result.released}, reminded ${result.reminded}.`,
          );
        });
      } catch (error) {
        if (!(error instanceof DataDirLockedError)) throw error;
        // The running server owns the embedded database: the sweep belongs to it.
        throw new CommandError(
          `${error.message}\nRun the sweep through that server instead: POST /api/admin/sweep (as an administrator), or point DATABASE_URL at a PostgreSQL server.`,
        );
      }
      return 0;
    }
    case 'import':
      return importCommand(rest);
    case 'user':
      return userCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`Unknown command "${command}"`);
  }
}

async function importCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { as: { type: 'string' }, preview: { type: 'boolean' }, assign: { type: 'string' } },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('import needs exactly one FILE');
  if (!values.as) throw new UsageError('import needs --as USERNAME (who imports: they are told the result)');
  const assign = values.assign ?? 'rotation';
  if (!isCodeOf(importAssign, assign)) {
    throw new UsageError(`--assign must be ${codesInWords(importAssign)}, got "${assign}"`);
  }
  const config = loadConfig();
  const { importFromCli, progressBar } = await import('./modules/imports/cli.ts');
  const { importLimitsOf } = await import('./modules/imports/refusals.ts');
  try {
    const result = await withDatabase('crm import', ({ db, kind }) =>
      importFromCli(db, {
        kind,
        file,
        username: values.as!,
        preview: values.preview ?? false,
        assign,
        timezone: config.timezone,
        limits: importLimitsOf(config),
        heapMb: config.importHeapMb,
        onProgress: progressBar(process.stderr),
      }),
    );
    if (process.stderr.isTTY) process.stderr.write('\n');
    if (result.status === 'failed') throw new CommandError(`The import failed: ${result.failure}`);
    const verb = result.mode === 'preview' ? 'Preview' : 'Import';
    console.log(
      `${verb} #${result.id} of ${result.fileName}: ${result.total} rows, ${result.valid} valid, ${result.created} created, ${result.errorCount} refused.`,
    );
    if (result.errorCount > 0) {
      console.log(`The refused rows, with reasons: GET /api/imports/${result.id}/errors.xlsx`);
    }
    return 0;
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      // The running server owns the embedded database: the import belongs to it.
      throw new CommandError(
        `${error.message}\nImport through that server instead: the 批量导入 page, or POST /api/customers/import (multipart: mode, assign, file), or point DATABASE_URL at a PostgreSQL server.`,
      );
    }
    if (error instanceof HttpError || (error instanceof Error && !(error instanceof CommandError))) {
      if (error instanceof HttpError || /^(No active user|Cannot read)/.test(error.message)) {
        throw new CommandError(error.message);
      }
    }
    throw error;
  }
}

async function userCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { createUser, setPassword } = await import('./modules/users/service.ts');
  if (sub === 'create') {
    const { values } = parseArgs({
      args: rest,
      options: {
        username: { type: 'string' },
        name: { type: 'string' },
        password: { type: 'string' },
        role: { type: 'string', multiple: true },
        email: { type: 'string' },
        phone: { type: 'string' },
      },
    });
    if (!values.username) throw new UsageError('user create needs --username');
    if (!values.name) throw new UsageError('user create needs --name');
    const password = await readPassword(values.password);
    const user = await withDatabase('crm user create', ({ db }) =>
      createUser(db, {
        username: values.username!,
        name: values.name!,
        password,
        roleCodes: values.role,
        email: values.email,
        phone: values.phone,
        at: now(),
      }),
    );
    console.log(`Created user ${values.username} (id ${user.id}).`);
    return 0;
  }
  if (sub === 'password') {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { password: { type: 'string' } },
    });
    const username = positionals[0];
    if (!username || positionals.length > 1) throw new UsageError('user password needs exactly one USERNAME');
    const password = await readPassword(values.password);
    await withDatabase('crm user password', ({ db }) => setPassword(db, { username, password, at: now() }));
    console.log(`Password changed for ${username}; their sessions were ended.`);
    return 0;
  }
  throw new UsageError(sub ? `Unknown user command "${sub}"` : 'user needs a command: create or password');
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      console.error(`Error: ${error.message}\n\n${USAGE}`);
    } else if (
      error instanceof DataDirLockedError ||
      error instanceof ConfigError ||
      error instanceof CommandError
    ) {
      console.error(`Error: ${error.message}`);
    } else if (error instanceof HttpError) {
      console.error(`Error: ${error.message}`);
    } else {
      console.error(error);
    }
    process.exit(1);
  },
);

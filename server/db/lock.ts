import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

/**
 * PGlite does not lock its data directory, and two processes writing one directory corrupt it.
 * The first process writes a lock file with its pid; the next one finds it and stops, naming the
 * holder, unless that process is gone (then the lock is stale and is taken over).
 */
export type LockHolder = { pid: number; host: string; command: string; startedAt: string };

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The data directory ${dataDir} is in use by process ${holder.pid} (${holder.command}, started ${holder.startedAt}` +
        `${holder.host === hostname() ? '' : ` on ${holder.host}`}). ` +
        'Only one process may open the embedded database: stop that process first, ' +
        'or use its HTTP API, or set DATABASE_URL to share a PostgreSQL server.',
    );
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}

export type DataDirLock = { release(): void };

export function lockDataDir(dataDir: string, command: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'crm.lock');
  const me: LockHolder = { pid: process.pid, host: hostname(), command, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        if (readHolder(file)?.pid === process.pid) unlinkSync(file);
      };
      process.once('exit', release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      // A lock from this very process (e.g. a test reopening) or from a dead process is stale.
      const stale =
        holder === null || (holder.host === me.host && (holder.pid === process.pid || !alive(holder.pid)));
      if (!stale) throw new DataDirLockedError(dataDir, holder);
      try {
        unlinkSync(file);
      } catch {
        // Another process took it over first; try again.
      }
    }
  }
  const holder = readHolder(file);
  throw new DataDirLockedError(
    dataDir,
    holder ?? { pid: 0, host: 'unknown', command: 'unknown', startedAt: 'unknown' },
  );
}

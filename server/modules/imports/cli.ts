import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { DatabaseKind, Db } from '../../db/client.ts';
import { users } from '../../db/schema/index.ts';
import { DEFAULT_LEASE_MS, instanceName } from './queue.ts';
import { readInThread } from './reader.ts';
import type { ImportLimits } from './refusals.ts';
import { IMPORT_BATCH, type Progress, runImport } from './run.ts';
import { createImport, type ImportAssign, type ImportView, importSummary } from './service.ts';

/** `crm import FILE --as USERNAME`: the same import the page runs, here in this process. */
export async function importFromCli(
  db: Db,
  input: {
    file: string;
    username: string;
    preview: boolean;
    assign: ImportAssign;
    timezone: string;
    kind: DatabaseKind;
    limits: ImportLimits;
    heapMb: number;
    onProgress: (progress: Progress) => void;
  },
): Promise<ImportView> {
  const [user] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.username, input.username), eq(users.active, true)));
  if (!user) throw new Error(`No active user "${input.username}" (--as names who imports)`);
  const data = await readFile(input.file).catch(() => {
    throw new Error(`Cannot read ${input.file}`);
  });
  const instance = instanceName('cli');
  // Claimed by this process from the start, so no server instance takes it from the queue.
  const record = await createImport(db, {
    userId: user.id,
    fileName: path.basename(input.file),
    data,
    mode: input.preview ? 'preview' : 'commit',
    assign: input.assign,
    limits: input.limits,
    claimFor: { instance, leaseMs: DEFAULT_LEASE_MS },
  });
  await runImport(db, record.id, {
    timezone: input.timezone,
    instance,
    leaseMs: DEFAULT_LEASE_MS,
    batchSize: IMPORT_BATCH[input.kind],
    limits: input.limits,
    // Read in a thread with its own heap limit, as the server does: a file that needs more fails
    // its import, with its reason, rather than this process.
    read: (data, format) => readInThread({ data, format, limits: input.limits }, input.heapMb),
    onProgress: input.onProgress,
  });
  return importSummary(db, record.id);
}

/** `[██████░░░░]  60%  6,000 / 10,000 rows` on a terminal; a line per tenth elsewhere. */
export function progressBar(stream: NodeJS.WriteStream) {
  let lastTenth = -1;
  return (p: Progress) => {
    const total = Math.max(p.total, p.processed, 1);
    const share = p.processed / total;
    const text = `${p.processed.toLocaleString('en')} / ${total.toLocaleString('en')} rows, ${p.created.toLocaleString('en')} created, ${p.errors.toLocaleString('en')} refused`;
    if (stream.isTTY) {
      const filled = Math.round(share * 30);
      stream.write(
        `\r[${'█'.repeat(filled)}${'░'.repeat(30 - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%  ${text}`,
      );
    } else if (Math.floor(share * 10) > lastTenth) {
      lastTenth = Math.floor(share * 10);
      stream.write(`${Math.floor(share * 100)}%  ${text}\n`);
    }
  };
}

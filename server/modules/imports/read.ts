import type { ImportFormat } from '../../db/schema/enums.ts';
import { decodeText, parseCsv } from './csv.ts';
import { workbookParts } from './parts.ts';
import { type ImportLimits, tooManyRows } from './refusals.ts';
import { noSharedStrings, type SheetRow, walkSheet } from './sheet.ts';
import { loadSharedStrings } from './strings.ts';

export type { Cell, SheetRow } from './sheet.ts';
export { decodeText, parseCsv };

/**
 * A file's rows as an import reads them, blank ones left out: the first is its header. One reader
 * serves the upload check and the import, so the sheet that is checked is the sheet that is read.
 * `check` keeps no text it need not (a workbook's shared strings are kept as lengths).
 */
export async function* readRows(
  buf: Buffer,
  format: ImportFormat,
  limits: ImportLimits,
  mode: 'read' | 'check' = 'read',
): AsyncGenerator<SheetRow> {
  if (format === 'csv') {
    yield* parseCsv(decodeText(buf), limits);
    return;
  }
  const parts = await workbookParts(buf);
  const strings = parts.sharedStrings
    ? await loadSharedStrings(buf, parts.sharedStrings, limits, mode === 'read')
    : noSharedStrings;
  yield* walkSheet(buf, parts.sheet, strings, limits);
}

/** The upload check: the whole file walked as the import will read it; how many rows it has. */
export async function countRows(buf: Buffer, format: ImportFormat, limits: ImportLimits): Promise<number> {
  let rows = 0;
  for await (const _ of readRows(buf, format, limits, 'check')) rows++;
  return rows;
}

/**
 * What an import reads: the stored file checked again first (the limits may have changed since it
 * was uploaded), so a file refused now is refused before anything of it is written.
 */
export async function* readChecked(
  buf: Buffer,
  format: ImportFormat,
  limits: ImportLimits,
): AsyncGenerator<SheetRow> {
  const rows = await countRows(buf, format, limits);
  if (rows - 1 > limits.maxRows) throw tooManyRows(rows - 1, limits);
  yield* readRows(buf, format, limits);
}

/** What a row costs to hold: its cells and their characters (as a row's cap counts them). */
export function rowWeight(row: SheetRow): number {
  let weight = row.cells.length;
  for (const cell of row.cells) if (typeof cell === 'string') weight += cell.length;
  return weight;
}

/**
 * A batch's bound in characters, whatever its rows: 4 M characters are some 8 MB of strings,
 * and an import holds two batches (one read while the other is written).
 */
export const BATCH_WEIGHT = 4 * 1024 * 1024;

/** The next rows, at most `count` of them and at most `weight` (but never none while rows remain). */
export async function take(
  rows: AsyncIterator<SheetRow>,
  count: number,
  weight = BATCH_WEIGHT,
): Promise<SheetRow[]> {
  const batch: SheetRow[] = [];
  let held = 0;
  while (batch.length < count && held < weight) {
    const next = await rows.next();
    if (next.done) break;
    batch.push(next.value);
    held += rowWeight(next.value);
  }
  return batch;
}

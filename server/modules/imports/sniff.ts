import { createInflateRaw } from 'node:zlib';
import { badRequest } from '../../http/errors.ts';
import { countCsvRows } from './read.ts';

/**
 * What an uploaded file is, checked before anything is stored: a workbook, a CSV, or a clear 400.
 * A workbook's zip is read from its central directory, and the parts the reader will expand (the
 * shared strings and the first sheet) are inflated once here with a byte budget — a small file
 * that would expand past it (a zip bomb) is refused without ever being held in memory.
 */
export type ImportLimits = {
  maxBytes: number;
  maxRows: number;
  /** How far the shared strings of a workbook may expand; the reader keeps them all in memory. */
  maxSharedStringsBytes: number;
  /** How far a sheet may expand. */
  maxSheetBytes: number;
};

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxRows: 200_000,
  maxSharedStringsBytes: 100 * 1024 * 1024,
  maxSheetBytes: 1024 * 1024 * 1024,
};

export type Sniffed = { format: 'xlsx' | 'csv'; rows: number };

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

export function tooManyRows(rows: number, limits: ImportLimits) {
  return badRequest(
    'too_many_rows',
    `The file has ${rows.toLocaleString('en')} rows; at most ${limits.maxRows.toLocaleString('en')} can be imported at once`,
    undefined,
    { count: rows, limit: limits.maxRows },
  );
}

export function fileTooLarge(limits: ImportLimits) {
  return badRequest(
    'file_too_large',
    `The file is larger than the limit of ${mb(limits.maxBytes)}`,
    undefined,
    { limitMb: Math.round(limits.maxBytes / 1024 / 1024) },
  );
}

/** What the file turned out to be, for the words the web shows (`apiErrors.notSpreadsheetKind`). */
type NotSpreadsheetKind =
  | 'damaged'
  | 'misnamed'
  | 'compression'
  | 'word'
  | 'powerpoint'
  | 'zip'
  | 'no_sheet'
  | 'other';
const notSpreadsheetWhat: Record<NotSpreadsheetKind, string> = {
  damaged: 'The workbook is damaged',
  misnamed: 'The file is damaged or not what its name says',
  compression: 'The workbook uses a compression we cannot read',
  word: 'The file is a Word document',
  powerpoint: 'The file is a PowerPoint presentation',
  zip: 'The file is a zip archive, not a workbook',
  no_sheet: 'The workbook has no sheet',
  other: 'The file is not a spreadsheet',
};
const notSpreadsheet = (kind: NotSpreadsheetKind = 'other') =>
  badRequest(
    'not_spreadsheet',
    `${notSpreadsheetWhat[kind]}: upload an .xlsx workbook or a .csv file`,
    undefined,
    { kind },
  );

type ZipEntry = { name: string; method: number; compressedSize: number; size: number; offset: number };

/** The zip's directory, from its end record; null if it is no zip we can read. */
function zipEntries(buf: Buffer): ZipEntry[] | null {
  const floor = Math.max(0, buf.length - 65_557);
  let end = -1;
  for (let i = buf.length - 22; i >= floor; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) return null;
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    entries.push({
      method: buf.readUInt16LE(at + 10),
      compressedSize: buf.readUInt32LE(at + 20),
      size: buf.readUInt32LE(at + 24),
      offset: buf.readUInt32LE(at + 42),
      name: buf.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The entry's compressed bytes, located through its local header. */
function entryData(buf: Buffer, entry: ZipEntry): Buffer {
  const at = entry.offset;
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== 0x04034b50) throw notSpreadsheet('damaged');
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  return buf.subarray(start, start + entry.compressedSize);
}

/** Counts a sheet's `<row` tags over the chunks of its XML, wherever the chunks cut it. */
export function rowTagCounter() {
  const rowTag = Buffer.from('<row');
  let carry: Buffer = Buffer.alloc(0);
  let rows = 0;
  return {
    push(chunk: Buffer) {
      const joined = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      for (let i = joined.indexOf(rowTag); i >= 0; i = joined.indexOf(rowTag, i + 4)) {
        // A tag cut off by the chunk's end is in the carry, and is counted with the next chunk.
        if (i + 4 >= joined.length) break;
        const next = joined[i + 4];
        // <row> or <row r=…>, not <rowBreaks>.
        if (next === 0x20 || next === 0x3e || next === 0x2f) rows++;
      }
      carry = joined.subarray(Math.max(0, joined.length - 4));
    },
    get rows() {
      return rows;
    },
  };
}

/**
 * Inflates an entry without keeping it, stopping past `budget` bytes; counts `<row` tags on the way
 * (a sheet's rows) and returns how many there were.
 */
function inflateCounting(data: Buffer, method: number, budget: number, onOver: () => Error): Promise<number> {
  const counter = rowTagCounter();
  if (method === 0) {
    if (data.length > budget) return Promise.reject(onOver());
    counter.push(data);
    return Promise.resolve(counter.rows);
  }
  if (method !== 8) return Promise.reject(notSpreadsheet('compression'));
  return new Promise((resolve, reject) => {
    const inflate = createInflateRaw();
    let total = 0;
    inflate.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > budget) {
        inflate.destroy();
        reject(onOver());
        return;
      }
      counter.push(chunk);
    });
    inflate.on('error', () => reject(notSpreadsheet('damaged')));
    inflate.on('end', () => resolve(counter.rows));
    inflate.end(data);
  });
}

const zipBomb = (what: string, bound: number) =>
  badRequest(
    'zip_bomb',
    `The workbook's ${what} expands past ${mb(bound)}; it cannot be a list of customers`,
    undefined,
    { limitMb: Math.round(bound / 1024 / 1024) },
  );

async function sniffWorkbook(buf: Buffer, limits: ImportLimits): Promise<Sniffed> {
  const entries = zipEntries(buf);
  if (!entries) throw notSpreadsheet('damaged');
  const has = (name: string) => entries.find((e) => e.name === name);
  if (!has('xl/workbook.xml')) {
    if (has('word/document.xml')) throw notSpreadsheet('word');
    if (has('ppt/presentation.xml')) throw notSpreadsheet('powerpoint');
    throw notSpreadsheet('zip');
  }
  const strings = has('xl/sharedStrings.xml');
  if (strings) {
    if (strings.size > limits.maxSharedStringsBytes)
      throw zipBomb('shared strings', limits.maxSharedStringsBytes);
    await inflateCounting(entryData(buf, strings), strings.method, limits.maxSharedStringsBytes, () =>
      zipBomb('shared strings', limits.maxSharedStringsBytes),
    );
  }
  // The reader takes the first sheet in the zip's order, as this does.
  const sheet = entries.find((e) => /^xl\/worksheets\/sheet\d+\.xml$/.test(e.name));
  if (!sheet) throw notSpreadsheet('no_sheet');
  if (sheet.size > limits.maxSheetBytes) throw zipBomb('first sheet', limits.maxSheetBytes);
  const rows = await inflateCounting(entryData(buf, sheet), sheet.method, limits.maxSheetBytes, () =>
    zipBomb('first sheet', limits.maxSheetBytes),
  );
  return { format: 'xlsx', rows };
}

/** An OLE compound file: an encrypted .xlsx (Excel wraps those in one) or a legacy .xls. */
function refuseCompoundFile(buf: Buffer): never {
  const encrypted = buf.includes(Buffer.from('EncryptedPackage', 'utf16le'));
  if (encrypted) {
    throw badRequest(
      'encrypted_workbook',
      'The workbook is password-protected: remove the password in Excel and upload it again',
    );
  }
  throw badRequest(
    'legacy_xls',
    'The file is an old .xls workbook: save it as .xlsx (or .csv) and upload that',
  );
}

/** Checks an upload: what it is and how many rows it has, or the 400 that says why not. */
export async function sniffUpload(buf: Buffer, fileName: string, limits: ImportLimits): Promise<Sniffed> {
  if (buf.length === 0) throw badRequest('empty_file', 'The file is empty');
  if (buf.length > limits.maxBytes) throw fileTooLarge(limits);
  let sniffed: Sniffed;
  if (buf.length >= 4 && buf.readUInt32LE(0) === 0x04034b50) sniffed = await sniffWorkbook(buf, limits);
  else if (buf.length >= 8 && buf.readUInt32BE(0) === 0xd0cf11e0 && buf.readUInt32BE(4) === 0xa1b11ae1) {
    refuseCompoundFile(buf);
  } else {
    const head = buf.subarray(0, 65_536);
    const utf16 = head[0] === 0xff && head[1] === 0xfe;
    if (!utf16 && head.includes(0)) {
      throw notSpreadsheet(/\.(xlsx|xls|csv)$/i.test(fileName) ? 'misnamed' : 'other');
    }
    sniffed = { format: 'csv', rows: countCsvRows(buf) };
  }
  if (sniffed.rows - 1 > limits.maxRows) throw tooManyRows(sniffed.rows - 1, limits);
  return sniffed;
}

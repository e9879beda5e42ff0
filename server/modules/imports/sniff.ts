import type { ImportFormat } from '../../db/schema/enums.ts';
import { badRequest } from '../../http/errors.ts';
import { countRows } from './read.ts';
import { fileTooLarge, type ImportLimits, notSpreadsheet, tooManyRows } from './refusals.ts';

/**
 * What an uploaded file is, checked before anything is stored: a workbook, a CSV, or a clear 400.
 * The file is walked whole by the import's own reader (read.ts), keeping nothing: the sheet it
 * checks is the sheet the import reads, every part it expands is bounded before it is expanded,
 * and every cell and row is bounded as it is read.
 */
export type Sniffed = { format: ImportFormat; rows: number };

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

/** Checks an upload: what it is and how many (non-blank) rows it has, or the 400 that says why not. */
export async function sniffUpload(buf: Buffer, fileName: string, limits: ImportLimits): Promise<Sniffed> {
  if (buf.length === 0) throw badRequest('empty_file', 'The file is empty');
  if (buf.length > limits.maxBytes) throw fileTooLarge(limits);
  let format: Sniffed['format'];
  if (buf.length >= 4 && buf.readUInt32LE(0) === 0x04034b50) format = 'xlsx';
  else if (buf.length >= 8 && buf.readUInt32BE(0) === 0xd0cf11e0 && buf.readUInt32BE(4) === 0xa1b11ae1) {
    refuseCompoundFile(buf);
  } else {
    const head = buf.subarray(0, 65_536);
    const utf16 = head[0] === 0xff && head[1] === 0xfe;
    if (!utf16 && head.includes(0)) {
      throw notSpreadsheet(/\.(xlsx|xls|csv)$/i.test(fileName) ? 'misnamed' : 'other');
    }
    format = 'csv';
  }
  const rows = await countRows(buf, format, limits);
  if (rows - 1 > limits.maxRows) throw tooManyRows(rows - 1, limits);
  return { format, rows };
}

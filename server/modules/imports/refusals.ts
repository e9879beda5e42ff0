import { badRequest } from '../../http/errors.ts';

/**
 * What an import takes, and the 400s that say why a file is not taken. The upload check and the
 * import's own reading throw the same ones, so a file refused at upload and one refused while it
 * is read are refused for the same reason, in the same words.
 */
export type ImportLimits = {
  maxBytes: number;
  maxRows: number;
  /** How far a workbook's shared strings may expand; the import keeps them all in memory. */
  maxSharedStringsBytes: number;
  /** How far a sheet may expand (it is streamed, so this bounds time rather than memory). */
  maxSheetBytes: number;
  /** The hard cap on one cell: past it the file is refused. Excel's own cells hold 32,767. */
  maxCellChars: number;
  /** The cap on one row: its characters plus its cells, empty ones included. */
  maxRowChars: number;
};

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxRows: 200_000,
  maxSharedStringsBytes: 100 * 1024 * 1024,
  maxSheetBytes: 1024 * 1024 * 1024,
  maxCellChars: 32_767,
  maxRowChars: 256 * 1024,
};

/** The limits the configuration sets (config.ts), the rest as they are by default. */
export const importLimitsOf = (config: { importMaxBytes: number; importMaxRows: number }): ImportLimits => ({
  ...DEFAULT_IMPORT_LIMITS,
  maxBytes: config.importMaxBytes,
  maxRows: config.importMaxRows,
});

/** Excel's own bounds: a reference past them is no cell of any workbook. */
export const MAX_COLUMNS = 16_384;
export const MAX_SHEET_ROWS = 1_048_576;

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** A name taken from the file, fit to be shown: short, without control characters. */
export const shown = (name: string) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
  name.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 100);

export function tooManyRows(rows: number, limits: Pick<ImportLimits, 'maxRows'>) {
  return badRequest(
    'too_many_rows',
    `The file has ${rows.toLocaleString('en')} rows; at most ${limits.maxRows.toLocaleString('en')} can be imported at once`,
    undefined,
    { count: rows, limit: limits.maxRows },
  );
}

export function fileTooLarge(limits: Pick<ImportLimits, 'maxBytes'>) {
  return badRequest(
    'file_too_large',
    `The file is larger than the limit of ${mb(limits.maxBytes)}`,
    undefined,
    { limitMb: Math.round(limits.maxBytes / 1024 / 1024) },
  );
}

/** What the file turned out to be, for the words the web shows (`apiErrors.notSpreadsheetKind`). */
export type NotSpreadsheetKind =
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
export const notSpreadsheet = (kind: NotSpreadsheetKind = 'other') =>
  badRequest(
    'not_spreadsheet',
    `${notSpreadsheetWhat[kind]}: upload an .xlsx workbook or a .csv file`,
    undefined,
    { kind },
  );

export const zipBomb = (entry: string, bound: number) =>
  badRequest(
    'zip_bomb',
    `The workbook's part ${shown(entry)} expands past ${mb(bound)}; it cannot be a list of customers`,
    undefined,
    { entry: shown(entry), limitMb: Math.round(bound / 1024 / 1024) },
  );

/** A part whose local header or bytes say other than the zip's directory: read one way, checked another. */
export const entryMismatch = (entry: string) =>
  badRequest(
    'zip_entry_mismatch',
    `The workbook is damaged or was altered: its part ${shown(entry)} is not what the zip's directory says`,
    undefined,
    { entry: shown(entry) },
  );

export const entryRepeated = (entry: string) =>
  badRequest(
    'zip_entry_repeated',
    `The workbook holds the part ${shown(entry)} more than once, so which one counts is unclear`,
    undefined,
    { entry: shown(entry) },
  );

/** A cell or a row past its cap: text that long is no list of customers, whichever of the two holds it. */
const tooLong = (
  code: 'cell_too_long' | 'row_too_long',
  place: string,
  limit: number,
  where: { cell: string } | { row: number },
) =>
  badRequest(
    code,
    `${place} holds more than ${limit.toLocaleString('en')} characters; it cannot be part of a list of customers`,
    undefined,
    { ...where, limit },
  );

export const cellTooLong = (cell: string, limits: Pick<ImportLimits, 'maxCellChars'>) =>
  tooLong('cell_too_long', `Cell ${cell}`, limits.maxCellChars, { cell });

export const rowTooLong = (row: number, limits: Pick<ImportLimits, 'maxRowChars'>) =>
  tooLong('row_too_long', `Row ${row}`, limits.maxRowChars, { row });

/** A1-style column letters for a 0-based column index. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

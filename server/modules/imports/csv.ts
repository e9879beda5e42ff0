import { cellTooLong, columnLetters, type ImportLimits, rowTooLong } from './refusals.ts';
import type { Cell, SheetRow } from './sheet.ts';

/**
 * A CSV's text: UTF-8 (with or without its BOM), UTF-16 with a BOM (Excel's "Unicode text"), or
 * GBK — what Excel on a Chinese Windows writes — when the bytes are not valid UTF-8.
 */
export function decodeText(buf: Buffer): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return new TextDecoder('utf-8').decode(buf.subarray(3));
  }
  if (buf[0] === 0xff && buf[1] === 0xfe) {
    return new TextDecoder('utf-16le').decode(buf.subarray(2));
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return new TextDecoder('gbk').decode(buf);
  }
}

/** Comma, unless the header line has tabs (or semicolons) and no commas. */
function delimiterOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  if (firstLine.includes(',')) return ',';
  if (firstLine.includes('\t')) return '\t';
  if (firstLine.includes(';')) return ';';
  return ',';
}

type Limits = Pick<ImportLimits, 'maxCellChars' | 'maxRowChars'>;

/**
 * RFC 4180 records: quoted fields may hold delimiters, quotes ("") and line breaks. Blank records
 * are left out; a field past the cell cap, or a record past the row cap, refuses the file, named
 * as a spreadsheet would name it (C7: the third field of the record on line 7).
 */
export function* parseCsv(text: string, limits: Limits): Generator<SheetRow> {
  const delimiter = delimiterOf(text);
  let cells: Cell[] = [];
  let chars = 0;
  let filled = false;
  let field = '';
  let quoted = false;
  let row = 1;
  let startRow = 1;
  let i = 0;
  const n = text.length;
  const endField = () => {
    chars += field.length;
    if (cells.length + 1 + chars > limits.maxRowChars) throw rowTooLong(startRow, limits);
    if (!filled && /\S/.test(field)) filled = true;
    cells.push(field);
    field = '';
  };
  const endRecord = function* () {
    endField();
    if (filled) yield { row: startRow, cells };
    cells = [];
    chars = 0;
    filled = false;
  };
  while (i < n) {
    const c = text[i]!;
    if (field.length > limits.maxCellChars) {
      throw cellTooLong(`${columnLetters(cells.length)}${startRow}`, limits);
    }
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (c === '\n') row++;
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) endField();
    else if (c === '\n' || c === '\r') {
      yield* endRecord();
      if (c === '\r' && text[i + 1] === '\n') i++;
      row++;
      startRow = row;
    } else field += c;
    i++;
  }
  if (field.length > limits.maxCellChars)
    throw cellTooLong(`${columnLetters(cells.length)}${startRow}`, limits);
  if (field !== '' || cells.length > 0) yield* endRecord();
}

import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';

/** One cell as read: what the spreadsheet held, before any field's rules apply. */
export type Cell = string | number | boolean | Date | null;
export type SheetRow = { row: number; cells: Cell[] };

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

/** RFC 4180 records: quoted fields may hold delimiters, quotes ("") and line breaks. */
export function* parseCsv(text: string): Generator<SheetRow> {
  const delimiter = delimiterOf(text);
  let cells: Cell[] = [];
  let field = '';
  let quoted = false;
  let row = 1;
  let startRow = 1;
  let i = 0;
  const n = text.length;
  const endRecord = function* () {
    cells.push(field);
    field = '';
    yield { row: startRow, cells };
    cells = [];
  };
  while (i < n) {
    const c = text[i]!;
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
    else if (c === delimiter) {
      cells.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      yield* endRecord();
      if (c === '\r' && text[i + 1] === '\n') i++;
      row++;
      startRow = row;
    } else field += c;
    i++;
  }
  if (field !== '' || cells.length > 0) yield* endRecord();
}

export function countCsvRows(buf: Buffer): number {
  let rows = 0;
  for (const _ of parseCsv(decodeText(buf))) rows++;
  return rows;
}

/** ExcelJS's cell values (rich text, formulas, hyperlinks, errors) as plain values. */
function plain(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    const v = value as {
      richText?: { text: string }[];
      result?: unknown;
      formula?: string;
      text?: unknown;
      error?: string;
    };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if ('result' in v || v.formula) return plain(v.result);
    if (v.text !== undefined) return plain(v.text);
    if (v.error) return null;
  }
  return String(value);
}

/** The first sheet's rows, streamed: a 100,000-row workbook is never held whole. */
async function* readWorkbook(buf: Buffer): AsyncGenerator<SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buf]), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    // Without styles a date cell reads as its serial number, which the date fields take as such;
    // caching them would cost an object per cell of a 100,000-row sheet.
    styles: 'ignore',
    worksheets: 'emit',
  });
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = row.values as unknown[];
      const cells: Cell[] = [];
      for (let i = 1; i < values.length; i++) cells.push(plain(values[i]));
      yield { row: row.number, cells };
    }
    // Only the first sheet holds the customers (the template's second holds the drop-down lists).
    return;
  }
}

export function readRows(buf: Buffer, format: 'xlsx' | 'csv'): AsyncIterable<SheetRow> | Iterable<SheetRow> {
  return format === 'xlsx' ? readWorkbook(buf) : parseCsv(decodeText(buf));
}

import {
  cellTooLong,
  columnLetters,
  type ImportLimits,
  MAX_COLUMNS,
  MAX_SHEET_ROWS,
  notSpreadsheet,
  rowTooLong,
  zipBomb,
} from './refusals.ts';
import { attributes, type XmlHandler, XmlTokenizer } from './xml.ts';
import { entryChunks, type ZipEntry } from './zip.ts';

/** One cell as read: what the spreadsheet held, before any field's rules apply. */
export type Cell = string | number | boolean | Date | null;
export type SheetRow = { row: number; cells: Cell[] };

type Limits = Pick<ImportLimits, 'maxCellChars' | 'maxRowChars' | 'maxSheetBytes'>;

/**
 * A workbook's shared strings. Each is kept up to the cell cap and no further: one longer is
 * remembered only as too long, and refused when a cell uses it. `length` is 0 for a string of
 * nothing but spaces, so a row of them is blank as the import sees it.
 */
export type SharedStrings = { count: number; length(index: number): number; text(index: number): string };

export const noSharedStrings: SharedStrings = { count: 0, length: () => 0, text: () => '' };

export const hasText = (text: string) => /\S/.test(text);
/** A number as a sheet writes one (not `0x1F` or `Infinity`, which Number() would also take). */
const DECIMAL = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** `AB` of `AB12` as a 0-based column; -1 when it is no column Excel has. */
function columnOf(ref: string): number {
  let col = 0;
  let i = 0;
  for (; i < ref.length && i < 4; i++) {
    const c = ref.charCodeAt(i) | 0x20;
    if (c < 97 || c > 122) break;
    col = col * 26 + (c - 96);
  }
  return i === 0 || col > MAX_COLUMNS ? -1 : col - 1;
}

type OpenCell = { ref: string; col: number; type: string; text: string; length: number };

/** Follows a sheet's XML, turning each `<row>` into a row of cells, every one of them bounded. */
class SheetWalker implements XmlHandler {
  ready: SheetRow[] = [];
  private inData = false;
  private rowNumber = 0;
  private cells: Cell[] | null = null;
  private chars = 0;
  private filled = false;
  private nextCol = 0;
  private cell: OpenCell | null = null;
  private inValue = false;
  private inInline = false;
  private phonetic = 0;

  constructor(
    private readonly strings: SharedStrings,
    private readonly limits: Limits,
  ) {}

  open(name: string, raw: string, selfClosing: boolean): void {
    if (name === 'sheetData') this.inData = !selfClosing;
    else if (name === 'row' && this.inData) {
      const r = attributes(raw).r;
      const number = r === undefined ? this.rowNumber + 1 : Number(r);
      if (!Number.isInteger(number) || number < 1 || number > MAX_SHEET_ROWS) throw notSpreadsheet('damaged');
      this.rowNumber = number;
      this.cells = [];
      this.chars = 0;
      this.filled = false;
      this.nextCol = 0;
      if (selfClosing) this.endRow();
    } else if (name === 'c' && this.cells) {
      const a = attributes(raw);
      const col = a.r === undefined ? this.nextCol : columnOf(a.r);
      if (col < 0 || col >= MAX_COLUMNS) throw notSpreadsheet('damaged');
      this.nextCol = col + 1;
      const ref = `${columnLetters(col)}${this.rowNumber}`;
      this.cell = selfClosing ? null : { ref, col, type: a.t ?? 'n', text: '', length: 0 };
      this.inValue = false;
      this.inInline = false;
      this.phonetic = 0;
    } else if (this.cell && !selfClosing) {
      if (name === 'v') this.inValue = true;
      else if (name === 'is') this.inInline = true;
      else if (name === 'rPh') this.phonetic++;
      else if (name === 't' && this.inInline && this.phonetic === 0) this.inValue = true;
    }
  }

  close(name: string): void {
    if (name === 'sheetData') this.inData = false;
    else if (name === 'row') {
      if (this.cells) this.endRow();
    } else if (name === 'c') {
      if (this.cell) this.endCell(this.cell);
      this.cell = null;
    } else if (name === 'v' || name === 't') this.inValue = false;
    else if (name === 'is') this.inInline = false;
    else if (name === 'rPh') this.phonetic = Math.max(0, this.phonetic - 1);
  }

  text(text: string): void {
    const cell = this.cell;
    if (!cell || !this.inValue) return;
    cell.length += text.length;
    if (cell.length > this.limits.maxCellChars) throw cellTooLong(cell.ref, this.limits);
    cell.text += text;
  }

  private endCell(cell: OpenCell): void {
    const { text } = cell;
    let value: Cell = null;
    let length = 0;
    switch (cell.type) {
      case 's': {
        const index = /^\s*\d{1,10}\s*$/.test(text) ? Number(text) : -1;
        if (index < 0 || index >= this.strings.count) throw notSpreadsheet('damaged');
        length = this.strings.length(index);
        if (length > this.limits.maxCellChars) throw cellTooLong(cell.ref, this.limits);
        value = this.strings.text(index);
        break;
      }
      case 'inlineStr':
      case 'str':
        value = text;
        length = hasText(text) ? text.length : 0;
        break;
      case 'e':
        break;
      case 'b':
        if (hasText(text)) {
          value = Number(text) !== 0;
          length = 1;
        }
        break;
      case 'd': {
        // An ISO date (strict OOXML); as the date fields read dates.
        const date = new Date(text.trim());
        if (hasText(text)) {
          value = Number.isNaN(date.getTime()) ? text : date;
          length = text.length;
        }
        break;
      }
      default:
        // Numbers; a date cell is a number too (styles are not read), which the date fields take.
        if (hasText(text)) {
          const number = DECIMAL.test(text) ? Number(text) : Number.NaN;
          value = Number.isFinite(number) ? number : text;
          length = text.length;
        }
    }
    // Blank (or, in the upload check, a shared string known only by its length, which counts).
    if (length === 0) return;
    const cells = this.cells!;
    const slots = Math.max(cells.length, cell.col + 1);
    this.chars += length;
    // A row weighs its characters and its cells, empty ones too: each costs memory.
    if (slots + this.chars > this.limits.maxRowChars) throw rowTooLong(this.rowNumber, this.limits);
    while (cells.length < cell.col) cells.push(null);
    cells[cell.col] = value;
    this.filled = true;
  }

  private endRow(): void {
    if (this.filled) this.ready.push({ row: this.rowNumber, cells: this.cells! });
    this.cells = null;
  }
}

/** A sheet's non-blank rows, streamed: the sheet is never held whole, nor any row past its bound. */
export async function* walkSheet(
  buf: Buffer,
  sheet: ZipEntry,
  strings: SharedStrings,
  limits: Limits,
): AsyncGenerator<SheetRow> {
  if (sheet.size > limits.maxSheetBytes) throw zipBomb(sheet.name, limits.maxSheetBytes);
  const walker = new SheetWalker(strings, limits);
  const tokens = new XmlTokenizer(walker);
  for await (const chunk of entryChunks(buf, sheet)) {
    tokens.push(chunk);
    if (walker.ready.length) {
      const rows = walker.ready;
      walker.ready = [];
      yield* rows;
    }
  }
  tokens.end();
  yield* walker.ready;
}

import { describe, expect, it } from 'vitest';
import { workbookParts, zip } from '../../../test/spreadsheets.ts';
import { countRows, readRows } from './read.ts';
import { DEFAULT_IMPORT_LIMITS } from './refusals.ts';

/** What the reader makes of a sheet's XML, as the import sees it and as the upload check counts it. */
async function read(sheet: string, strings?: string) {
  const file = zip(workbookParts([['worksheets/sheet1.xml', sheet]], strings));
  const rows = [];
  for await (const row of readRows(file, 'xlsx', DEFAULT_IMPORT_LIMITS)) rows.push(row);
  return { rows, counted: await countRows(file, 'xlsx', DEFAULT_IMPORT_LIMITS) };
}
const sheet = (rows: string) => `<worksheet><sheetData>${rows}</sheetData></worksheet>`;

describe('reading a workbook', () => {
  it('takes shared strings by index: an empty item keeps its place, runs join, the phonetic guide is left out', async () => {
    const strings =
      '<sst><si/><si><r><t>张</t></r><r><t xml:space="preserve">三 </t></r><rPh><t>ちょう</t></rPh></si>' +
      '<si><t>  </t></si><si><t>a&amp;b</t></si></sst>';
    const { rows, counted } = await read(
      sheet(
        '<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="s"><v>3</v></c><c r="C1" t="s"><v>0</v></c></row>' +
          '<row r="2"><c r="A2" t="s"><v>2</v></c></row>',
      ),
      strings,
    );
    // Row 2 holds only spaces: blank, for the reader and for the check alike.
    expect(rows).toEqual([{ row: 1, cells: ['张三 ', 'a&b'] }]);
    expect(counted).toBe(1);
  });

  it('reads each kind of cell as the spreadsheet holds it, placing cells and rows without references', async () => {
    const { rows } = await read(
      sheet(
        '<row><c><v>13800000000</v></c><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c><c t="str"><f>A1</f><v>x</v></c></row>' +
          '<row><c r="C2"><v>0x1F</v></c><c><v>1e3</v></c><c t="d"><v>2026-03-01T00:00:00Z</v></c></row>' +
          '<row r="7"><c r="B7" t="inlineStr"><is><r><t>富</t></r><r><t>文本</t></r></is></c></row>',
      ),
    );
    expect(rows).toEqual([
      { row: 1, cells: [13_800_000_000, true, null, 'x'] },
      { row: 2, cells: [null, null, '0x1F', 1000, new Date('2026-03-01T00:00:00Z')] },
      { row: 7, cells: [null, '富文本'] },
    ]);
  });

  it('finds the parts of a workbook zipped with backslashes, as some writers do', async () => {
    const parts = workbookParts([['worksheets/sheet1.xml', sheet('<row><c><v>1</v></c></row>')]]);
    const file = zip(parts.map((p) => ({ ...p, name: p.name.replace(/\//g, '\\') })));
    expect(await countRows(file, 'xlsx', DEFAULT_IMPORT_LIMITS)).toBe(1);
  });

  it('counts what it reads: blank rows are no rows', async () => {
    const { rows, counted } = await read(
      sheet(
        '<row r="1"><c><v>1</v></c></row><row r="2"/><row r="3"><c r="A3"/></row><row r="4"><c><v>2</v></c></row>',
      ),
    );
    expect(rows.map((r) => r.row)).toEqual([1, 4]);
    expect(counted).toBe(2);
  });
});

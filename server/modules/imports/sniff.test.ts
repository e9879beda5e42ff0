import { describe, expect, it } from 'vitest';
import { workbook } from '../../../test/spreadsheets.ts';
import { DEFAULT_IMPORT_LIMITS, rowTagCounter, sniffUpload } from './sniff.ts';

describe('sniffing an upload', () => {
  it('counts a large sheet’s rows exactly, whatever the inflate chunks cut through', async () => {
    const rows = [
      ['姓名', '手机'],
      ...Array.from({ length: 30_000 }, (_, i) => [`客户${i}`, 13_000_000_000 + i]),
    ];
    const sniffed = await sniffUpload(await workbook(rows), 'a.xlsx', DEFAULT_IMPORT_LIMITS);
    expect(sniffed).toEqual({ format: 'xlsx', rows: 30_001 });
  });

  it('counts a tag cut by a chunk boundary once, wherever the cut falls', () => {
    const xml = Buffer.from(
      '<sheetData><row r="1"><c/></row><row r="2"/><rowBreaks/><row>x</row></sheetData>',
    );
    for (let cut = 1; cut < xml.length; cut++) {
      const counter = rowTagCounter();
      counter.push(xml.subarray(0, cut));
      counter.push(xml.subarray(cut));
      expect(counter.rows, `cut at ${cut}`).toBe(3);
    }
  });

  it('counts CSV records, not lines: a quoted field may hold a line break', async () => {
    const csv = Buffer.from('姓名,备注\n甲,"第一行\n第二行"\n乙,\n');
    expect(await sniffUpload(csv, 'a.csv', DEFAULT_IMPORT_LIMITS)).toEqual({
      format: 'csv',
      rows: 3,
    });
  });
});

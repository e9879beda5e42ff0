import { describe, expect, it } from 'vitest';
import { workbook } from '../../../test/spreadsheets.ts';
import { DEFAULT_IMPORT_LIMITS } from './refusals.ts';
import { sniffUpload } from './sniff.ts';

describe('sniffing an upload', () => {
  it('counts a large sheet’s rows exactly, whatever the inflate chunks cut through', async () => {
    const rows = [
      ['姓名', '手机'],
      ...Array.from({ length: 30_000 }, (_, i) => [`客户${i}`, 13_000_000_000 + i]),
    ];
    const sniffed = await sniffUpload(await workbook(rows), 'a.xlsx', DEFAULT_IMPORT_LIMITS);
    expect(sniffed).toEqual({ format: 'xlsx', rows: 30_001 });
  });

  it('counts CSV records, not lines: a quoted field may hold a line break', async () => {
    const csv = Buffer.from('姓名,备注\n甲,"第一行\n第二行"\n乙,\n');
    expect(await sniffUpload(csv, 'a.csv', DEFAULT_IMPORT_LIMITS)).toEqual({
      format: 'csv',
      rows: 3,
    });
  });

  it('counts the rows an import reads: blank ones are not rows', async () => {
    const csv = Buffer.from('姓名,手机\n\n甲,13100000001\n , \n,,\n乙,13100000002\n');
    expect(await sniffUpload(csv, 'a.csv', DEFAULT_IMPORT_LIMITS)).toEqual({ format: 'csv', rows: 3 });
    const book = await workbook([['姓名', '手机'], [], ['甲', 13_100_000_001], ['  ', null], ['乙', '131']]);
    expect(await sniffUpload(book, 'a.xlsx', DEFAULT_IMPORT_LIMITS)).toEqual({ format: 'xlsx', rows: 3 });
  });
});

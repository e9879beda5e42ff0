import { describe, expect, test } from 'vitest';
import {
  buttonsWidth,
  CELL_PADDING,
  fieldWidth,
  SELECTION_WIDTH,
  tableWidth,
  textWidth,
} from './columnWidths.ts';
import { sized } from './listTable.ts';
import { testField } from './testFields.ts';

describe('column widths', () => {
  test('measure Chinese characters as twice as wide as Latin letters', () => {
    expect(textWidth('课程顾问')).toBe(56);
    expect(textWidth('abcd')).toBe(30);
    expect(textWidth('')).toBe(0);
  });

  test('give a column what its values need, and never less than its title with its sorter', () => {
    expect(fieldWidth(testField('createdAt', 'datetime', { title: '创建时间' }), 'zh-CN')).toBe(150);
    const phone = testField('phone', 'text', { maxLength: 50, title: '手机' });
    expect(fieldWidth(phone, 'zh-CN')).toBe(130);
    const long = testField('x', 'bool', {
      title: '一个相当长的列标题',
      titleEn: 'A rather long column title',
      sortable: true,
    });
    expect(fieldWidth(long, 'zh-CN')).toBe(textWidth('一个相当长的列标题') + CELL_PADDING + 26);
    expect(fieldWidth(long, 'en')).toBe(textWidth('A rather long column title') + CELL_PADDING + 26);
  });

  test('size an enumeration by its longest label in the language shown', () => {
    const reason = testField('releasedReason', 'enum', {
      title: '原因',
      titleEn: 'Why',
      options: [
        { value: 'no_followup', title: '三天未跟进', titleEn: 'No follow-up' },
        { value: 'no_deal', title: '十五天未成单', titleEn: 'No deal' },
      ],
    });
    expect(fieldWidth(reason, 'zh-CN')).toBe(textWidth('十五天未成单') + CELL_PADDING + 16);
    expect(fieldWidth(reason, 'en')).toBe(textWidth('No follow-up') + CELL_PADDING + 16);
  });

  test('add the columns up, with the selection column, into the width the table scrolls by', () => {
    expect(tableWidth([{ width: 100 }, { width: 150 }, {}])).toBe(250);
    expect(tableWidth([{ width: 100 }], true)).toBe(100 + SELECTION_WIDTH);
    expect(buttonsWidth([])).toBe(0);
    expect(buttonsWidth(['编辑', '删除'])).toBe(CELL_PADDING + 2 * (28 + 36));
  });

  test('keep a page column at least as wide as its title', () => {
    const columns = sized(
      [{ key: 'a', title: '距离进入公海' }, { key: 'b', title: 'x', sorter: true }, { key: 'c' }],
      {
        a: 50,
        b: 200,
      },
    );
    expect(columns.map((c) => c.width)).toEqual([
      textWidth('距离进入公海') + CELL_PADDING,
      200,
      CELL_PADDING,
    ]);
  });
});

import type { TableColumnsType } from 'antd';
import { type RefObject, useLayoutEffect, useRef, useState } from 'react';
import { CELL_PADDING, SORTER_WIDTH, textWidth } from './columnWidths.ts';

/** antd's Layout.Header (AppShell): a list's sticky header stops right under the app's own. */
const APP_HEADER_HEIGHT = 64;

/**
 * What every list table shares: as wide as its columns add up to (so a table that does not fit its
 * box scrolls sideways with its header, and one that fits stretches to fill it), a header that stays
 * under the app's header while a long page scrolls by, and a horizontal scroll bar held at the
 * bottom of the screen while the table's own bottom is below it.
 */
export function listTableLayout(width: number) {
  return {
    scroll: { x: width },
    sticky: { offsetHeader: APP_HEADER_HEIGHT },
  };
}

/**
 * The operations column's width (the column pinned to the end): the estimate, or the widest row's
 * buttons as drawn, whichever is wider. Pages add buttons of their own to a row (详情, 登记缴费…),
 * so no estimate knows them all; measured after the rows are drawn, the column never cuts a button
 * off. It only grows, so paging through a list never makes it jump back and forth.
 */
export function useOperationsWidth(
  estimate: number,
  rows: unknown,
  language: string,
): [width: number, container: RefObject<HTMLDivElement | null>] {
  const container = useRef<HTMLDivElement>(null);
  const [measured, setMeasured] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: measured again whenever the rows are redrawn
  useLayoutEffect(() => {
    const cells = container.current?.querySelectorAll<HTMLElement>('tbody td.ant-table-cell-fix-end') ?? [];
    let widest = 0;
    for (const cell of Array.from(cells)) {
      let content = 0;
      for (const child of Array.from(cell.children)) content += child.getBoundingClientRect().width;
      widest = Math.max(widest, content);
    }
    if (widest > 0) setMeasured((current) => Math.max(current, Math.ceil(widest) + CELL_PADDING));
  }, [rows, language]);
  return [Math.max(estimate, measured), container];
}

/**
 * Columns with their widths, by key: a column is never narrower than its title (with its sorter)
 * needs, so a header does not wrap. The table's `scroll.x` is their sum (`tableWidth`).
 */
export function sized<T>(columns: TableColumnsType<T>, widths: Record<string, number>): TableColumnsType<T> {
  return columns.map((column) => {
    const title = typeof column.title === 'string' ? textWidth(column.title) : 0;
    const needed = title + CELL_PADDING + (column.sorter ? SORTER_WIDTH : 0);
    const key = String(column.key ?? '');
    return { ...column, width: Math.max(widths[key] ?? 0, needed) };
  });
}

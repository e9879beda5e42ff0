import type { TableColumnsType } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Item } from '../../api/resource.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { CellValue } from './CellValue.tsx';
import { cutsLongText, fieldWidth } from './columnWidths.ts';
import { fieldTitle, listFields } from './fields.ts';
import { ListTable } from './ListTable.tsx';
import type { ResourceListPage } from './useResourceListPage.ts';

type ResourceTableProps = {
  view: ResourceListPage<Item>;
  selected: (number | string)[];
  onSelect: ((keys: (number | string)[]) => void) | null;
  /** The operations cell of a row, or null when the table has no operations column. */
  operations: ((item: Item) => ReactNode) | null;
  /** Cells a page draws itself, by field key (the audit log's record, with its link). */
  cells?: Record<string, (item: Item) => ReactNode>;
};

/**
 * The list's table: the meta's columns, server-side sorting and paging, row selection. Each column
 * is as wide as what it shows needs (columnWidths.ts), so the table fits its box or scrolls sideways
 * as a whole, with a sticky header and scroll bar (listTable.ts).
 */
export function ResourceTable({ view, selected, onSelect, operations, cells }: ResourceTableProps) {
  const { t } = useTranslation();
  const language = currentLanguage();

  const columns: TableColumnsType<Item> = listFields(view.meta).map((field) => ({
    key: field.key,
    dataIndex: field.key,
    title: fieldTitle(field, language),
    width: fieldWidth(field, language),
    ...view.sortable(field.key),
    render: (_value: unknown, item: Item) =>
      cells?.[field.key]?.(item) ?? <CellValue field={field} item={item} cut={cutsLongText(field)} />,
  }));
  if (operations) {
    columns.push({
      key: '$operations',
      title: t('resource.operations'),
      fixed: 'end',
      width: view.table.operationsWidth,
      render: (_value: unknown, item: Item) => operations(item),
    });
  }

  return (
    <ListTable
      view={view}
      columns={columns}
      emptyText={t('resource.empty')}
      rowSelection={
        onSelect
          ? { selectedRowKeys: selected, onChange: (keys) => onSelect(keys as (number | string)[]) }
          : undefined
      }
    />
  );
}

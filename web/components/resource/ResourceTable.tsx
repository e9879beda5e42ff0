import { Empty, Table, type TableColumnsType, type TableProps } from 'antd';
import type { SortOrder } from 'antd/es/table/interface.js';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Item, ListPage, ResourceMeta } from '../../api/resource.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { CellValue } from './CellValue.tsx';
import { buttonsWidth, cutsLongText, fieldWidth, tableWidth } from './columnWidths.ts';
import { fieldTitle, listFields } from './fields.ts';
import { listPagination } from './listPage.tsx';
import { listTableLayout, useOperationsWidth } from './listTable.ts';
import { type ListState, validSort } from './useListState.ts';

type ResourceTableProps = {
  meta: ResourceMeta;
  state: ListState;
  data: ListPage | undefined;
  loading: boolean;
  filtered: boolean;
  selected: (number | string)[];
  onSelect: ((keys: (number | string)[]) => void) | null;
  onSort: (sort: string | null) => void;
  onPage: (page: number, pageSize: number) => void;
  /** The operations cell of a row, or null when the table has no operations column. */
  operations: ((item: Item) => ReactNode) | null;
  /** How wide the operations are expected to be; the drawn rows are measured too. */
  operationsWidth?: number;
  /** Cells a page draws itself, by field key (the audit log's record, with its link). */
  cells?: Record<string, (item: Item) => ReactNode>;
};

/**
 * The list's table: the meta's columns, server-side sorting and paging, row selection. Each column
 * is as wide as what it shows needs (columnWidths.ts), so the table fits its box or scrolls sideways
 * as a whole, with a sticky header and scroll bar (listTable.ts).
 */
export function ResourceTable(props: ResourceTableProps) {
  const { meta, state, data, loading, filtered, selected, onSelect, onSort, onPage, operations, cells } =
    props;
  const { t } = useTranslation();
  const language = currentLanguage();
  const sort = validSort(state.sort, meta) ?? meta.defaultSort;
  const [sortKey, sortOrder] = parseSort(sort);
  const [operationsWidth, container] = useOperationsWidth(
    props.operationsWidth ?? buttonsWidth([t('resource.edit')]),
    data,
    language,
  );

  const columns: TableColumnsType<Item> = listFields(meta).map((field) => ({
    key: field.key,
    dataIndex: field.key,
    title: fieldTitle(field, language),
    width: fieldWidth(field, language),
    sorter: field.sortable,
    // Never back to "unsorted": the server always sorts, by default on the meta's default sort.
    sortDirections: ['ascend', 'descend', 'ascend'],
    sortOrder: field.key === sortKey ? sortOrder : null,
    render: (_value: unknown, item: Item) =>
      cells?.[field.key]?.(item) ?? <CellValue field={field} item={item} cut={cutsLongText(field)} />,
  }));
  if (operations) {
    columns.push({
      key: '$operations',
      title: t('resource.operations'),
      fixed: 'end',
      width: operationsWidth,
      render: (_value: unknown, item: Item) => operations(item),
    });
  }

  const onChange: TableProps<Item>['onChange'] = (pagination, _filters, sorter, extra) => {
    if (extra.action === 'sort' && !Array.isArray(sorter)) {
      const key = typeof sorter.columnKey === 'string' ? sorter.columnKey : null;
      onSort(key && sorter.order ? (sorter.order === 'descend' ? `-${key}` : key) : null);
    } else if (extra.action === 'paginate') {
      onPage(pagination.current ?? 1, pagination.pageSize ?? state.pageSize);
    }
  };

  return (
    <div ref={container}>
      <Table<Item>
        rowKey="id"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={loading}
        onChange={onChange}
        {...listTableLayout(tableWidth(columns, onSelect !== null))}
        rowSelection={
          onSelect
            ? { selectedRowKeys: selected, onChange: (keys) => onSelect(keys as (number | string)[]) }
            : undefined
        }
        pagination={listPagination(state, data, t)}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={t(filtered ? 'resource.emptyFiltered' : 'resource.empty')}
            />
          ),
        }}
      />
    </div>
  );
}

function parseSort(sort: string): [string | null, SortOrder] {
  const first = sort.split(',')[0] ?? '';
  if (!first) return [null, null];
  return first.startsWith('-') ? [first.slice(1), 'descend'] : [first, 'ascend'];
}

import { Empty, Table, type TableColumnsType, type TableProps } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Item } from '../../api/resource.ts';
import { tableWidth } from './columnWidths.ts';
import { listTableLayout } from './listTable.ts';
import type { ResourceListPage } from './useResourceListPage.ts';

type ListTableProps<T extends Item> = {
  view: ResourceListPage<T>;
  /** The page's columns, each with its width. */
  columns: TableColumnsType<T>;
  /** What an empty list says; a filtered one says that nothing matches. */
  emptyText: string;
  rowSelection?: TableProps<T>['rowSelection'];
};

/**
 * A list page's table: the rows on screen, sorted and paged on the server through the URL, as wide
 * as its columns add up to with a sticky header (listTable.ts), in the box where the operations
 * column is measured.
 */
export function ListTable<T extends Item>({ view, columns, emptyText, rowSelection }: ListTableProps<T>) {
  const { t } = useTranslation();
  return (
    <div ref={view.table.ref}>
      <Table<T>
        rowKey="id"
        columns={columns}
        dataSource={view.page.data?.items ?? []}
        loading={view.loading}
        onChange={view.table.onChange}
        {...listTableLayout(tableWidth(columns, rowSelection !== undefined))}
        rowSelection={rowSelection}
        pagination={view.table.pagination}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={view.filtered ? t('resource.emptyFiltered') : emptyText}
            />
          ),
        }}
      />
    </div>
  );
}

import { Table, type TableColumnsType, Typography } from 'antd';
import type { Item, ResourceMeta } from '../../api/resource.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { CellValue } from './CellValue.tsx';
import { fieldTitle, findField } from './fields.ts';

/**
 * The selected rows an action is about to change, as its confirmation shows them: the fields the
 * action names (`confirmFields`), drawn as the list draws them — names, labels, amounts — so that
 * whoever confirms sees what they confirm (finance: whose payment, which class, how much, signed
 * by whom), not a count.
 */
export function ConfirmRows({
  meta,
  fieldKeys,
  items,
}: {
  meta: ResourceMeta;
  fieldKeys: string[];
  items: Item[];
}) {
  const language = currentLanguage();
  const fields = fieldKeys.map((key) => findField(meta, key)).filter((field) => field !== undefined);
  const columns: TableColumnsType<Item> = fields.map((field) => ({
    key: field.key,
    title: fieldTitle(field, language),
    render: (_value: unknown, item: Item) => <CellValue field={field} item={item} />,
    onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
  }));
  return (
    <div data-testid="action-confirm-rows">
      <Table<Item>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        pagination={false}
        scroll={{ x: 'max-content', y: 320 }}
      />
      {items.length === 0 && <Typography.Text type="secondary">—</Typography.Text>}
    </div>
  );
}

import { Table, type TableColumnsType, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation();
  const language = currentLanguage();
  const fields = fieldKeys.map((key) => findField(meta, key)).filter((field) => field !== undefined);
  // Amounts add up: what finance checks against the money received.
  const totals = items.length > 1 ? fields.filter((field) => field.kind === 'money') : [];
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
      {totals.map((field) => (
        <Typography.Paragraph
          key={field.key}
          strong
          style={{ margin: '8px 0 0' }}
          data-testid="action-confirm-total"
        >
          {t('resource.confirmTotal', {
            field: fieldTitle(field, language),
            amount: sum(items.map((item) => item[field.key])).toLocaleString(language, {
              minimumFractionDigits: 2,
              maximumFractionDigits: 2,
            }),
          })}
        </Typography.Paragraph>
      ))}
    </div>
  );
}

/** Money as the API writes it ("12800.00"), added up in cents so that no float error shows. */
function sum(values: unknown[]): number {
  const cents = values.reduce<number>((total, value) => {
    const number = Number(value);
    return Number.isFinite(number) ? total + Math.round(number * 100) : total;
  }, 0);
  return cents / 100;
}

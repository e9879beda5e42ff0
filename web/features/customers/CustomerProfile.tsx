import { Descriptions, type DescriptionsProps, Typography } from 'antd';
import type { Field, Item, ResourceMeta } from '../../api/resource.ts';
import { CellValue } from '../../components/resource/CellValue.tsx';
import { fieldTitle } from '../../components/resource/fields.ts';
import { currentLanguage } from '../../i18n/index.ts';

/** Where the customer stands in the sales rules, shown before the rest of the file. */
const leading = ['consultantId', 'status', 'courseIds', 'recvAt', 'lastConsultAt', 'releaseAt'];
/** Long texts take a whole row, at the end. */
const trailing = (field: Field) => field.kind === 'longtext';

/**
 * Every field the customers meta describes, labelled in the current language and shown as the
 * list shows it: enum labels, referenced names, courses as tags, dates formatted.
 */
export function CustomerProfile({ meta, customer }: { meta: ResourceMeta; customer: Item }) {
  const language = currentLanguage();
  const fields = meta.fields.filter((field) => field.key !== 'id' && field.key !== meta.labelField);
  const ordered = [
    ...leading.map((key) => fields.find((field) => field.key === key)).filter((field) => field !== undefined),
    ...fields.filter((field) => !leading.includes(field.key) && !trailing(field)),
    ...fields.filter(trailing),
  ];
  const items: DescriptionsProps['items'] = ordered.map((field) => ({
    key: field.key,
    label: fieldTitle(field, language),
    span: trailing(field) ? 'filled' : undefined,
    children: trailing(field) ? (
      <LongText value={customer[field.key]} />
    ) : (
      <CellValue field={field} item={customer} />
    ),
  }));
  return (
    <Descriptions
      bordered
      size="small"
      column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }}
      items={items}
      data-testid="customer-profile"
    />
  );
}

/** A note in full, line breaks kept (the list cuts it short). */
function LongText({ value }: { value: unknown }) {
  if (typeof value !== 'string' || value.trim() === '')
    return <Typography.Text type="secondary">—</Typography.Text>;
  return <span style={{ whiteSpace: 'pre-wrap' }}>{value}</span>;
}

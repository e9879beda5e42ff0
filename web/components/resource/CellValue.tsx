import { Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Field, Item } from '../../api/resource.ts';
import { formatDate, formatDateTime } from '../../app/time.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { enumLabel, type RefEntry, refEntries } from './fields.ts';
import { RefCell } from './RefCell.tsx';

/**
 * One field of an item as a table cell shows it: names rather than ids and codes. With `cut`, text
 * longer than its column ends in an ellipsis and shows whole in a tooltip (list tables, whose
 * columns have set widths); without, it takes the room it needs.
 */
export function CellValue({ field, item, cut = false }: { field: Field; item: Item; cut?: boolean }) {
  const { t } = useTranslation();
  const value = item[field.key];
  const empty = <Typography.Text type="secondary">—</Typography.Text>;
  const cutToColumn = (node: ReactNode) => (
    <Typography.Text ellipsis={{ tooltip: node }} style={{ maxWidth: '100%' }}>
      {node}
    </Typography.Text>
  );

  if (field.kind === 'ref') {
    const entries = refEntries(field, item, currentLanguage());
    if (entries.length === 0) return empty;
    const show = (entry: RefEntry) =>
      entry.carried ? entry.label : <RefCell field={field} value={entry.value as string | number} />;
    if (!field.multiple) {
      const shown = entries[0] && show(entries[0]);
      return cut ? cutToColumn(shown) : shown;
    }
    return (
      <>
        {entries.map((entry) => (
          <Tag key={String(entry.value)}>{show(entry)}</Tag>
        ))}
      </>
    );
  }
  if (value === null || value === undefined || value === '') return empty;
  switch (field.kind) {
    case 'enum': {
      const values = Array.isArray(value) ? value : [value];
      if (values.length === 0) return empty;
      const language = currentLanguage();
      if (!field.multiple) return <>{enumLabel(field, values[0], language)}</>;
      return (
        <>
          {values.map((v) => (
            <Tag key={String(v)}>{enumLabel(field, v, language)}</Tag>
          ))}
        </>
      );
    }
    case 'bool':
      return value ? <Tag color="green">{t('resource.yes')}</Tag> : <Tag>{t('resource.no')}</Tag>;
    case 'date':
      return <>{formatDate(value)}</>;
    case 'datetime':
      return <>{formatDateTime(value)}</>;
    case 'money': {
      const number = Number(value);
      return <>{Number.isFinite(number) ? number.toFixed(2) : String(value)}</>;
    }
    case 'password':
      return <>••••••</>;
    case 'longtext':
      if (cut) return cutToColumn(String(value));
      return (
        <Typography.Text ellipsis={{ tooltip: String(value) }} style={{ maxWidth: 320 }}>
          {String(value)}
        </Typography.Text>
      );
    default: {
      const text = Array.isArray(value) ? value.join(', ') : String(value);
      return cut && field.kind === 'text' ? cutToColumn(text) : text;
    }
  }
}

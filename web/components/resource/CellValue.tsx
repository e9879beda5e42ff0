import { Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Field, Item } from '../../api/resource.ts';
import { MenuIcon } from '../../app/icons.tsx';
import { currentLanguage } from '../../i18n/index.ts';
import { CodeTip } from './CodeTip.tsx';
import { enumLabel, type RefEntry, refEntries } from './fields.ts';
import { RefCell } from './RefCell.tsx';

/**
 * One field of an item as a table cell shows it: names rather than ids and codes (the code behind
 * a label, where the meta names one, in an administrator's tooltip), an icon rather than its name.
 */
export function CellValue({ field, item }: { field: Field; item: Item }) {
  // An enum's own code goes with each of its labels (below); another field's code with the cell.
  if (typeof field.codeTip !== 'string') return <CellText field={field} item={item} />;
  return (
    <CodeTip code={item[field.codeTip]}>
      <CellText field={field} item={item} />
    </CodeTip>
  );
}

function CellText({ field, item }: { field: Field; item: Item }) {
  const { t } = useTranslation();
  const value = item[field.key];
  const empty = <Typography.Text type="secondary">—</Typography.Text>;

  if (field.kind === 'ref') {
    const entries = refEntries(field, item);
    if (entries.length === 0) return empty;
    const show = (entry: RefEntry) =>
      entry.carried ? entry.label : <RefCell field={field} value={entry.value as string | number} />;
    if (!field.multiple) return <>{entries[0] && show(entries[0])}</>;
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
      const label = (v: unknown) =>
        field.codeTip ? (
          <CodeTip code={v}>{enumLabel(field, v, language)}</CodeTip>
        ) : (
          enumLabel(field, v, language)
        );
      if (!field.multiple) return <>{label(values[0])}</>;
      return (
        <>
          {values.map((v) => (
            <Tag key={String(v)}>{label(v)}</Tag>
          ))}
        </>
      );
    }
    case 'bool':
      return value ? <Tag color="green">{t('resource.yes')}</Tag> : <Tag>{t('resource.no')}</Tag>;
    case 'date':
      return <>{formatDate(value, 'YYYY-MM-DD')}</>;
    case 'datetime':
      return <>{formatDate(value, 'YYYY-MM-DD HH:mm')}</>;
    case 'money': {
      const number = Number(value);
      return <>{Number.isFinite(number) ? number.toFixed(2) : String(value)}</>;
    }
    case 'password':
      return <>••••••</>;
    case 'text':
      if (field.format === 'icon' && typeof value === 'string') {
        return (
          <CodeTip code={value}>
            <MenuIcon name={value} />
          </CodeTip>
        );
      }
      return <>{String(value)}</>;
    case 'longtext':
      return (
        <Typography.Text ellipsis={{ tooltip: String(value) }} style={{ maxWidth: 320 }}>
          {String(value)}
        </Typography.Text>
      );
    default:
      return <>{Array.isArray(value) ? value.join(', ') : String(value)}</>;
  }
}

function formatDate(value: unknown, format: string): string {
  const date = dayjs(String(value));
  return date.isValid() ? date.format(format) : String(value);
}

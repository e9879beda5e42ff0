import { Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Field, Item } from '../../api/resource.ts';
import { MenuIcon } from '../../app/icons.tsx';
import { formatDate, formatDateTime } from '../../app/time.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { CodeTip } from './CodeTip.tsx';
import { enumLabel, type RefEntry, refEntries } from './fields.ts';
import { RefCell } from './RefCell.tsx';

/**
 * One field of an item as a table cell shows it: names rather than ids and codes (the code behind
 * a label, where the meta names one, in an administrator's tooltip), an icon rather than its name.
 * With `cut`, text longer than its column ends in an ellipsis and shows whole in a tooltip (list
 * tables, whose columns have set widths); without, it takes the room it needs.
 */
export function CellValue({ field, item, cut = false }: { field: Field; item: Item; cut?: boolean }) {
  // An enum's own code goes with each of its labels (below); another field's code with the cell.
  if (typeof field.codeTip !== 'string') return <CellText field={field} item={item} cut={cut} />;
  return (
    <CodeTip code={item[field.codeTip]}>
      <CellText field={field} item={item} cut={cut} />
    </CodeTip>
  );
}

function CellText({ field, item, cut }: { field: Field; item: Item; cut: boolean }) {
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
      return <>{formatDate(value)}</>;
    case 'datetime':
      return <>{formatDateTime(value)}</>;
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
      return cut ? cutToColumn(String(value)) : String(value);
    case 'longtext':
      if (cut) return cutToColumn(String(value));
      return (
        <Typography.Text ellipsis={{ tooltip: String(value) }} style={{ maxWidth: 320 }}>
          {String(value)}
        </Typography.Text>
      );
    default:
      return Array.isArray(value) ? value.join(', ') : String(value);
  }
}

import { Input, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Field } from '../../api/resource.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { fieldTitle, refValueKey } from './fields.ts';
import { RangeFilter } from './RangeFilter.tsx';
import { RefSelect } from './RefSelect.tsx';

type FilterControlProps = {
  field: Field;
  /** The filter's value in the API's syntax (`a,b`, `from..to`, `true`), or undefined when unset. */
  value: string | undefined;
  onChange: (value: string | null) => void;
};

const width = 200;

/** One filter of the filter bar, by the field's kind and filter type. */
export function FilterControl({ field, value, onChange }: FilterControlProps) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const title = fieldTitle(field, language);
  const list = value ? value.split(',') : [];
  const setList = (values: (string | number)[]) => onChange(values.length ? values.join(',') : null);

  if (field.filter === 'bool' || field.kind === 'bool') {
    return (
      <Select
        aria-label={title}
        placeholder={title}
        allowClear
        value={value === 'true' || value === 'false' ? value : undefined}
        onChange={(next?: string) => onChange(next ?? null)}
        options={[
          { value: 'true', label: `${title}：${t('resource.yes')}` },
          { value: 'false', label: `${title}：${t('resource.no')}` },
        ]}
        style={{ width: 160 }}
      />
    );
  }
  if (field.filter === 'range') return <RangeFilter field={field} value={value} onChange={onChange} />;
  if (field.kind === 'enum') {
    return (
      <Select
        aria-label={title}
        placeholder={title}
        prefix={list.length ? <FilterPrefix title={title} /> : undefined}
        mode="multiple"
        allowClear
        // Typing "百度" finds 百度推广: search the labels people read, not the codes.
        showSearch={{ optionFilterProp: 'label' }}
        maxTagCount="responsive"
        value={list}
        onChange={setList}
        options={(field.options ?? []).map((option) => ({
          value: String(option.value),
          label: fieldTitle(option, language),
        }))}
        style={{ width }}
      />
    );
  }
  if (field.kind === 'ref') {
    const byId = refValueKey(field) === 'id';
    return (
      <RefSelect
        field={field}
        placeholder={title}
        prefix={list.length ? <FilterPrefix title={title} /> : undefined}
        multiple
        maxTagCount="responsive"
        value={byId ? list.map(Number).filter(Number.isFinite) : list}
        onChange={(next) => setList(Array.isArray(next) ? next : next === null ? [] : [next])}
        style={{ width }}
      />
    );
  }
  return <TextFilter title={title} value={value} onChange={onChange} />;
}

/** Names the filter once a value hides its placeholder. */
function FilterPrefix({ title }: { title: string }) {
  return <Typography.Text type="secondary">{title}:</Typography.Text>;
}

function TextFilter({
  title,
  value,
  onChange,
}: {
  title: string;
  value?: string;
  onChange: (v: string | null) => void;
}) {
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  return (
    <Input
      aria-label={title}
      placeholder={title}
      prefix={value ? <FilterPrefix title={title} /> : undefined}
      allowClear
      value={text}
      onChange={(event) => {
        setText(event.target.value);
        if (event.target.value === '') onChange(null);
      }}
      onPressEnter={() => onChange(text.trim() || null)}
      onBlur={() => text.trim() !== (value ?? '') && onChange(text.trim() || null)}
      style={{ width: 160 }}
    />
  );
}

import { DatePicker, Input, InputNumber, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Field } from '../../api/resource.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { fieldTitle, refValueKey } from './fields.ts';
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

/** `from..to`, either side optional: a date range for dates, two numbers for numbers. */
function RangeFilter({ field, value, onChange }: FilterControlProps) {
  const { t } = useTranslation();
  const title = fieldTitle(field, currentLanguage());
  const [from = '', to = ''] = value?.split('..') ?? [];
  const set = (a: string, b: string) => onChange(a || b ? `${a}..${b}` : null);

  if (field.kind === 'date' || field.kind === 'datetime') {
    const day = (text: string) => (text && dayjs(text).isValid() ? dayjs(text) : null);
    return (
      <DatePicker.RangePicker
        aria-label={title}
        placeholder={[`${title}${t('resource.rangeFrom')}`, t('resource.rangeTo')]}
        allowEmpty={[true, true]}
        value={from || to ? [day(from), day(to)] : null}
        onChange={(dates) =>
          set(dates?.[0]?.format('YYYY-MM-DD') ?? '', dates?.[1]?.format('YYYY-MM-DD') ?? '')
        }
        style={{ width: 260 }}
      />
    );
  }
  return <NumberRange title={title} from={from} to={to} onCommit={set} />;
}

/** Two numbers, applied when the user leaves a box or presses Enter (not on every keystroke). */
function NumberRange(props: {
  title: string;
  from: string;
  to: string;
  onCommit: (from: string, to: string) => void;
}) {
  const { title, onCommit } = props;
  const { t } = useTranslation();
  const [from, setFrom] = useState(props.from);
  const [to, setTo] = useState(props.to);
  useEffect(() => {
    setFrom(props.from);
    setTo(props.to);
  }, [props.from, props.to]);
  const commit = () => {
    if (from !== props.from || to !== props.to) onCommit(from, to);
  };
  const number = (text: string) => (text === '' || !Number.isFinite(Number(text)) ? null : Number(text));
  const box = (label: string, placeholder: string, value: string, set: (text: string) => void) => (
    <InputNumber
      aria-label={label}
      placeholder={placeholder}
      value={number(value)}
      onChange={(next) => set(next === null ? '' : String(next))}
      onBlur={commit}
      onPressEnter={commit}
      style={{ width: '50%' }}
    />
  );
  return (
    <Space.Compact style={{ width: 240 }}>
      {box(`${title}${t('resource.rangeFrom')}`, `${title}${t('resource.rangeFrom')}`, from, setFrom)}
      {box(`${title}${t('resource.rangeTo')}`, t('resource.rangeTo'), to, setTo)}
    </Space.Compact>
  );
}

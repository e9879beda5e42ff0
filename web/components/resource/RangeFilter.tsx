import { DatePicker, InputNumber, Space } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Field } from '../../api/resource.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { fieldTitle } from './fields.ts';

type RangeFilterProps = {
  field: Field;
  /** `from..to` as the API takes it, or undefined when unset. */
  value: string | undefined;
  onChange: (value: string | null) => void;
};

/** `from..to`, either side optional: a date range for dates, two numbers for numbers. */
export function RangeFilter({ field, value, onChange }: RangeFilterProps) {
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

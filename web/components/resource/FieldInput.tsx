import { DatePicker, Input, InputNumber, Select, Switch } from 'antd';
import type { Field } from '../../api/resource.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { fieldTitle } from './fields.ts';
import { type RefOption, RefSelect } from './RefSelect.tsx';

type FieldInputProps = {
  field: Field;
  disabled?: boolean;
  knownOptions?: RefOption[];
  // Form.Item injects these.
  id?: string;
  value?: never;
  onChange?: never;
};

/**
 * The input for one field of a form, chosen by its kind. Rendered as the only child of a Form.Item,
 * which passes `value`, `onChange` and `id` through to the control.
 */
export function FieldInput({ field, disabled, knownOptions, ...control }: FieldInputProps) {
  const language = currentLanguage();
  const common = { ...control, disabled: disabled || field.readOnly };
  switch (field.kind) {
    case 'enum':
      return (
        <Select
          {...common}
          mode={field.multiple ? 'multiple' : undefined}
          allowClear={!field.required}
          showSearch={{ optionFilterProp: 'label' }}
          options={(field.options ?? []).map((option) => ({
            value: option.value,
            label: fieldTitle(option, language),
          }))}
        />
      );
    case 'ref':
      return <RefSelect {...common} field={field} multiple={field.multiple} knownOptions={knownOptions} />;
    case 'bool':
      return <Switch {...common} />;
    case 'date':
      return <DatePicker {...common} style={{ width: '100%' }} />;
    case 'datetime':
      return (
        <DatePicker
          {...common}
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          style={{ width: '100%' }}
        />
      );
    case 'password':
      return <Input.Password {...common} autoComplete="new-password" maxLength={field.maxLength} />;
    case 'longtext':
      return (
        <Input.TextArea
          {...common}
          autoSize={{ minRows: 3, maxRows: 8 }}
          maxLength={field.maxLength}
          showCount={!!field.maxLength}
        />
      );
    case 'int':
      return (
        <InputNumber {...common} min={field.min} max={field.max} precision={0} style={{ width: '100%' }} />
      );
    case 'money':
      return (
        <InputNumber {...common} min={field.min} max={field.max} precision={2} style={{ width: '100%' }} />
      );
    default:
      return <Input {...common} maxLength={field.maxLength} />;
  }
}

import { DatePicker, Input, InputNumber, Select, Space, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Field } from '../../api/resource.ts';
import { MenuIcon, menuIconNames } from '../../app/icons.tsx';
import { currentLanguage } from '../../i18n/index.ts';
import { fieldTitle } from './fields.ts';
import { phoneKind } from './formats.ts';
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
      return (
        <RefSelect
          {...common}
          field={field}
          multiple={field.multiple}
          knownOptions={knownOptions}
          pickParams={field.refParams}
          toAssign
        />
      );
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
      if (field.format === 'phone') return <PhoneInput {...common} maxLength={field.maxLength} />;
      if (field.format === 'icon') return <IconSelect {...common} allowClear={!field.required} />;
      return <Input {...common} maxLength={field.maxLength} />;
  }
}

type TextControl = { id?: string; value?: unknown; onChange?: unknown; disabled?: boolean };

/** A phone number, saying as it is typed what kind it is (手机, 座机, 境外号码) by the server's rules. */
function PhoneInput({ maxLength, ...control }: TextControl & { maxLength?: number }) {
  const { t } = useTranslation();
  const kind = typeof control.value === 'string' ? phoneKind(control.value) : null;
  return (
    <Input
      {...(control as object)}
      maxLength={maxLength}
      suffix={
        <Typography.Text type="secondary" data-testid="phone-kind">
          {kind ? t(`resource.phoneKind.${kind}`) : ''}
        </Typography.Text>
      }
    />
  );
}

/** One of the menu icons, chosen by seeing them. */
function IconSelect({ allowClear, ...control }: TextControl & { allowClear: boolean }) {
  return (
    <Select
      {...(control as object)}
      allowClear={allowClear}
      showSearch={{ optionFilterProp: 'value' }}
      options={menuIconNames.map((name) => ({
        value: name,
        label: (
          <Space>
            <MenuIcon name={name} />
            <Typography.Text type="secondary">{name.replace(/Outlined$/, '')}</Typography.Text>
          </Space>
        ),
      }))}
    />
  );
}

import { Form, type FormRule as Rule } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Field, FieldFormat } from '../../api/resource.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { FieldInput } from './FieldInput.tsx';
import { fieldTitle } from './fields.ts';
import { isQq, isWechat, phoneKind } from './formats.ts';
import type { RefOption } from './RefSelect.tsx';

type FormFieldProps = {
  field: Field;
  mode: 'create' | 'edit';
  /** In the edit form a field the meta requires may not be emptied once it has a value. */
  hasValue?: boolean;
  knownOptions?: RefOption[];
  /** A line under the input that says what the field means (e.g. what leaving it empty does). */
  extra?: ReactNode;
  /** The edited item's value: kept as it is, it is not held to a format it was stored before. */
  stored?: unknown;
};

/** One labelled field of a resource form, with the meta's validation. */
export function FormField({ field, mode, hasValue = false, knownOptions, extra, stored }: FormFieldProps) {
  const { t } = useTranslation();
  const label = fieldTitle(field, currentLanguage());
  return (
    <Form.Item
      name={field.key}
      label={label}
      rules={field.readOnly ? [] : rulesFor(field, mode === 'create' || hasValue, label, t, stored)}
      required={!field.readOnly && field.required && (mode === 'create' || hasValue)}
      extra={extra}
    >
      <FieldInput field={field} knownOptions={knownOptions} />
    </Form.Item>
  );
}

const textKinds = new Set(['text', 'longtext', 'password']);

/** The server's rules for the formats it declares, and the words it would refuse them with. */
const formatRules: Partial<
  Record<
    FieldFormat,
    {
      accepts: (value: string) => boolean;
      words:
        | 'apiErrors.detail.phone_invalid'
        | 'apiErrors.detail.qq_invalid'
        | 'apiErrors.detail.wechat_invalid';
    }
  >
> = {
  phone: { accepts: (value) => phoneKind(value) !== null, words: 'apiErrors.detail.phone_invalid' },
  qq: { accepts: isQq, words: 'apiErrors.detail.qq_invalid' },
  wechat: { accepts: isWechat, words: 'apiErrors.detail.wechat_invalid' },
};

function rulesFor(field: Field, required: boolean, label: string, t: TFunction, stored?: unknown): Rule[] {
  const rules: Rule[] = [];
  if (required && field.required) {
    const choose =
      field.kind === 'enum' || field.kind === 'ref' || field.kind === 'date' || field.kind === 'datetime';
    const message = t(choose ? 'resource.requiredSelect' : 'resource.required', { field: label });
    // async-validator checks a rule with any key beyond `required` and `message` as a string, so a
    // chosen id (a number) would fail "required": name a type only where it is the right one.
    if (field.multiple) rules.push({ required: true, type: 'array', message });
    else if (textKinds.has(field.kind)) rules.push({ required: true, whitespace: true, message });
    else rules.push({ required: true, message });
  }
  if (textKinds.has(field.kind)) {
    if (field.maxLength !== undefined) {
      rules.push({
        max: field.maxLength,
        message: t('resource.tooLong', { field: label, count: field.maxLength }),
      });
    }
    if (field.min !== undefined) {
      rules.push({ min: field.min, message: t('resource.tooShort', { field: label, count: field.min }) });
    }
  }
  const format = field.format ? formatRules[field.format] : undefined;
  if (format) {
    rules.push({
      validator: async (_rule, value: unknown) => {
        // As the server does: only what is changed is checked (a number stored before the rules stays).
        if (typeof value === 'string' && value.trim() !== '' && value !== stored && !format.accepts(value)) {
          throw new Error(t(format.words));
        }
      },
    });
  }
  if (field.kind === 'password') {
    // The server's rules (≥ 8 characters, not the username), checked here too to save a round trip.
    if (field.min === undefined) {
      rules.push({ min: 8, message: t('apiErrors.detail.password_too_short', { count: 8 }) });
    }
    rules.push(({ getFieldValue }) => ({
      validator: async (_rule, value: unknown) => {
        const username = getFieldValue('username');
        if (typeof value === 'string' && typeof username === 'string' && username !== '') {
          if (value.toLowerCase() === username.trim().toLowerCase()) {
            throw new Error(t('apiErrors.detail.password_is_username'));
          }
        }
      },
    }));
  }
  return rules;
}

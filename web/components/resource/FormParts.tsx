import { Alert } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Field, Item } from '../../api/resource.ts';
import { currentLanguage } from '../../i18n/index.ts';
import type { DuplicateOf } from './errors.ts';
import { FormField } from './FormField.tsx';
import { refEntries } from './fields.ts';

/** ResourceForm's parts: its fields, and the refusal above them. */

type FormFieldsProps = {
  fields: Field[];
  mode: 'create' | 'edit';
  /** The item as loaded afresh, or null when creating. */
  current: Item | null;
  hints: Record<string, ReactNode>;
};

/** The form's fields; a ref an item carries is named before its options load. */
export function FormFields({ fields, mode, current, hints }: FormFieldsProps) {
  return fields.map((field) => (
    <FormField
      key={field.key}
      field={field}
      mode={mode}
      hasValue={current ? hasValue(current[field.key]) : false}
      stored={current?.[field.key]}
      extra={hints[field.key]}
      knownOptions={
        current && field.kind === 'ref'
          ? refEntries(field, current, currentLanguage())
              .filter((entry) => entry.carried)
              .map(toOption)
          : undefined
      }
    />
  ));
}

type FormErrorProps = {
  error: string;
  /** The record a `409 duplicate` names, if any. */
  existing: DuplicateOf | null;
  existingPath?: (id: number) => string;
};

/** Why the server refused the form, with a link to the record it matches when that is the caller's. */
export function FormError({ error, existing, existingPath }: FormErrorProps) {
  return (
    <Alert
      type="error"
      showIcon
      title={error}
      description={
        existing?.mine && existingPath ? <ExistingLink existing={existing} path={existingPath} /> : undefined
      }
      style={{ marginBottom: 16 }}
      role="alert"
      data-testid="resource-form-error"
    />
  );
}

/** A link to the record a duplicate matches, when it is the caller's own (the message names it). */
function ExistingLink({ existing, path }: { existing: DuplicateOf; path: (id: number) => string }) {
  const { t } = useTranslation();
  return (
    <Link to={path(existing.id)} data-testid="resource-form-existing">
      {t('resource.openExisting', { name: existing.name })}
    </Link>
  );
}

const hasValue = (value: unknown) =>
  value !== null && value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0);

const toOption = (entry: { value: unknown; label: string }) => ({
  value: entry.value as string | number,
  label: entry.label,
});

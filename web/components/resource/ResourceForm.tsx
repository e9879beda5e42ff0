import { Alert, App, Button, Drawer, Flex, Form } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Item, ResourceMeta } from '../../api/resource.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { PageLoading } from '../PageLoading.tsx';
import { type DuplicateOf, describeError, duplicateOf, showFieldErrors } from './errors.ts';
import { FormError, FormFields } from './FormParts.tsx';
import { fieldTitle, formFields, itemLabel } from './fields.ts';
import { useResourceItem, useResourceMutations } from './useResource.ts';
import { changedBody, createBody, type FormValues, initialFormValues } from './values.ts';

export type ResourceFormProps = {
  meta: ResourceMeta;
  /** The item to edit (its row; the form loads it afresh), or null to create one. */
  item: Item | null;
  onClose: () => void;
  onSaved?: (item: Item) => void;
  /** Starting values of the create form, which the meta does not describe. */
  createDefaults?: FormValues;
  /** Whether saving may change the signed-in user's menus or permissions. */
  refreshesMe?: boolean;
  /** Form fields another page edits better (a role's permissions have their own matrix). */
  omitFields?: string[];
  /** Lines under some fields, by key, saying what they mean. */
  fieldHints?: Record<string, ReactNode>;
  /** What the success message of a create says about the new item (default: "created"). */
  createdMessage?: (item: Item) => ReactNode;
  /** Where the record a `409 duplicate` names is opened; linked when it is the caller's own. */
  existingPath?: (id: number) => string;
};

/**
 * The add/edit form of any resource, built from its meta, in a drawer beside the list so the list
 * keeps its place. An edit sends only the fields that changed.
 */
export function ResourceForm(props: ResourceFormProps) {
  const { meta, item, onClose, onSaved, createDefaults, refreshesMe } = props;
  const { omitFields = [], fieldHints = {}, createdMessage, existingPath } = props;
  const { t } = useTranslation();
  const { message } = App.useApp();
  const mode = item ? 'edit' : 'create';
  const fresh = useResourceItem(meta.name, item?.id ?? null);
  const current = item ? (fresh.data ?? null) : null;
  const { create, update } = useResourceMutations(meta.name, { refreshesMe });
  const [form] = Form.useForm<FormValues>();
  const [error, setError] = useState<string | null>(null);
  const [existing, setExisting] = useState<DuplicateOf | null>(null);
  const fields = formFields(meta, mode).filter((field) => !omitFields.includes(field.key));
  const resourceTitle = fieldTitle(meta, currentLanguage());
  const busy = create.isPending || update.isPending;

  const submit = async (values: FormValues) => {
    setError(null);
    setExisting(null);
    try {
      let saved: Item;
      if (current) {
        const body = changedBody(fields, values, current);
        if (Object.keys(body).length === 0) {
          message.info(t('resource.noChanges'));
          onClose();
          return;
        }
        saved = await update.mutateAsync({ id: current.id, body });
      } else {
        saved = await create.mutateAsync(createBody(fields, values));
      }
      message.success(current ? t('resource.saved') : (createdMessage?.(saved) ?? t('resource.created')));
      onSaved?.(saved);
      onClose();
    } catch (failure) {
      const placed = showFieldErrors(
        form,
        failure,
        fields.map((field) => field.key),
        t,
      );
      // A duplicate is marked on the field it shares and explained above: the server's message names
      // the record it matches, which the caller may open when it is theirs.
      const duplicate = duplicateOf(failure);
      if (!placed || duplicate) setError(describeError(failure, t));
      setExisting(duplicate);
    }
  };

  const title = current
    ? t('resource.editTitle', { title: resourceTitle, name: itemLabel(meta, current) })
    : t('resource.createTitle', { title: resourceTitle });

  return (
    <Drawer
      open
      title={title}
      size={560}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('resource.cancel')}</Button>
          <Button
            type="primary"
            loading={busy}
            disabled={mode === 'edit' && !current}
            onClick={() => form.submit()}
            data-testid="resource-form-submit"
          >
            {t('resource.save')}
          </Button>
        </Flex>
      }
    >
      {error && <FormError error={error} existing={existing} existingPath={existingPath} />}
      {mode === 'edit' && !current ? (
        fresh.isError ? (
          <Alert type="error" showIcon title={describeError(fresh.error, t)} />
        ) : (
          <PageLoading />
        )
      ) : (
        <Form
          form={form}
          layout="vertical"
          initialValues={initialFormValues(fields, current, createDefaults)}
          onFinish={submit}
          onValuesChange={() => {
            if (error) setError(null);
            if (existing) setExisting(null);
          }}
          disabled={busy}
          data-testid="resource-form"
        >
          <FormFields fields={fields} mode={mode} current={current} hints={fieldHints} />
        </Form>
      )}
    </Drawer>
  );
}

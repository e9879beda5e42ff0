import { App, Form, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResourceAction } from '../../api/resource.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { describeError, showFieldErrors } from './errors.ts';
import { FormField } from './FormField.tsx';
import { fieldTitle } from './fields.ts';
import { createBody, type FormValues, initialFormValues } from './values.ts';

type ActionParamsModalProps = {
  action: ResourceAction;
  count: number;
  onCancel: () => void;
  /** Rejects when the server refused; the modal then stays open and shows why (beside the fields if it can). */
  onSubmit: (params: Record<string, unknown>) => Promise<void>;
};

/** The small form an action with parameters (a new password, say) asks for before it runs. */
export function ActionParamsModal({ action, count, onCancel, onSubmit }: ActionParamsModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const fields = action.params ?? [];
  const title = fieldTitle(action, currentLanguage());

  const submit = async (values: FormValues) => {
    setBusy(true);
    try {
      await onSubmit(createBody(fields, values));
    } catch (error) {
      const placed = showFieldErrors(
        form,
        error,
        fields.map((field) => field.key),
        t,
      );
      if (!placed) message.error(describeError(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={title}
      okText={title}
      okButtonProps={{ danger: action.destructive, loading: busy, htmlType: 'submit' }}
      cancelText={t('resource.cancel')}
      onCancel={onCancel}
      destroyOnHidden
      modalRender={(node) => (
        <Form form={form} layout="vertical" initialValues={initialFormValues(fields, null)} onFinish={submit}>
          {node}
        </Form>
      )}
    >
      <Typography.Paragraph type="secondary">
        {t('resource.actionOnSelected', { count })}
      </Typography.Paragraph>
      {fields.map((field) => (
        <FormField key={field.key} field={field} mode="create" />
      ))}
    </Modal>
  );
}
